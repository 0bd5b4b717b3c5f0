"""A panel member signs in with MFA, declares an interest, scores a bid and submits; the chair
moderates; the programme manager decides. axe checks every page."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from applications.models import Bid, BidStatus
from grants.models import StaffRole
from scoring import services
from scoring.models import Interest, ModeratedScore, Scale
from tests import factories as f
from tests.conftest import enable_mfa
from tests.scoring.factories import ClosedRoundFactory, CriterionFactory, SubmittedBidFactory, declare
from tests.scoring.helpers import assign_and_submit

from .conftest import check_a11y, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, user, secret):
    return signed_in(browser, live_server, user.email, f.PASSWORD, secret)


def test_assess_moderate_and_decide(browser, live_server):
    rnd = ClosedRoundFactory(name="Behavioural Insights journey round", slug="bi-journey", reference_prefix="BIJ")
    panel = f.PanelFactory(round=rnd)
    assessor, chair, other = (
        f.UserFactory(full_name="Asha Assessor"),
        f.UserFactory(full_name="Carl Chair"),
        f.UserFactory(),
    )
    manager = f.UserFactory(full_name="Pat Manager")
    StaffRole.objects.create(user=manager, role="programme_manager", programme=rnd.programme)
    for user, is_chair in ((assessor, False), (chair, True), (other, False)):
        f.PanelMemberFactory(panel=panel, user=user, is_chair=is_chair)
    secrets = {u.pk: enable_mfa(u) for u in (assessor, chair, manager)}
    enable_mfa(other)
    quality = CriterionFactory(
        round=rnd, name="Quality of the plan", weight=3, scale=Scale.ZERO_FOUR, descriptors={"4": "Excellent"}
    )
    gateway = CriterionFactory(round=rnd, name="Eligible", scale=Scale.GATEWAY)
    interest_org = f.OrganisationFactory(short_name="Journeyshire")
    lead = f.OrganisationFactory(short_name="Nudgeton")
    f.CouncilOfficerFactory(organisation=lead)
    bid = SubmittedBidFactory(round=rnd, lead=lead, title="Nudging recycling", amount_requested=Decimal("40000.00"))
    declare(other, rnd)
    assign_and_submit(bid=bid, assessor=other, criteria=[quality, gateway], scores={quality: 0, gateway: 1})
    services.assign(bid=bid, assessor=assessor, actor=manager)

    # The assessor: declaration first, then the queue, then scoring.
    context, page = _signed_in(browser, live_server, assessor, secrets[assessor.pk])
    page.get_by_role("link", name="Your assessments").click()
    check_a11y(page)
    page.get_by_role("link", name=rnd.name).click()
    page.wait_for_url("**/declaration/")
    check_a11y(page)
    page.get_by_label("Organisation").select_option(label="Journeyshire")
    page.get_by_label("Nature of the interest").fill("I was a trustee of its leisure trust until 2017")
    page.get_by_role("button", name="Add this interest").click()
    assert "Journeyshire" in page.get_by_test_id("interests").inner_text()
    page.get_by_role("button", name="Confirm my declaration").click()
    page.wait_for_url(f"**/assess/{rnd.slug}/")
    check_a11y(page)
    page.get_by_role("link", name=bid.reference).click()
    check_a11y(page)
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Pass").check()
    page.get_by_label("Justification for Quality of the plan").fill("A randomised trial with a clear baseline.")
    page.get_by_label("Justification for Eligible").fill("A council-led demand project.")
    page.get_by_role("button", name="Submit assessment").click()
    page.wait_for_url(f"**/assess/{rnd.slug}/")
    assert "Submitted" in page.get_by_test_id("queue").inner_text()
    check_a11y(page)
    context.close()

    # The chair: the assessors differ by 100 points, so the bid is on the moderation list.
    context, page = _signed_in(browser, live_server, chair, secrets[chair.pk])
    page.goto(f"/assess/{rnd.slug}/moderation/")
    check_a11y(page)
    page.get_by_role("link", name=bid.reference).click()
    check_a11y(page)
    # A reason missing on one criterion: nothing is saved, and the summary names it.
    page.get_by_label("Moderated score for Quality of the plan").select_option("3")
    page.get_by_label("Reason for Quality of the plan").fill("Agreed at the panel meeting: good plan, thin costs.")
    page.get_by_label("Moderated score for Eligible").select_option("1")
    page.get_by_role("button", name="Record moderated scores").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Eligible: give a reason for the moderated score" in summary.inner_text()
    assert not ModeratedScore.objects.filter(bid=bid).exists()
    check_a11y(page)
    summary.get_by_role("link", name="Eligible: give a reason for the moderated score").click()
    page.get_by_label("Reason for Eligible").fill("Eligible: a council-led project.")
    page.get_by_role("button", name="Record moderated scores").click()
    page.wait_for_url(f"**/assess/{rnd.slug}/moderation/")
    assert "Moderated" in page.get_by_test_id("moderation").inner_text()
    check_a11y(page)
    context.close()

    # The manager: assignments (a withdrawal needs a reason), the register, the ranking, a
    # partial award, confirmation.
    context, page = _signed_in(browser, live_server, manager, secrets[manager.pk])
    page.goto(f"/staff/rounds/{rnd.slug}/panel/assignments/")
    check_a11y(page)
    page.locator("summary", has_text=f"{other.get_full_name()} from {bid.reference}").click()
    page.get_by_role("button", name=f"Withdraw {other.get_full_name()} from {bid.reference}").click()
    assert "Enter a reason for withdrawing" in page.locator(".govuk-error-summary").inner_text()
    check_a11y(page)
    page.goto(f"/staff/rounds/{rnd.slug}/panel/interests/")
    assert "Journeyshire" in page.get_by_test_id("register").inner_text()
    check_a11y(page)
    page.goto(f"/staff/rounds/{rnd.slug}/ranking/")
    check_a11y(page)
    assert "75%" in page.get_by_test_id("rank-1").inner_text()
    page.get_by_role("link", name=f"Decide on {bid.reference}").click()
    check_a11y(page)
    page.get_by_label("Funded", exact=True).check()
    page.get_by_label("Amount to fund (£)").fill("35000")
    page.get_by_role("button", name="Save the proposed decision").click()
    page.wait_for_url("**/ranking/")
    page.get_by_label(f"Confirm the decision on {bid.reference}").check()
    page.get_by_role("button", name="Confirm the selected decisions").click()
    page.wait_for_url("**/ranking/")
    assert "1 decision confirmed (£35,000 funded)" in page.content()
    assert "Confirmed" in page.get_by_test_id("rank-1").inner_text()
    check_a11y(page)
    context.close()

    bid = Bid.objects.get(pk=bid.pk)
    assert bid.status == BidStatus.FUNDED
    assert bid.decision.amount == Decimal("35000.00")
    from grants.awards.models import Award

    assert Award.objects.get(bid=bid).amount == Decimal("35000.00")
    assert Interest.objects.filter(user=assessor, organisation=interest_org, round=rnd).exists()
