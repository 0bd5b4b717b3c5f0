"""Staff bid list, figures, exports and the question builder."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from applications import builder
from applications.models import Bid, BidStatus, Question, QuestionType
from applications.services import BidError
from tests import factories as f

from .factories import AnswerFactory, BidFactory, BidPartnerFactory, QuestionFactory


def _bids(round, n, start=0):
    for i in range(start, start + n):
        bid = BidFactory(
            round=round,
            status=BidStatus.SUBMITTED,
            reference=f"{round.reference_prefix}-{i + 1:06d}",
            reference_number=i + 1,
            amount_requested=Decimal("25000.00"),
            submitted_at=timezone.now(),
        )
        BidPartnerFactory(bid=bid)
    return bid


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_staff_list_query_count_does_not_grow(personas, client_for):
    client = client_for(personas.programme_manager)
    url = f"/staff/rounds/{personas.round.slug}/bids/"
    _bids(personas.round, 3)
    few = _list_queries(client, url)
    _bids(personas.round, 30, start=3)
    many = _list_queries(client, url)
    assert many == few, (few, many)
    assert many <= 20


def test_staff_list_figures_filters_search_and_pagination(personas, client_for):
    client = client_for(personas.programme_manager)
    _bids(personas.round, 55)
    BidFactory(round=personas.round, lead=personas.lead_org, title="Kent draft")
    url = f"/staff/rounds/{personas.round.slug}/bids/"
    page = client.get(url).content.decode()
    # 55 submitted x £25,000 = £1,375,000 against £500,000: 2.75 times
    assert "£1,375,000" in page and "oversubscribed 2.75 times" in page
    assert "Draft 1" in page and "Submitted 55" in page and "Page 1 of 2" in page
    assert "56 bids match" in page
    assert "1 bid match" in client.get(url, {"q": "Kent"}).content.decode()
    assert "1 bid match" in client.get(url, {"status": "draft"}).content.decode()
    assert "1 bid match" in client.get(url, {"partner": "single"}).content.decode()
    assert "55 bids match" in client.get(url, {"partner": "joint", "sort": "-amount"}).content.decode()
    assert client.get(url, {"page": "999", "sort": "nonsense"}).status_code == 200


def test_staff_list_under_budget_is_not_called_oversubscribed(personas, client_for):
    """6 submitted x £25,000 = £150,000 against £500,000: the page must not say "oversubscribed"."""
    _bids(personas.round, 6)
    page = client_for(personas.programme_manager).get(f"/staff/rounds/{personas.round.slug}/bids/").content.decode()
    assert "£150,000 against a budget of £500,000: not oversubscribed" in page
    assert "oversubscribed 0." not in page


def test_csv_and_xlsx_exports_hold_answers(personas, client_for):
    bid = _bids(personas.round, 1)
    question = QuestionFactory(section__round=personas.round, text="Why?", type=QuestionType.LONG_TEXT)
    AnswerFactory(bid=bid, question=question, value="=HYPERLINK(evil)")
    client = client_for(personas.programme_manager)
    response = client.get(f"/staff/rounds/{personas.round.slug}/bids/export.csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][-2] == "Why?" and rows[1][0] == bid.reference and rows[1][-2] == "'=HYPERLINK(evil)"
    xlsx = client.get(f"/staff/rounds/{personas.round.slug}/bids/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert sheet.cell(row=2, column=1).value == bid.reference
    assert client.get(f"/staff/rounds/{personas.round.slug}/bids/export.exe").status_code == 404
    assert (
        client_for(personas.other_programme_manager)
        .get(f"/staff/rounds/{personas.round.slug}/bids/export.csv")
        .status_code
        == 404
    )


def test_builder_pages_create_sections_and_questions(personas, client_for):
    client = client_for(personas.programme_manager)
    base = f"/staff/rounds/{personas.round.slug}"
    assert client.post(f"{base}/sections/new/", {"title": "Need", "order": "1"}).status_code == 302
    section = personas.round.sections.get()
    bad = client.post(
        f"{base}/sections/{section.pk}/questions/new/",
        {"text": "Approach", "type": "single_choice", "choices_text": "Only one", "order": "1", "required": "on"},
    )
    assert "at least 2 options" in bad.content.decode()
    client.post(
        f"{base}/sections/{section.pk}/questions/new/",
        {"text": "Approach", "type": "single_choice", "choices_text": "A\nB", "order": "1", "required": "on"},
    )
    assert Question.objects.get().choices == ["A", "B"]
    assert client_for(personas.other_programme_manager).get(f"{base}/questions/").status_code == 404
    assert client_for(personas.finance_officer).get(f"{base}/questions/").status_code == 404


def test_questions_lock_after_first_submission(personas, client_for):
    question = QuestionFactory(section__round=personas.round, type=QuestionType.SINGLE_CHOICE, choices=["A", "B"])
    builder.delete_question(question=QuestionFactory(section=question.section), actor=personas.programme_manager)
    bid = _bids(personas.round, 1)
    AnswerFactory(bid=bid, question=question, value="A")
    with pytest.raises(BidError, match="cannot be deleted"):
        builder.delete_question(question=question, actor=personas.programme_manager)
    with pytest.raises(BidError, match="type cannot change"):
        builder.save_question(
            section=question.section, actor=personas.programme_manager, question=question, type="short_text"
        )
    with pytest.raises(BidError, match="options that bids have chosen"):
        builder.save_question(
            section=question.section, actor=personas.programme_manager, question=question, choices=["B"]
        )
    builder.save_question(
        section=question.section,
        actor=personas.programme_manager,
        question=question,
        text="Clearer wording",
        choices=["A", "B", "C"],
    )
    page = client_for(personas.programme_manager).post(
        f"/staff/rounds/{personas.round.slug}/question/{question.pk}/delete/", follow=True
    )
    assert "cannot be deleted" in page.content.decode() and Question.objects.filter(pk=question.pk).exists()


def test_copy_questions_from_an_earlier_round(personas, client_for):
    earlier = f.RoundFactory(programme=personas.programme)
    QuestionFactory(section__round=earlier, text="Old question", type=QuestionType.LONG_TEXT, word_limit=250)
    client = client_for(personas.programme_manager)
    client.post(f"/staff/rounds/{personas.round.slug}/questions/", {"source": earlier.pk})
    copied = Question.objects.get(section__round=personas.round)
    assert copied.text == "Old question" and copied.word_limit == 250


def test_extension_page(personas, client_for):
    from datetime import timedelta

    from django.utils import timezone

    client = client_for(personas.programme_manager)
    when = timezone.localtime(personas.round.closes_at + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/staff/rounds/{personas.round.slug}/extensions/",
        {"organisation": personas.lead_org.code, "new_deadline": when, "reason": "Power cut"},
        follow=True,
    )
    assert "Power cut" in response.content.decode()
    assert Bid.objects.count() == 0 and personas.round.extensions.get().organisation == personas.lead_org


def test_staff_reach_the_lead_councils_profile_from_a_bid(personas, client_for):
    bid = BidFactory(round=personas.round, lead=personas.lead_org, status=BidStatus.SUBMITTED)
    url = f"/bids/{bid.pk}/"
    staff_page = client_for(personas.programme_manager).get(url).content.decode()
    assert f'href="/staff/councils/{personas.lead_org.code}/"' in staff_page
    council_page = client_for(personas.lead_officer).get(url).content.decode()
    assert "/staff/councils/" not in council_page  # the profile is a staff page
