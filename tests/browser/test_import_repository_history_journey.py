"""Issue 18's done-when: the repository's own history workbooks (grants/awards/history/) imported
through the upload and preview pages in Chromium, as a programme manager who runs every programme
they name would do on the first day. The rounds exist (the demo's reference data, no awards);
each workbook previews with no errors, is confirmed, and the second upload of one changes nothing.
Big workbooks (more than 200 rows) go through the background job and its progress page."""

import pytest

from grants.awards.demo_history import HISTORY, WORKBOOKS, catalogues
from grants.awards.models import Award, MonitoringReturn
from grants.models import AuditEvent, Programme, StaffRole
from grants.services import councils_load
from tests import factories as f
from tests.conftest import enable_mfa

from .conftest import check_a11y, click_through
from .test_award_journey import sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PREVIEW_TIMEOUT_MS = 180_000  # the largest workbook runs through the background job on a loaded CI machine


def _upload(page, name: str) -> str:
    page.goto("/staff/awards/import/")
    page.get_by_label("History file").set_input_files(str(HISTORY / name))
    click_through(page.get_by_role("button", name="Upload and check"))
    summary = page.get_by_test_id("summary")
    summary.wait_for(timeout=PREVIEW_TIMEOUT_MS)
    check_a11y(page)
    return summary.inner_text()


def test_the_repository_history_imports_through_the_preview_page(page):
    from grants import demo

    councils_load()
    context = demo.seed()
    catalogues(context["rounds"])
    assert not Award.objects.exists()
    manager = f.UserFactory(email="history.manager@lga.example.com")
    for programme in Programme.objects.all():
        StaffRole.objects.create(user=manager, role=StaffRole.Role.PROGRAMME_MANAGER, programme=programme)
    enable_mfa(manager)
    sign_in_staff(page, manager)

    for name in WORKBOOKS:
        summary = _upload(page, name)
        assert " 0 errors" in summary, f"{name}: {summary}"
        click_through(page.get_by_test_id("confirm"))
        page.get_by_text("History imported").wait_for(timeout=PREVIEW_TIMEOUT_MS)
        check_a11y(page)

    assert Award.objects.filter(is_historic=True).count() == 477
    assert Award.objects.filter(reference="LRF-000001").exists()
    assert MonitoringReturn.objects.filter(award__is_historic=True, status="approved").exists()

    # The same workbook again: every row unchanged, nothing to save, no audit line added.
    events = AuditEvent.objects.count()
    summary = _upload(page, "one-public-estate.xlsx")
    assert "0 to create" in summary and "0 to update" in summary, summary
    assert AuditEvent.objects.count() == events
