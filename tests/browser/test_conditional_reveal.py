"""A follow-up question on the same section page is revealed as the council answers, the GOV.UK
conditional reveal way (aria-controls and aria-expanded on the controlling radios), and an answer
the council then hid again is kept but never shown on check your answers."""

import pytest
from playwright.sync_api import expect

from applications import services
from applications.models import Answer, QuestionType
from grants.models import OrgRole
from tests import factories as f
from tests.applications.factories import QuestionFactory, SectionFactory
from tests.applications.test_services import DETAILS

from .conftest import check_a11y, click_through, sign_in

# GOV.UK Frontend keeps aria-expanded on a radio that reveals content although ARIA 1.2 does not
# list it for radios, because screen readers announce it (alphagov/govuk-frontend#979, a known
# axe finding). We follow it, so axe's aria-allowed-attr is allowed on the section page only for
# the controlling radios themselves: `check_reveal_a11y` fails on it anywhere else.
REVEAL_ATTR = "aria-allowed-attr"


def check_reveal_a11y(page) -> None:
    check_a11y(page, allow=(REVEAL_ATTR,))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['aria-allowed-attr'], resultTypes: ['violations']})"
    )
    targets = [n["target"][0] for v in result["violations"] for n in v["nodes"]]
    controlling = page.evaluate("() => [...document.querySelectorAll('input[aria-controls]')].map((i) => '#' + i.id)")
    assert set(targets) <= set(controlling), targets


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_up_question_is_revealed_and_a_hidden_answer_stays_off_check_your_answers(page):
    lead = f.OrganisationFactory(short_name="Kentish", name="Kentish County Council", code="KTX")
    officer = f.UserFactory(email="officer@kentish.example.com", organisation=lead, org_role=OrgRole.OFFICER)
    rnd = f.RoundFactory(name="Conditional round", reference_prefix="CND")
    about = SectionFactory(round=rnd, title="About the project", order=1)
    partners = QuestionFactory(section=about, text="Do you work with partners?", type=QuestionType.YES_NO, order=1)
    which = QuestionFactory(
        section=about,
        text="Which partners?",
        type=QuestionType.SHORT_TEXT,
        order=2,
        show_if_question=partners,
        show_if_values=["yes"],
    )
    bid = services.start_bid(round=rnd, actor=officer, **DETAILS)
    sign_in(page, officer.email, f.PASSWORD)
    page.goto(f"/bids/{bid.pk}/sections/{about.pk}/")
    check_reveal_a11y(page)
    follow_up = page.get_by_label("Which partners?")
    yes = page.get_by_role("radio", name="Yes")
    expect(follow_up).to_be_hidden()
    assert yes.get_attribute("aria-controls") == f"q_{which.pk}-conditional"
    assert yes.get_attribute("aria-expanded") == "false"

    yes.check()
    follow_up.wait_for(state="visible")
    assert yes.get_attribute("aria-expanded") == "true"
    check_reveal_a11y(page)
    follow_up.fill("Kent Police")
    click_through(page.get_by_role("button", name="Save and continue"))
    assert Answer.objects.get(bid=bid, question=which).value == "Kent Police"

    page.goto(f"/bids/{bid.pk}/sections/{about.pk}/")
    expect(follow_up).to_be_visible()
    assert follow_up.input_value() == "Kent Police"
    page.get_by_role("radio", name="No").check()
    follow_up.wait_for(state="hidden")
    assert yes.get_attribute("aria-expanded") == "false"
    click_through(page.get_by_role("button", name="Save and continue"))
    assert Answer.objects.get(bid=bid, question=which).value == "Kent Police"  # kept in case of a change back

    page.goto(f"/bids/{bid.pk}/check/")
    check_a11y(page)
    body = page.locator("main").inner_text()
    assert "Do you work with partners?" in body and "Which partners?" not in body and "Kent Police" not in body
