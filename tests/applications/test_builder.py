"""The question builder against the answers it would break: type changes over drafts, answers
that no longer fit their question, deleting with a confirmation, the lock after submission."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from applications import builder, services
from applications.models import Answer, BidStatus, Question, QuestionType, Section
from applications.services import BidError
from tests import factories as f

from .factories import AnswerFactory, BidFactory, QuestionFactory
from .test_services import start


def _submitted(round):
    return BidFactory(
        round=round,
        status=BidStatus.SUBMITTED,
        submitted_at=timezone.now(),
        reference="THIS-000009",
        reference_number=9,
    )


def test_type_change_refused_while_drafts_answer_it(personas, form):
    bid = start(personas)
    services.save_section_answers(
        bid=bid, actor=personas.lead_officer, section=form["about"], data={form["aim"].pk: "Some aim words"}
    )
    with pytest.raises(BidError) as exc:
        builder.save_question(
            section=form["about"], actor=personas.programme_manager, question=form["aim"], type="multiple_choice"
        )
    assert "1 draft bid has answered this question" in exc.value.message_dict["type"][0]
    assert Question.objects.get(pk=form["aim"].pk).type == QuestionType.LONG_TEXT
    # A question nobody answered (a blank answer is no answer) may change type freely.
    builder.save_question(section=form["about"], actor=personas.programme_manager, question=form["cost"], type="date")
    assert Question.objects.get(pk=form["cost"].pk).type == QuestionType.DATE


def test_type_change_refusal_shown_on_the_form(personas, client_for, form):
    bid = start(personas)
    services.save_section_answers(
        bid=bid, actor=personas.lead_officer, section=form["about"], data={form["people"].pk: "12"}
    )
    url = f"/staff/rounds/{personas.round.slug}/sections/{form['about'].pk}/questions/{form['people'].pk}/"
    page = client_for(personas.programme_manager).post(
        url, {"text": "How many people?", "type": "money", "order": "2", "required": "on"}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body and "1 draft bid has answered" in body


MISMATCHED = [
    (QuestionType.MONEY, "Some aim words", "Some aim words"),
    (QuestionType.DATE, "Some aim words", "Some aim words"),
    (QuestionType.DATE, 12, "12"),
    (QuestionType.YES_NO, "Some aim words", "Some aim words"),
    (QuestionType.MULTIPLE_CHOICE, "Some aim words", "Some aim words"),
    (QuestionType.WHOLE_NUMBER, ["A", "B"], "A, B"),
    (QuestionType.MONEY, True, "Yes"),
]


@pytest.mark.parametrize("kind, value, shown", MISMATCHED)
def test_answers_that_no_longer_fit_their_question_still_show(personas, client_for, form, kind, value, shown):
    """Data from before a type change (or a bug) is shown as typed on every page, never a 500."""
    bid = start(personas)
    Question.objects.filter(pk=form["aim"].pk).update(type=kind, choices=["A", "B"], word_limit=None)
    Answer.objects.create(bid=bid, question=form["aim"], value=value)
    council = client_for(personas.lead_officer)
    check = council.get(f"/bids/{bid.pk}/check/")
    assert check.status_code == 200 and shown in check.content.decode()
    assert "S, o, m, e" not in check.content.decode()
    assert council.get(f"/bids/{bid.pk}/sections/{form['about'].pk}/").status_code == 200
    staff = client_for(personas.programme_manager)
    summary = staff.get(f"/bids/{bid.pk}/")
    assert summary.status_code == 200 and shown in summary.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                staff.get(f"/staff/rounds/{personas.round.slug}/bids/export.csv").getvalue().decode("utf-8-sig")
            )
        )
    )
    assert shown in rows[1]
    xlsx = staff.get(f"/staff/rounds/{personas.round.slug}/bids/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert shown in [c.value for c in list(sheet.iter_rows())[1]]


def test_delete_asks_first_and_counts_the_answers_lost(personas, client_for, form):
    for org in (personas.lead_org, personas.other_org):
        bid = BidFactory(round=personas.round, lead=org)
        AnswerFactory(bid=bid, question=form["aim"], value="Words")
        AnswerFactory(bid=bid, question=form["people"], value=None)  # blank: nothing to lose
    client = client_for(personas.programme_manager)
    base = f"/staff/rounds/{personas.round.slug}"
    page = client.get(f"{base}/question/{form['aim'].pk}/delete/").content.decode()
    assert "Are you sure you want to delete the question" in page and "2 draft answers will be lost" in page
    assert Question.objects.filter(pk=form["aim"].pk).exists()
    section_page = client.get(f"{base}/section/{form['about'].pk}/delete/").content.decode()
    assert "4 questions" in section_page and "2 draft answers will be lost" in section_page
    assert f"{base}/question/{form['aim'].pk}/delete/" in client.get(f"{base}/questions/").content.decode()
    client.post(f"{base}/question/{form['aim'].pk}/delete/")
    assert not Question.objects.filter(pk=form["aim"].pk).exists()
    assert "No bid has answered" in client.get(f"{base}/section/{form['about'].pk}/delete/").content.decode()
    client.post(f"{base}/section/{form['about'].pk}/delete/")
    assert not Section.objects.filter(pk=form["about"].pk).exists()
    assert (
        client_for(personas.other_programme_manager).get(f"{base}/section/{form['evidence'].pk}/delete/").status_code
        == 404
    )


def test_locked_question_cannot_become_required_or_shorter_than_its_answers(personas):
    q = QuestionFactory(section__round=personas.round, type=QuestionType.LONG_TEXT, required=False, word_limit=100)
    AnswerFactory(bid=_submitted(personas.round), question=q, value="one two three four five")
    pm = personas.programme_manager
    with pytest.raises(BidError) as exc:
        builder.save_question(section=q.section, actor=pm, question=q, required=True)
    assert "cannot become required" in exc.value.message_dict["required"][0]
    with pytest.raises(BidError) as exc:
        builder.save_question(section=q.section, actor=pm, question=q, word_limit=4)
    assert "cannot be lower than 5" in exc.value.message_dict["word_limit"][0]
    q.refresh_from_db()
    assert not q.required and q.word_limit == 100
    builder.save_question(section=q.section, actor=pm, question=q, word_limit=5, required=False, text="Reworded")
    q.refresh_from_db()
    assert q.word_limit == 5 and q.text == "Reworded"


def test_copy_offers_and_accepts_only_rounds_the_manager_may_see(personas, client_for):
    other_round = f.RoundFactory(programme=personas.other_programme, name="Secret other round")
    QuestionFactory(section__round=other_round, text="Other programme question")
    mine = f.RoundFactory(programme=personas.programme, name="Our earlier round")
    QuestionFactory(section__round=mine, text="Our question")
    client = client_for(personas.programme_manager)
    page = client.get(f"/staff/rounds/{personas.round.slug}/questions/").content.decode()
    assert "Secret other round" not in page and "Our earlier round" in page
    response = client.post(f"/staff/rounds/{personas.round.slug}/questions/", {"source": other_round.pk})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not Question.objects.filter(section__round=personas.round).exists()
    with pytest.raises(BidError):
        builder.copy_questions(source=other_round, target=personas.round, actor=personas.programme_manager)
    assert builder.copy_questions(source=mine, target=personas.round, actor=personas.programme_manager) == 1
