"""Conditional questions: a question shown only when an earlier yes/no or choice answer calls for
it. The builder keeps conditions pointing backwards; councils, assessors, staff and exports see
only the questions that applied; answers to hidden questions are kept but never counted."""

import csv
import io
import json

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import builder, selectors, services
from applications.models import Answer, Question, QuestionType
from applications.services import BidError
from scoring import services as scoring
from tests import factories as f
from tests.scoring.factories import CriterionFactory, close_round, declare

from .factories import QuestionFactory, SectionFactory
from .test_services import start

T = QuestionType


@pytest.fixture
def cond(personas):
    """Section 1: 'Do you work with partners?' (yes/no) then 'Which partners?' (only on yes).
    Section 2: 'What will you buy?' (multiple choice) then 'Device plan' (only if it includes Devices)."""
    rnd = personas.round
    about = SectionFactory(round=rnd, title="About", order=1)
    more = SectionFactory(round=rnd, title="Spending", order=2)
    partners = QuestionFactory(section=about, text="Do you work with partners?", type=T.YES_NO, order=1)
    which = QuestionFactory(
        section=about,
        text="Which partners?",
        type=T.LONG_TEXT,
        order=2,
        show_if_question=partners,
        show_if_values=["yes"],
    )
    buy = QuestionFactory(
        section=more, text="What will you buy?", type=T.MULTIPLE_CHOICE, choices=["Skills", "Devices"], order=1
    )
    plan = QuestionFactory(
        section=more, text="Device plan", type=T.SHORT_TEXT, order=2, show_if_question=buy, show_if_values=["Devices"]
    )
    return {"about": about, "more": more, "partners": partners, "which": which, "buy": buy, "plan": plan}


def _save(personas, bid, section, data):
    services.save_section_answers(bid=bid, actor=personas.lead_officer, section=section, data=data)


def _condition(personas, question, parent, values, **fields):
    return builder.save_question(
        section=question.section,
        actor=personas.programme_manager,
        question=question,
        show_if_question_id=parent.pk if parent else None,
        show_if_values=values,
        **fields,
    )


# The builder


def test_condition_must_name_an_earlier_yes_no_or_choice_question(personas, cond):
    with pytest.raises(BidError, match="must come before it"):
        _condition(personas, cond["partners"], cond["which"], ["yes"])  # a later question
    with pytest.raises(BidError, match="must come before it"):
        _condition(personas, cond["buy"], cond["buy"], ["Skills"])  # itself
    with pytest.raises(BidError, match="yes or no, single choice or multiple choice"):
        _condition(personas, cond["plan"], cond["which"], ["yes"])  # long text controls nothing
    with pytest.raises(BidError, match="no longer offers"):
        _condition(personas, cond["plan"], cond["buy"], ["Laptops"])
    assert Question.objects.get(pk=cond["partners"].pk).show_if_question_id is None
    _condition(personas, cond["plan"], cond["partners"], ["yes"])  # an earlier section is fine
    assert Question.objects.get(pk=cond["plan"].pk).show_if_question_id == cond["partners"].pk


def test_reordering_above_the_controlling_question_is_refused(personas, cond):
    def change(question, **fields):
        question = Question.objects.get(pk=question.pk)
        builder.save_question(section=question.section, actor=personas.programme_manager, question=question, **fields)

    with pytest.raises(BidError, match="depends on the answer to ‘What will you buy\\?’"):
        change(cond["buy"], order=9)
    assert Question.objects.get(pk=cond["buy"].pk).order == 1
    # A controlling question cannot lose its type or the option a condition needs, nor be deleted.
    with pytest.raises(BidError, match="yes or no, single choice"):
        change(cond["buy"], type="date")
    with pytest.raises(BidError, match="no longer offers"):
        change(cond["buy"], choices=["Skills", "Wifi"])
    with pytest.raises(BidError, match="remove its condition first"):
        builder.delete_question(question=cond["buy"], actor=personas.programme_manager)
    # Across sections: the section holding the controlling question cannot move below.
    _condition(personas, cond["plan"], cond["partners"], ["yes"])
    with pytest.raises(BidError, match="must come before it"):
        builder.save_section(round=personas.round, actor=personas.programme_manager, section=cond["about"], order=5)
    cond["about"].refresh_from_db()
    assert cond["about"].order == 1
    with pytest.raises(BidError, match="remove its condition first"):
        builder.delete_section(section=cond["about"], actor=personas.programme_manager)


