"""A visitor opens the round list and a round page, then a council officer signs in."""

import pytest
from playwright.sync_api import expect

from tests import factories as f

from .conftest import check_a11y, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_round_list_round_page_and_sign_in(page):
    rnd = f.RoundFactory(name="Digital Inclusion 2019/20", prospectus="Get residents and businesses online.")
    officer = f.CouncilOfficerFactory(email="officer@kent.example.com")

    page.goto("/")
    check_a11y(page)
    expect(page.get_by_role("heading", name="Open and upcoming rounds")).to_be_visible()
    page.get_by_role("link", name="Digital Inclusion 2019/20").click()
    check_a11y(page)
    assert page.get_by_test_id("round-status").inner_text() == "Open"
    assert "Get residents and businesses online." in page.get_by_test_id("prospectus").inner_text()

    page.get_by_role("link", name="Sign in", exact=True).first.click()
    page.get_by_label("Email").fill(officer.email)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")
    check_a11y(page)
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()

    page.goto(rnd.get_absolute_url())
    assert officer.organisation.short_name in page.get_by_test_id("eligibility").inner_text()
    check_a11y(page)


def test_failed_sign_in_shows_an_error_summary(page, db):
    sign_in(page, "nobody@example.com", "wrong-password-123")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_a11y(page)
