"""A two-stage round from the demo, in Chromium, by the labels on the pages, axe on every page.

The programme manager finds the expressions of interest waiting on their home page, proposes to
invite Leeds (with feedback) and not to invite Bristol (with the reason), and confirms both. Leeds's
officer finds the invitation, sees the answers sent at the first stage kept, completes the
full-bid questions and submits. Bristol's bid says why it was not invited. Kent's officer reads the
other two-stage round's page (Productivity Experts), whose expressions of interest have closed.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from applications.models import Bid, BidStage, BidStatus
from grants.councils import councils_load
from grants.demo import DEMO_PASSWORD
from grants.models import User
from tests.conftest import enable_mfa
from tests.totp import current_code

from .conftest import check_a11y, click_through, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "two-stage"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(browser, live_server, email: str, secret: str | None = None):
    context = new_context(browser, live_server)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    click_through(page.get_by_role("button", name="Sign in"))
    if secret:
        page.wait_for_url("**/2fa/authenticate/**")
        page.locator("input[name=code]").fill(current_code(secret))
        click_through(page.locator("form button[type=submit]").first)
    assert "/accounts/" not in page.url, page.url
    check_a11y(page)
    return context, page


def _propose(page, lead: str, outcome: str, note: str) -> None:
    row = page.get_by_test_id("eois").get_by_role("row").filter(has_text=lead)
    click_through(row.get_by_role("link", name=re.compile("^Propose")))
    check_a11y(page)
    page.get_by_label(outcome).check()
    page.get_by_label("Reason or feedback for the council").fill(note)
    click_through(page.get_by_role("button", name="Save the proposed outcome"))
    check_a11y(page)


def test_two_stage_round_from_the_demo(browser, live_server):
    councils_load()
    call_command("seed_demo")
    manager = User.objects.get(email="cyber.manager@lga.example.com")
    secret = enable_mfa(manager)

    # The manager: home page, triage, confirm.
    context, page = _sign_in(browser, live_server, manager.email, secret)
    # The Productivity Experts round has two still to triage too: take the Cyber Security row.
    row = page.get_by_test_id("home-manager").get_by_role("row").filter(has_text="Cyber Security")
    click_through(row.get_by_role("link", name="Expressions of interest to triage"))
    check_a11y(page)
    assert "4 expressions of interest to triage" in page.get_by_test_id("eois").inner_text()
    _shot(page, "1-triage")
    _propose(page, "Leeds", "Invite to a full bid", "A strong case: show the costs of the rehearsal.")
    _propose(page, "Bristol", "Do not invite", "Staff training is funded by the national programme.")
    _shot(page, "2-proposed")
    click_through(page.get_by_role("button", name="Confirm 1 invitation and 1 decline"))
    check_a11y(page)
    _shot(page, "3-confirmed")
    leeds = Bid.objects.get(title="Leeds cyber incident exercise")
    bristol = Bid.objects.get(title="Bristol phishing resilience")
    assert (leeds.stage, leeds.status) == (BidStage.FULL, BidStatus.DRAFT)
    assert bristol.status == BidStatus.NOT_INVITED
    context.close()

    # Leeds: the invitation, answers kept, the full-bid questions, submit.
    context, page = _sign_in(browser, live_server, "council.officer@leeds.example.com")
    click_through(page.get_by_role("link", name=re.compile("Leeds cyber incident exercise")).first)
    check_a11y(page)
    _shot(page, "4-invited-bid")
    main = page.get_by_role("main").inner_text()
    assert "show the costs of the rehearsal" in main
    assert "We have never rehearsed a cyber incident with members." in main  # sent at the first stage
    click_through(page.get_by_role("link", name="Delivery and costs"))
    check_a11y(page)
    page.get_by_label("How will you deliver the work, and by when?").fill("A rehearsal in June with members.")
    page.get_by_label("How will you know your council is more resilient?").fill("Recovery time halves.")
    click_through(page.get_by_role("button", name="Save and continue"))
    click_through(page.get_by_role("link", name=re.compile("^Check your answers")))
    check_a11y(page)
    page.get_by_label("Name of the senior officer who approved this bid").fill("Tom Riordan")
    page.get_by_label(re.compile("job title")).fill("Chief Executive")
    page.get_by_label(re.compile("^I confirm")).check()
    click_through(page.get_by_role("button", name="Submit bid"))
    check_a11y(page)
    _shot(page, "5-submitted")
    leeds.refresh_from_db()
    assert (leeds.stage, leeds.status, leeds.reference) == (BidStage.FULL, BidStatus.SUBMITTED, leeds.reference)
    assert leeds.answers.count() == 4  # two from the expression of interest, two from the full bid
    context.close()

    # Kent: the other two-stage round's page.
    context, page = _sign_in(browser, live_server, "council.officer@kent.example.com")
    page.goto(f"/rounds/{Bid.objects.filter(stage=BidStage.EOI).exclude(round=leeds.round).first().round.slug}/")
    check_a11y(page)
    assert "expression of interest" in page.get_by_role("main").inner_text().lower()
    context.close()
