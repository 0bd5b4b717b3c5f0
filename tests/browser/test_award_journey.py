"""The manager sets the offer's conditions and splits the payment over two tranches; the council
signatory accepts the offer and sends an Amber return with a PDF attached (a spoofed file refused
first); the manager reads the PDF and asks for changes; the council resubmits; the manager
approves; finance records a payment with a TOTP code. axe runs on every page."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from grants.awards.models import AwardStatus, ReturnStatus, TrancheStatus
from grants.models import OrgKind, OrgRole, StaffRole
from tests import factories as f
from tests.applications.factories import PDF, PNG
from tests.awards.factories import AwardFactory, ReturnPeriodFactory, RoundOutputFactory, totp_code
from tests.conftest import enable_mfa

from .conftest import check_a11y, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_staff(page, user) -> None:
    cache.clear()  # each sign-in stands for a fresh 30-second code window
    sign_in(page, user.email, f.PASSWORD)
    page.wait_for_url("**/2fa/authenticate/**")
    check_a11y(page)
    page.locator("input[name=code]").fill(totp_code(user))
    with page.expect_navigation():
        page.locator("input[name=code]").press("Enter")


def test_award_journey(page):
    lead = f.OrganisationFactory(short_name="Kentish", name="Kentish County Council", code="KTY", kind=OrgKind.COUNTY)
    signatory = f.UserFactory(email="sign@kentish.example.com", organisation=lead, org_role=OrgRole.SIGNATORY)
    rnd = f.RoundFactory(name="Behavioural Insights test phase")
    pm = f.UserFactory(email="pm@lga.example.com")
    StaffRole.objects.create(user=pm, role=StaffRole.Role.PROGRAMME_MANAGER, programme=rnd.programme)
    finance = f.UserFactory(email="finance@lga.example.com")
    StaffRole.objects.create(user=finance, role=StaffRole.Role.FINANCE_OFFICER)
    enable_mfa(pm)
    enable_mfa(finance)
    award = AwardFactory(
        round=rnd,
        lead=lead,
        title="Nudging recycling",
        amount=Decimal("30000"),
        respond_by=timezone.localdate() + timedelta(days=28),
    )
    ReturnPeriodFactory(round=rnd, title="Quarter 1", due_on=timezone.localdate() + timedelta(days=20))
    RoundOutputFactory(round=rnd, kind="savings", unit="pounds")

    # The manager sets the conditions and splits the £30,000 into two tranches.
    sign_in_staff(page, pm)
    page.goto(award.get_absolute_url())
    page.get_by_role("link", name="Offer terms").click()
    check_a11y(page)
    page.get_by_label("Conditions").fill("Share the trial results with other councils.")
    page.get_by_role("button", name="Save the terms").click()
    assert page.get_by_test_id("award-status").inner_text() == "Offered"  # saved: back on the award
    page.get_by_role("link", name="Plan payments").click()
    check_a11y(page)
    page.get_by_role("button", name="Add another tranche").click()
    check_a11y(page)
    assert page.locator("input[name$='-amount']").count() == 3
    page.get_by_label("Tranche 1 amount").fill("10000")
    page.get_by_label("Tranche 2 amount").fill("20000")
    page.get_by_label("Tranche 2 due date").fill(f"{timezone.localdate() + timedelta(days=200):%Y-%m-%d}")
    page.get_by_role("button", name="Save payment schedule").click()
    check_a11y(page)
    assert [t.amount for t in award.tranches.order_by("number")] == [Decimal("10000"), Decimal("20000")]
    sign_out(page)

    # The signatory accepts the offer.
    sign_in(page, signatory.email, f.PASSWORD)
    page.goto("/awards/")
    check_a11y(page)
    page.get_by_role("link", name="Nudging recycling").click()
    check_a11y(page)
    page.get_by_role("link", name="Offer letter").click()
    check_a11y(page)
    assert "Share the trial results with other councils." in page.get_by_test_id("conditions").inner_text()
    page.go_back()
    page.get_by_role("link", name="Review and accept the offer").click()
    check_a11y(page)
    page.get_by_label("Your full name").fill("Sam Signer")
    page.get_by_label("Your job title").fill("Chief Executive")
    page.get_by_role("button", name="Accept the offer").click()
    check_a11y(page)  # error summary: terms not confirmed
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("I confirm that I am authorised").check()
    page.get_by_role("button", name="Accept the offer").click()
    assert page.get_by_test_id("award-status").inner_text() == "Accepted"
    check_a11y(page)

    # An Amber return with commentary.
    page.goto("/awards/")
    page.get_by_role("link", name="Return: Quarter 1").click()
    check_a11y(page)
    page.get_by_label("Amber").check()
    files = page.get_by_label("Evidence files (optional)", exact=True)
    files.set_input_files([{"name": "booking.pdf", "mimeType": "application/pdf", "buffer": PNG}])
    page.get_by_role("button", name="Send return").click()
    check_a11y(page)  # a refused file: the error summary names it, the RAG chosen is kept
    errors = page.locator(".govuk-error-summary").inner_text()
    assert "booking.pdf: the file's name ends .pdf but it is a PNG file" in errors
    assert "required for an Amber or Red" in errors and page.get_by_label("Amber").is_checked()
    files.set_input_files([{"name": "printer-booking.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Send return").click()
    check_a11y(page)  # the PDF is kept and listed though the commentary is still missing
    assert "required for an Amber or Red" in page.locator(".govuk-error-summary").inner_text()
    assert "printer-booking.pdf" in page.get_by_test_id("evidence-files").inner_text()
    page.get_by_label("Commentary").fill("Printing delayed; a second printer is booked")
    page.get_by_label("Savings this period").fill("1200")
    page.get_by_role("button", name="Send return").click()
    check_a11y(page)
    mreturn = award.returns.get()
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.SUBMITTED and mreturn.rag == "amber"
    assert [f.original_name for f in mreturn.evidence_files.all()] == ["printer-booking.pdf"]
    sign_out(page)

    # The manager asks for changes.
    sign_in_staff(page, pm)
    page.goto("/staff/portfolio/")
    check_a11y(page)
    page.get_by_role("link", name=award.reference).click()
    check_a11y(page)
    page.get_by_role("link", name="Quarter 1").click()
    check_a11y(page)
    with page.expect_download() as download:  # the manager reads the council's evidence
        page.get_by_role("link", name="printer-booking.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    page.get_by_label("Ask the council for changes").check()
    page.get_by_label("What needs to change").fill("Say when the second printer delivers")
    page.get_by_role("button", name="Save decision").click()
    check_a11y(page)
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.CHANGES_REQUESTED
    sign_out(page)

    # The council resubmits.
    sign_in(page, signatory.email, f.PASSWORD)
    page.goto("/awards/")
    page.get_by_role("link", name="Resubmit return: Quarter 1").click()
    check_a11y(page)
    assert "Say when the second printer delivers" in page.locator(".govuk-warning-text").inner_text()
    assert "printer-booking.pdf" in page.get_by_test_id("evidence-files").inner_text()  # with its Remove button
    page.get_by_label("Commentary").fill("Printing delayed; the second printer delivers on 1 June")
    page.get_by_role("button", name="Send return").click()
    check_a11y(page)
    sign_out(page)

    # The manager approves.
    sign_in_staff(page, pm)
    page.goto(f"/awards/{award.pk}/returns/{mreturn.pk}/")
    check_a11y(page)
    page.get_by_label("Approve the return").check()
    page.get_by_role("button", name="Save decision").click()
    check_a11y(page)
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.APPROVED and mreturn.submission_count == 2
    sign_out(page)

    # Finance records the payment, confirming with a TOTP code.
    sign_in_staff(page, finance)
    page.goto(award.get_absolute_url())
    check_a11y(page)
    page.get_by_role("link", name="Record payment for tranche 1").click()
    check_a11y(page)
    page.get_by_label("Payment reference").fill("BACS-2026-001")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Approve and record payment").click()
    check_a11y(page)
    assert "authenticator" in page.locator(".govuk-error-summary").inner_text()
    cache.clear()  # a new code window
    page.get_by_label("Code from your authenticator app").fill(totp_code(finance))
    page.get_by_role("button", name="Approve and record payment").click()
    check_a11y(page)
    assert page.get_by_test_id("award-status").inner_text() == "Active"
    tranche = award.tranches.get(number=1)
    assert tranche.status == TrancheStatus.PAID and tranche.amount == Decimal("10000")
    assert tranche.status == TrancheStatus.PAID and tranche.payment_reference == "BACS-2026-001"
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE
