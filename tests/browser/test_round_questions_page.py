"""A visitor reads a round's questions before starting: reached from the round page, accessible,
with a print button that JavaScript shows."""

import pytest
from playwright.sync_api import expect

from applications.models import QuestionType
from tests import factories as f
from tests.applications.factories import QuestionFactory, SectionFactory

from .conftest import check_a11y

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_questions_page_from_the_round_page(page):
    rnd = f.RoundFactory(name="Digital Inclusion 2019/20")
    section = SectionFactory(round=rnd, title="About the project", order=1)
    QuestionFactory(
        section=section, text="What is the aim?", hint="Who benefits", type=QuestionType.LONG_TEXT, word_limit=500
    )

    page.goto(rnd.get_absolute_url())
    page.get_by_role("link", name="Read the questions before you start").click()
    page.wait_for_url("**/questions/")
    check_a11y(page)
    expect(page.get_by_role("heading", name="Read the questions before you start")).to_be_visible()
    assert "Long text, up to 500 words" in page.get_by_test_id("question").inner_text()
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
