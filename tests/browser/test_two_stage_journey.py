"""A two-stage round from the demo, in Chromium, by the labels on the pages, axe on every page.

The programme manager finds the expressions of interest waiting on their home page, proposes to
invite Leeds (with feedback) and not to invite Bristol (with the reason), and confirms both. Leeds's
officer finds the invitation, sees the answers sent at the first stage kept, completes the
full-bid questions and submits. The manager assigns the full bid to the two panel members; each
signs in with two-factor, declares no interests and scores it with a comment on every criterion.
The manager reads the ranking, proposes funding and confirms it; the round stays open for the
other invited councils. Leeds reads the decision among its notifications, the feedback on its bid
and the offer. Bristol's bid says why it was not invited. Kent's officer reads the other
two-stage round's page (Productivity Experts), whose expressions of interest have closed.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from applications.models import Bid, BidStage, BidStatus
from grants.councils import councils_load
from grants.demo import DEMO_PASSWORD
from grants.models import Round, User
from tests.conftest import enable_mfa

from .conftest import check_a11y, click_through, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "two-stage"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(browser, live_server, email: str, secret: str | None = None):
    return signed_in(browser, live_server, email, DEMO_PASSWORD, secret)


def _propose(page, lead: str, outcome: str, note: str) -> None:
    row = page.get_by_test_id("eois").get_by_role("row").filter(has_text=lead)
    click_through(row.get_by_role("link", name=re.compile("^Propose")))
    check_a11y(page)
    page.get_by_label(outcome).check()
    page.get_by_label("Reason or feedback for the council").fill(note)
    click_through(page.get_by_role("button", name="Save the proposed outcome"))
    check_a11y(page)


# Each panel member's scores (criterion: score, comment). Weighted 40/30/20/10 on 0 to 4:
# the member gives 80%, the chair 72.5%, so the ranking shows their mean, 76.25%.
SCORES = {
    "member": {
        "Cyber risk reduced": (3, "Rehearsing with members closes the gap the council names."),
        "Deliverability": (4, "A rehearsal in June, with the LGA and the NCSC already lined up."),
        "Value for money": (3, "£10,000 for one exercise is fair; the costs could be itemised."),
        "Sustainability after the grant": (2, "No plan yet to repeat the exercise each year."),
    },
    "chair": {
        "Cyber risk reduced": (3, "A real gap: members have never rehearsed an incident."),
        "Deliverability": (3, "Plausible, but the June date depends on members' diaries."),
        "Value for money": (3, "Reasonable for a facilitated exercise."),
        "Sustainability after the grant": (2, "Recovery time is measured once, not tracked."),
    },
}


def _home(page) -> None:
    click_through(page.get_by_role("link", name="Your work"))
    check_a11y(page)


def _assign(page, bid) -> None:
    """The manager, from their home page: the new full bid waits for assessors; each panel member
    is chosen in turn and the bid ticked."""
    _home(page)
    click_through(page.get_by_role("link", name=f"Bids waiting for assignment in {bid.round.name}"))
    check_a11y(page)
    table = page.get_by_test_id("assignments")
    assert "1 bid" in table.locator("caption").inner_text()  # the full bid only, not the expressions of interest
    assert bid.reference in table.inner_text()
    _shot(page, "6-assignments")
    for name in ("Chris Evans", "Morag Reid"):
        page.get_by_label("Assign the bids ticked below to").select_option(label=name)
        page.get_by_label(f"Select {bid.reference}").check()
        click_through(page.get_by_role("button", name="Assign the selected bids"))
        check_a11y(page)
        assert f"1 bid assigned to {name}" in page.get_by_role("main").inner_text()
    assert "Complete" in page.get_by_test_id("assignments").inner_text()
    _shot(page, "7-assigned")


def _assess(browser, live_server, email: str, bid, scores: dict, shot: str) -> None:
    """A panel member signs in with two-factor, declares no interests, and scores the bid with a
    comment on every criterion."""
    user = User.objects.get(email=email)
    context, page = _sign_in(browser, live_server, email, enable_mfa(user))
    who = user.full_name.split()[0].lower()
    _shot(page, f"{shot}a-home-{who}")
    click_through(page.get_by_role("link", name="Your assessments"))
    check_a11y(page)
    click_through(page.get_by_role("link", name=bid.round.name))
    assert "/declaration/" in page.url, page.url  # interests first: no bid is shown before
    check_a11y(page)
    _shot(page, f"{shot}b-declaration-{who}")
    click_through(page.get_by_role("button", name="Confirm my declaration"))
    check_a11y(page)
    queue = page.get_by_test_id("queue")
    assert "Leeds" in queue.inner_text() and "Not started" in queue.inner_text()
    click_through(queue.get_by_role("link", name=bid.reference))
    check_a11y(page)
    main = page.get_by_role("main").inner_text()
    assert "We have never rehearsed a cyber incident with members." in main  # the expression of interest
    assert "A rehearsal in June with members." in main  # and the full bid
    for criterion, (score, comment) in scores.items():
        page.get_by_role("group", name=re.compile(f"^{criterion}")).get_by_label(str(score), exact=True).check()
        page.get_by_label(f"Justification for {criterion}").fill(comment)
    _shot(page, f"{shot}c-scoring-{who}")
    click_through(page.get_by_role("button", name="Submit assessment"))
    check_a11y(page)
    assert "Submitted" in page.get_by_test_id("queue").inner_text()
    context.close()


def _decide(page, bid) -> None:
    """The manager: the ranking shows the mean score; a proposed decision to fund, then the batch
    confirmation."""
    click_through(page.get_by_role("link", name="Assessment", exact=True))
    check_a11y(page)
    click_through(page.get_by_role("link", name=f"Ranking for {bid.round.name}"))
    check_a11y(page)
    ranking = page.get_by_test_id("ranking")
    assert "1 bid" in ranking.locator("caption").inner_text()
    assert "76.25%" in page.get_by_test_id("rank-1").inner_text()
    assert "the bids above it fit the budget, with £290,000 left" in page.get_by_test_id("funding-line").inner_text()
    expect(page.get_by_test_id("still-open")).to_be_visible()  # more invited full bids may come
    _shot(page, "10-ranking")
    click_through(page.get_by_role("link", name=f"Decide on {bid.reference}"))
    check_a11y(page)
    page.get_by_label("Funded", exact=True).check()
    page.get_by_label(re.compile("^Feedback")).fill("Funded in full: please share the rehearsal's lessons.")
    _shot(page, "11-decide")
    click_through(page.get_by_role("button", name="Save the proposed decision"))
    check_a11y(page)
    assert "Proposed" in page.get_by_test_id("rank-1").inner_text()
    page.get_by_label(f"Confirm the decision on {bid.reference}").check()
    click_through(page.get_by_role("button", name="Confirm the selected decisions"))
    check_a11y(page)
    assert "1 decision confirmed (£10,000 funded); the council will be told" in page.get_by_role("main").inner_text()
    assert "Confirmed" in page.get_by_test_id("rank-1").inner_text()
    assert page.get_by_role("button", name="Confirm the selected decisions").count() == 0  # nothing left to confirm
    _shot(page, "12-confirmed")
    bid.refresh_from_db()
    assert bid.status == BidStatus.FUNDED
    # Still open: the other invited councils' full bids are to come, and must be scored.
    assert Round.objects.get(pk=bid.round_id).decided_at is None


def _outcome_for_leeds(browser, live_server, bid) -> None:
    """Leeds's officer: the decision among their notifications, the outcome and the programme's
    feedback on the bid, then the offer from their home page."""
    context, page = _sign_in(browser, live_server, "council.officer@leeds.example.com")
    click_through(page.get_by_role("link", name=re.compile("^Notifications")))
    check_a11y(page)
    _shot(page, "13-leeds-notifications")
    click_through(page.get_by_role("link", name=f"Decision on bid {bid.reference}"))
    check_a11y(page)
    _shot(page, "14-leeds-outcome")
    assert page.get_by_test_id("bid-status").inner_text() == "Funded"
    feedback = page.get_by_test_id("status-reason").inner_text()
    assert feedback == "The programme's feedback: Funded in full: please share the rehearsal's lessons."
    _home(page)
    click_through(page.get_by_role("link", name="Accept or decline the offer"))
    check_a11y(page)
    _shot(page, "15-leeds-offer")
    assert "£10,000" in page.get_by_test_id("signatory-accepts").inner_text()  # Leeds's signatory accepts it
    context.close()


def test_two_stage_round_from_the_demo(browser, live_server):
    councils_load()
    call_command("seed_demo")
    manager = User.objects.get(email="cyber.manager@lga.example.com")
    secret = enable_mfa(manager)
    cyber = Round.objects.get(name__startswith="Cyber Security", eoi_closes_at__isnull=False)

    # The manager: home page, triage, confirm.
    context, page = _sign_in(browser, live_server, manager.email, secret)
    click_through(page.get_by_role("link", name=f"Expressions of interest to triage in {cyber.name}"))
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
    manager_context, manager_page = context, page  # kept signed in: a code is accepted once

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

    _assign(manager_page, leeds)
    _assess(browser, live_server, "panel.member@lga.example.com", leeds, SCORES["member"], "8")
    _assess(browser, live_server, "panel.chair@lga.example.com", leeds, SCORES["chair"], "9")
    _decide(manager_page, leeds)
    manager_context.close()
    _outcome_for_leeds(browser, live_server, leeds)

    # Kent: the other two-stage round's page.
    context, page = _sign_in(browser, live_server, "council.officer@kent.example.com")
    page.goto(f"/rounds/{Bid.objects.filter(stage=BidStage.EOI).exclude(round=leeds.round).first().round.slug}/")
    check_a11y(page)
    assert "expression of interest" in page.get_by_role("main").inner_text().lower()
    context.close()