def test_moving_a_section_below_a_question_that_depends_on_it_is_refused_on_the_page(personas, cond, client_for):
    _condition(personas, cond["plan"], cond["partners"], ["yes"])
    url = reverse("applications:staff_section_edit", args=[personas.round.slug, cond["about"].pk])
    page = client_for(personas.programme_manager).post(url, {"title": "About", "description": "", "order": "5"})
    assert page.status_code == 200
    assert 'id="id_order_error"' in page.content.decode() and "must come before it" in page.content.decode()
    cond["about"].refresh_from_db()
    assert cond["about"].order == 1


def test_conditions_are_set_on_the_builder_page_and_locked_once_bids_are_in(personas, cond, client_for):
    client = client_for(personas.programme_manager)
    url = reverse("applications:staff_question_edit", args=[personas.round.slug, cond["more"].pk, cond["plan"].pk])
    page = client.get(url).content.decode()
    assert "Only show this question when" in page and "‘Do you work with partners?’ is Yes" in page
    post = {"text": "Device plan", "type": "short_text", "order": "2", "required": "on"}
    mixed = client.post(url, {**post, "show_if": [f"{cond['partners'].pk}:yes", f"{cond['buy'].pk}:Skills"]})
    assert "Tick answers to one question only" in mixed.content.decode()
    client.post(url, {**post, "show_if": [f"{cond['buy'].pk}:Skills", f"{cond['buy'].pk}:Devices"]})
    assert Question.objects.get(pk=cond["plan"].pk).show_if_values == ["Skills", "Devices"]
    listing = client.get(reverse("applications:staff_questions", args=[personas.round.slug])).content.decode()
    assert "Shown only when ‘What will you buy?’ includes Skills or Devices" in listing

    bid = start(personas)
    _save(personas, bid, cond["about"], {cond["partners"].pk: "no"})
    type(bid).objects.filter(pk=bid.pk).update(status="submitted", submitted_at=bid.created_at)
    with pytest.raises(BidError, match="when a question is shown cannot change"):
        _condition(personas, cond["plan"], None, [])
    refused = client.post(url, post)  # unticking every answer would change the condition
    assert "when a question is shown cannot change" in refused.content.decode()
    assert Question.objects.get(pk=cond["plan"].pk).show_if_question_id == cond["buy"].pk


# Councils


def _conditional(client, url, question):
    """The wrapper the section page renders round a question an answer on the page can reveal."""
    page = lxml.html.fromstring(client.get(url).content)
    found = page.xpath(f'//*[@data-testid="conditional-{question.pk}"]')
    return found[0] if found else None


def test_section_page_shows_a_dependent_question_only_when_the_answer_calls_for_it(personas, cond, client_for):
    bid = start(personas)
    client = client_for(personas.lead_officer)
    url = reverse("applications:bid_section", args=[bid.pk, cond["about"].pk])
    assert _conditional(client, url, cond["which"]).get("hidden") is not None  # rendered, hidden
    saved = client.post(url, {f"q_{cond['partners'].pk}": "yes"})
    assert saved.status_code == 302 and saved.url.startswith(url)  # stays: an unanswered question now applies
    assert _conditional(client, url, cond["which"]).get("hidden") is None
    answered = client.post(url, {f"q_{cond['partners'].pk}": "yes", f"q_{cond['which'].pk}": "Kent Police"})
    assert answered.url == bid.get_absolute_url()  # revealed and answered on the page: no need to stay
    client.post(url, {f"q_{cond['partners'].pk}": "no"})  # the hidden question is not posted
    assert _conditional(client, url, cond["which"]).get("hidden") is not None
    assert Answer.objects.get(bid=bid, question=cond["which"]).value == "Kent Police"  # kept while drafting
    _save(personas, bid, cond["about"], {cond["partners"].pk: "yes"})
    assert "Kent Police" in client.get(url).content.decode()  # flipping back restores it


