"""A programme manager opens the dashboard, changes the financial year, downloads the board
report and creates the 360Giving file in the background. axe runs on every page."""

import json

import pytest

from grants.models import StaffRole
from tests import factories as f
from tests.conftest import enable_mfa
from tests.reporting import factories as rf

from .conftest import check_a11y
from .test_award_journey import sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporting_journey(page, tmp_path):
    programme = f.ProgrammeFactory(name="Behavioural Insights test", slug="bi-test")
    rounds = rf.make_rounds([programme])
    rf.make_award(rounds[0], rf.AwardSpec(0, "active", 30000, paid=[10000], rag="green", target=5000, value=2000))
    rf.make_award(rounds[1], rf.AwardSpec(1, "accepted", 20000, rag="amber"))
    rf.make_bid(rounds[0], rf.BidSpec(0, 90000))
    pm = f.UserFactory(email="pm.reports@lga.example.com")
    StaffRole.objects.create(user=pm, role=StaffRole.Role.PROGRAMME_MANAGER, programme=programme)
    enable_mfa(pm)

    sign_in_staff(page, pm)
    page.get_by_role("link", name="Reports").click()
    page.wait_for_url("**/staff/dashboard/")
    check_a11y(page)
    assert page.locator("[data-figure=awarded]").inner_text() == "£50,000"
    assert page.locator("svg[role=img]").count() == 5

    page.get_by_label("Financial year").select_option("2019")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**year=2019**")
    check_a11y(page)
    assert page.locator("[data-figure=awarded]").inner_text() == "£20,000"
    with page.expect_download() as dl:
        page.get_by_test_id("downloads-dashboard-region").get_by_role("link", name="CSV").click()
    assert "South East" in open(dl.value.path(), encoding="utf-8").read()

    page.get_by_role("link", name="Board report").click()
    check_a11y(page)  # the overview, the contents list and every programme's sections with their charts
    sections = page.locator("#sections-bi-test")
    assert sections.locator("svg[role=img]").count() >= 3  # money, RAG, outputs to date
    money = sections.locator("[data-section=money]")
    assert money.get_by_role("img").count() == 1  # the picture, then its own table
    assert "£50,000" in money.get_by_role("table").inner_text()
    page.get_by_test_id("contents").get_by_role("link", name="Behavioural Insights test").click()
    page.wait_for_url("**#sections-bi-test")
    page.get_by_text("Write the summary for Behavioural Insights test").click()
    page.get_by_label("Summary for the board: Behavioural Insights test").fill("Two councils live; one Amber.")
    page.get_by_role("button", name="Save summary").click()
    check_a11y(page)
    assert "Two councils live; one Amber." in page.get_by_test_id("board-report").inner_text()
    with page.expect_download() as dl:
        page.get_by_test_id("board-downloads").get_by_role("link", name="PDF").click()
    assert open(dl.value.path(), "rb").read(4) == b"%PDF"
    with page.expect_download() as dl:
        page.get_by_test_id("board-downloads").get_by_role("link", name="CSV").click()
    assert "Two councils live; one Amber." in open(dl.value.path(), encoding="utf-8").read()

    page.goto("/staff/open-data/")
    check_a11y(page)
    page.get_by_label("JSON data package").check()
    page.get_by_role("button", name="Create the file").click()
    page.wait_for_url("**/staff/exports/**")
    check_a11y(page)
    with page.expect_download() as dl:
        page.get_by_role("link", name="Download").click()
    grants = json.loads(open(dl.value.path(), encoding="utf-8").read())["grants"]
    assert len(grants) == 2 and all(g["currency"] == "GBP" for g in grants)

    page.goto("/open-data/")
    check_a11y(page)


def test_a_running_export_passes_axe_and_moves_on_without_a_refresh(page):
    """The progress page used a meta refresh (axe: meta-refresh, critical). It now asks for the
    job's status and moves the bar; when the job is done it shows the download link."""
    from grants.reporting.models import ExportJob, ExportStatus

    programme = f.ProgrammeFactory()
    pm = f.UserFactory(email="pm.exports@lga.example.com")
    StaffRole.objects.create(user=pm, role=StaffRole.Role.PROGRAMME_MANAGER, programme=programme)
    enable_mfa(pm)
    job = ExportJob.objects.create(
        created_by=pm, table="awards", fmt="csv", status=ExportStatus.RUNNING, rows_done=10, rows_total=100
    )
    sign_in_staff(page, pm)
    page.goto(f"/staff/exports/{job.pk}/")
    assert page.locator("#export-progress").get_attribute("value") == "10"
    check_a11y(page)
    ExportJob.objects.filter(pk=job.pk).update(rows_done=60)
    # A function, not an expression: Playwright evals an expression in the page, which the CSP refuses.
    page.wait_for_function("() => document.getElementById('export-progress').value === 60")
    assert page.get_by_test_id("progress").inner_text() == "60 of 100 rows (60%)"
    check_a11y(page)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error="Test failure")
    page.get_by_text("The export failed").wait_for()
    check_a11y(page)
