"""A council officer starts a joint bid, saves, signs out, returns, uploads evidence, checks
answers and submits; the partner confirms in between. axe runs on every page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from applications.models import Bid, BidStatus, QuestionType
from grants.models import OrgKind, OrgRole
from tests import factories as f
from tests.applications.factories import PDF, QuestionFactory, SectionFactory

from .conftest import check_a11y, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_joint_bid_journey(page, tmp_path: Path):
    lead = f.OrganisationFactory(short_name="Kentish", name="Kentish County Council", code="KTX", kind=OrgKind.COUNTY)
    partner = f.OrganisationFactory(short_name="Medwayish", name="Medwayish Council", code="MWX", kind=OrgKind.UNITARY)
    officer = f.UserFactory(email="officer@kentish.example.com", organisation=lead, org_role=OrgRole.OFFICER)
    partner_officer = f.UserFactory(
        email="officer@medwayish.example.com", organisation=partner, org_role=OrgRole.OFFICER
    )
    rnd = f.RoundFactory(name="Digital Inclusion journey round", reference_prefix="DIJ")
    about = SectionFactory(round=rnd, title="About the project", order=1)
    QuestionFactory(section=about, text="What is the aim?", type=QuestionType.LONG_TEXT, word_limit=50, order=1)
    evidence = SectionFactory(round=rnd, title="Evidence", order=2)
    QuestionFactory(section=evidence, text="Project plan", type=QuestionType.FILE_UPLOAD, order=1)
    plan = tmp_path / "project-plan.pdf"
    plan.write_bytes(PDF)

    sign_in(page, officer.email, f.PASSWORD)
    page.goto(rnd.get_absolute_url())
    check_a11y(page)
    page.get_by_role("button", name="Start a bid").click()
    check_a11y(page)
    page.get_by_label("Title").fill("Digital champions in libraries")
    page.get_by_label("Summary").fill("Volunteers help residents get online.")
    page.get_by_label("Amount requested (£)").fill("5")  # too little: error summary, text kept
    page.get_by_label("Match funding offered (£)").fill("0")
    page.get_by_label("Partner councils (optional)").fill("MWX")
    page.get_by_role("button", name="Start bid").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_a11y(page)
    assert page.get_by_label("Title").input_value() == "Digital champions in libraries"
    page.get_by_label("Amount requested (£)").fill("20000")
    start = page.get_by_role("group", name="Planned start")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("4")
    start.get_by_label("Year").fill("2026")
    end = page.get_by_role("group", name="Planned end")
    end.get_by_label("Day").fill("31")
    end.get_by_label("Month").fill("3")
    end.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Start bid").click()
    expect(page.get_by_test_id("task-list")).to_be_visible()
    assert page.locator("#task-details-status").inner_text() == "Completed"
    check_a11y(page)

    page.get_by_role("link", name="About the project").click()
    check_a11y(page)
    page.get_by_label("What is the aim?").fill("Get a thousand residents online")
    assert "5 words of 50" in page.get_by_test_id("word-count").inner_text()
    page.get_by_role("button", name="Save and continue").click()
    check_a11y(page)
    sign_out(page)

    # The partner confirms.
    sign_in(page, partner_officer.email, f.PASSWORD)
    page.goto("/bids/")
    check_a11y(page)
    page.get_by_role("link", name="Confirm or decline being a partner").click()
    check_a11y(page)
    page.get_by_label("Yes, confirm we are a partner").check()
    page.get_by_role("button", name="Send answer").click()
    check_a11y(page)
    sign_out(page)

    # The lead officer returns: the draft is as they left it.
    sign_in(page, officer.email, f.PASSWORD)
    page.goto("/bids/")
    check_a11y(page)
    page.get_by_role("link", name="Digital champions in libraries").click()
    assert "Completed" in page.get_by_test_id("sections").inner_text()
    page.get_by_role("link", name="Evidence").click()
    page.get_by_label("Project plan").set_input_files(str(plan))
    page.get_by_role("button", name="Upload file").click()
    check_a11y(page)
    expect(page.get_by_role("link", name="project-plan.pdf")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Check your answers and submit").click()
    check_a11y(page)
    assert "Get a thousand residents online" in page.locator("main").inner_text()
    # A change link from check your answers comes back to check your answers.
    page.get_by_role("link", name="Change What is the aim?").click()
    check_a11y(page)
    page.get_by_label("What is the aim?").fill("Get two thousand residents online")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers before submitting your bid")).to_be_visible()
    assert "Get two thousand residents online" in page.locator("main").inner_text()
    page.get_by_label("Name of the senior officer who approved this bid").fill("Jo Chief")
    page.get_by_label("Their job title").fill("Chief Executive")
    page.get_by_label("I confirm").check()
    page.get_by_role("button", name="Submit bid").click()
    check_a11y(page)
    assert page.get_by_test_id("reference").inner_text() == "DIJ-000001"
    bid = Bid.objects.get()
    assert bid.status == BidStatus.SUBMITTED and bid.partners.get().status == "confirmed"