def test_section_page_marks_up_the_reveal_for_its_script(personas, cond, client_for):
    """The wrapper names the controlling question and the answers that reveal it; the page loads
    the script (a static file: the Content-Security-Policy allows no inline script). A question
    whose controlling question is on an earlier section is decided by the server alone."""
    bid = start(personas)
    client = client_for(personas.lead_officer)
    about = reverse("applications:bid_section", args=[bid.pk, cond["about"].pk])
    wrapper = _conditional(client, about, cond["which"])
    assert wrapper.get("data-show-if") == f"q_{cond['partners'].pk}"
    assert json.loads(wrapper.get("data-show-if-values")) == ["yes"]
    assert wrapper.xpath(f'.//textarea[@name="q_{cond["which"].pk}"]')
    page = lxml.html.fromstring(client.get(about).content)
    assert any(s.get("src", "").endswith("applications/conditional.js") for s in page.xpath("//script"))
    assert not page.xpath(f'//*[@data-testid="conditional-{cond["partners"].pk}"]')  # the controller is plain
    _condition(personas, cond["plan"], cond["partners"], ["yes"])  # now controlled from the first section
    spending = reverse("applications:bid_section", args=[bid.pk, cond["more"].pk])
    assert "Device plan" not in client.get(spending).content.decode()
    _save(personas, bid, cond["about"], {cond["partners"].pk: "yes"})
    assert (
        "Device plan" in client.get(spending).content.decode() and _conditional(client, spending, cond["plan"]) is None
    )


def test_a_page_put_back_with_errors_shows_what_its_own_answers_reveal(personas, cond, client_for):
    """What was typed decides: 'yes' with an error elsewhere shows the dependent question, and an
    error in a question the new answers hide refuses nothing."""
    number = QuestionFactory(
        section=cond["about"],
        text="How many partners?",
        type=T.WHOLE_NUMBER,
        order=3,
        show_if_question=cond["partners"],
        show_if_values=["yes"],
    )
    bid = start(personas)
    client = client_for(personas.lead_officer)
    url = reverse("applications:bid_section", args=[bid.pk, cond["about"].pk])
    refused = client.post(url, {f"q_{cond['partners'].pk}": "yes", f"q_{number.pk}": "lots"})
    assert refused.status_code == 200 and "Enter a whole number" in refused.content.decode()
    page = lxml.html.fromstring(refused.content)
    assert page.xpath(f'//*[@data-testid="conditional-{number.pk}"]')[0].get("hidden") is None
    hidden = client.post(url, {f"q_{cond['partners'].pk}": "no", f"q_{number.pk}": "lots"})
    assert hidden.status_code == 302
    assert not Answer.objects.filter(bid=bid, question=number).exists()


def test_a_hidden_question_is_not_required_a_shown_one_is(personas, cond):
    bid = start(personas)
    _save(personas, bid, cond["about"], {cond["partners"].pk: "no"})
    _save(personas, bid, cond["more"], {cond["buy"].pk: ["Skills"]})
    problems = services.submission_problems(bid=bid)
    assert not any("Which partners" in p or "Device plan" in p for p in problems)
    assert [s.status for s in selectors.task_list(bid=bid)] == ["Completed", "Completed"]
    _save(personas, bid, cond["more"], {cond["buy"].pk: ["Skills", "Devices"]})
    assert "Answer 'Device plan' in Spending" in services.submission_problems(bid=bid)
    assert [s.status for s in selectors.task_list(bid=bid)] == ["Completed", "In progress"]


