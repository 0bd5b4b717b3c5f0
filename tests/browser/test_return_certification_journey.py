"""Issue 17: a council officer completes a return with spend and forecasts (a mistyped amount
refused first, what was typed kept) and sends it for certification; the council's section 151
officer signs in, reads exactly what they certify and certifies it; the programme manager sees
it submitted and certified, with spend against the award. Only labels on the pages, axe on every
page; screenshots in test-results/certification/."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from grants.awards import services
from grants.awards.models import AwardStatus, ReturnStatus
from grants.models import OrgKind, OrgRole, StaffRole
from tests import factories as f
from tests.awards.factories import AwardFactory, ReturnPeriodFactory, RoundOutputFactory
from tests.conftest import enable_mfa

from .conftest import check_a11y, click_through, sign_out, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "certification"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_return_certification_journey(browser, live_server):
    lead = f.OrganisationFactory(short_name="Wessex", name="Wessex County Council", code="ZQW", kind=OrgKind.COUNTY)
    officer = f.UserFactory(email="officer@wessex.example.com", organisation=lead, org_role=OrgRole.OFFICER)
    certifier = f.UserFactory(
        email="s151@wessex.example.com", full_name="Priya Shah", organisation=lead, org_role=OrgRole.CERTIFIER
    )
    rnd = f.RoundFactory(name="Land release test round", returns_need_certifying=True, returns_ask_spend=True)
    pm = f.UserFactory(email="pm@lga.example.com")
    StaffRole.objects.create(user=pm, role=StaffRole.Role.PROGRAMME_MANAGER, programme=rnd.programme)
    secret = enable_mfa(pm)
    award = AwardFactory(round=rnd, lead=lead, title="Homes on the old depot", amount=Decimal("30000"))
    award.status = AwardStatus.ACTIVE
    award.save()
    ReturnPeriodFactory(round=rnd, title="Quarter 1", period_start=date(2026, 1, 1), period_end=date(2026, 3, 31))
    RoundOutputFactory(round=rnd, kind="homes", unit="count")
    services.returns_create(award=award)

    # The officer fills in the return; a mistyped amount is refused and everything typed is kept.
    context, page = signed_in(browser, live_server, officer.email, f.PASSWORD)
    click_through(page.get_by_role("link", name="Return: Quarter 1"))
    check_a11y(page)
    _shot(page, "01-officer-return-form")
    page.get_by_label("Green").check()
    page.get_by_label("Homes (land released for) this period").fill("120")
    page.get_by_label("Capital spent this period (£)").fill("12,000")
    page.get_by_label("Revenue spent this period (£)").fill("1500.555")
    page.get_by_label("Match funding spent this period (£)").fill("0")
    page.get_by_label("Forecast capital spend at completion (£)").fill("22000")
    page.get_by_label("Forecast revenue spend at completion (£)").fill("4000")
    click_through(page.get_by_role("button", name="Send for certification"))
    check_a11y(page)
    _shot(page, "02-officer-spend-error")
    errors = page.locator(".govuk-error-summary").inner_text()
    assert "Revenue spent this period must have no more than 2 decimal places" in errors
    assert page.get_by_label("Capital spent this period (£)").input_value() == "12,000"
    assert page.get_by_label("Homes (land released for) this period").input_value() == "120"
    page.get_by_label("Revenue spent this period (£)").fill("1500.50")
    click_through(page.get_by_role("button", name="Send for certification"))
    check_a11y(page)
    _shot(page, "03-officer-sent")
    assert "Return sent for certification" in page.locator(".govuk-notification-banner").inner_text()
    mreturn = award.returns.get()
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.TO_CERTIFY
    sign_out(page)
    context.close()

    # The certifier reads exactly what they certify, then certifies it with the declaration.
    context, page = signed_in(browser, live_server, certifier.email, f.PASSWORD)
    page.goto("/awards/")
    check_a11y(page)
    click_through(page.get_by_role("link", name="Homes on the old depot"))
    check_a11y(page)
    click_through(page.get_by_role("link", name="Quarter 1"))
    check_a11y(page)
    click_through(page.get_by_role("link", name="Read and certify the return"))
    check_a11y(page)
    _shot(page, "04-certifier-reads")
    summary = page.get_by_test_id("certify-summary").inner_text()
    for text in ("Green", "120", "£12,000", "£1,500.50", "Capital £22,000, revenue £4,000", "£13,500.50"):
        assert text in summary, text
    page.get_by_label("Certify the return").check()
    click_through(page.get_by_role("button", name="Save decision"))
    check_a11y(page)  # the declaration is needed
    _shot(page, "05-certifier-declaration-error")
    assert "Confirm the declaration" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("I certify that").check()
    click_through(page.get_by_role("button", name="Save decision"))
    check_a11y(page)
    _shot(page, "06-certified")
    assert page.get_by_test_id("return-status").inner_text() == "Submitted"
    assert "Priya Shah" in page.get_by_test_id("return-certified").inner_text()
    sign_out(page)
    context.close()

    # The manager sees it submitted and certified, and the spend against the award.
    context, page = signed_in(browser, live_server, pm.email, f.PASSWORD, secret)
    page.goto(award.get_absolute_url())
    check_a11y(page)
    _shot(page, "07-manager-award")
    assert "Submitted" in page.get_by_test_id("returns").inner_text()
    assert page.get_by_test_id("spent").inner_text() == "£13,500.50"
    assert page.get_by_test_id("forecast").inner_text() == "£26,000"
    assert "Forecast underspend" in page.get_by_test_id("spend").inner_text()
    expect(page.get_by_test_id("variance").get_by_text("Beyond tolerance")).to_be_visible()
    click_through(page.get_by_role("link", name="Quarter 1"))
    check_a11y(page)
    _shot(page, "08-manager-return")
    assert page.get_by_test_id("return-status").inner_text() == "Submitted"
    assert "Priya Shah" in page.get_by_test_id("return-certified").inner_text()
    # The round's monitoring page: spend and certification settings; £26,000 forecast against
    # £30,000 is 13% under, beyond the 10% tolerance, so the award is flagged.
    page.goto(f"/staff/awards/rounds/{rnd.slug}/monitoring/")
    check_a11y(page)
    assert "must be certified" in page.get_by_test_id("spend-settings").inner_text()
    assert award.reference in page.get_by_test_id("beyond-tolerance").inner_text()
    page.get_by_text("Change spend and certification").click()
    page.get_by_label("Spend tolerance (%)").fill("")
    click_through(page.get_by_role("button", name="Save spend and certification"))
    check_a11y(page)
    _shot(page, "09-manager-round-settings-error")
    assert "Enter the spend tolerance" in page.locator(".govuk-error-summary").inner_text()
    context.close()