def test_a_chain_hides_together(personas, cond):
    _condition(personas, cond["buy"], cond["partners"], ["yes"])
    bid = start(personas)
    _save(personas, bid, cond["about"], {cond["partners"].pk: "yes"})
    _save(personas, bid, cond["more"], {cond["buy"].pk: ["Devices"]})
    assert selectors.applicable_question_ids(bid=bid) >= {cond["buy"].pk, cond["plan"].pk}
    _save(personas, bid, cond["about"], {cond["partners"].pk: "no"})  # 'Devices' is still stored
    shown = selectors.applicable_question_ids(bid=bid)
    assert cond["buy"].pk not in shown and cond["plan"].pk not in shown


def _submit_with_stale_answer(personas, cond):
    bid = start(personas)
    _save(personas, bid, cond["about"], {cond["partners"].pk: "yes", cond["which"].pk: "STALE-PARTNERS"})
    _save(personas, bid, cond["about"], {cond["partners"].pk: "no"})
    _save(personas, bid, cond["more"], {cond["buy"].pk: ["Devices"], cond["plan"].pk: "Buy 40 tablets"})
    return bid


def test_check_answers_and_the_submitted_bid_show_only_what_applied(personas, cond, client_for):
    bid = _submit_with_stale_answer(personas, cond)
    client = client_for(personas.lead_officer)
    check = client.get(reverse("applications:bid_check", args=[bid.pk])).content.decode()
    assert "Buy 40 tablets" in check and "STALE-PARTNERS" not in check and "Which partners?" not in check
    services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name="Jane", declaration_role="Chief")
    assert Answer.objects.get(bid=bid, question=cond["which"]).value == "STALE-PARTNERS"  # kept, not shown
    for viewer in (personas.lead_officer, personas.programme_manager):
        page = client_for(viewer).get(reverse("applications:bid_detail", args=[bid.pk])).content.decode()
        assert "Buy 40 tablets" in page and "STALE-PARTNERS" not in page


def test_assessor_and_export_do_not_see_a_stale_hidden_answer(personas, cond, client_for):
    bid = _submit_with_stale_answer(personas, cond)
    bid = services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name="Jane", declaration_role="Chief")
    close_round(personas.round)
    declare(personas.assessor, personas.round)
    CriterionFactory(round=personas.round, name="Quality")
    scoring.assign(bid=bid, assessor=personas.assessor, actor=personas.programme_manager)
    url = reverse("scoring:assess_bid", args=[personas.round.slug, bid.pk])
    page = client_for(personas.assessor).get(url).content.decode()
    assert "Buy 40 tablets" in page and "STALE-PARTNERS" not in page
    download = client_for(personas.programme_manager).get(
        "/staff/reports/download/round-bids/csv/", {"round": personas.round.slug}
    )
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Which partners?"] == "" and row["Device plan"] == "Buy 40 tablets" and row["What will you buy?"]


def test_section_page_queries_do_not_grow_with_conditional_questions(personas, cond, client_for):
    bid = start(personas)
    client = client_for(personas.lead_officer)
    url = reverse("applications:bid_section", args=[bid.pk, cond["more"].pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.get(url)
    few = queries()
    for n in range(6):
        QuestionFactory(
            section=cond["more"],
            text=f"Extra {n}",
            order=10 + n,
            show_if_question=cond["partners" if n % 2 else "buy"],
            show_if_values=["yes"] if n % 2 else ["Skills"],
        )
    _save(personas, bid, cond["about"], {cond["partners"].pk: "yes"})
    assert queries() == few


def test_copying_questions_carries_their_conditions(personas, cond):
    target = f.RoundFactory(programme=personas.programme)
    builder.copy_questions(source=personas.round, target=target, actor=personas.programme_manager)
    copied = Question.objects.get(section__round=target, text="Device plan")
    assert copied.show_if_question.text == "What will you buy?" and copied.show_if_question.section.round == target
    assert copied.show_if_values == ["Devices"]
