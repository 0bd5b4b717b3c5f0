"""A programme manager downloads the import template, uploads a history workbook, sees a former
council name to confirm and an error, fixes the file, uploads it again, confirms and sees the
awards. axe runs on every page.

The repository's own history workbooks go through the same pages in
test_import_repository_history_journey.py."""

import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from grants.awards.models import Award
from grants.models import Organisation, StaffRole
from tests import factories as f
from tests.conftest import enable_mfa

from .conftest import check_a11y, click_through
from .test_award_journey import sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _small_workbook(path: Path, rnd) -> Path:
    from tests.awards.importing import AWARD_HEADINGS, workbook

    def row(ref, lead, title):
        return [ref, rnd.programme.slug, rnd.name, lead, "", title, "£12,500", "2019-04-01", "completed", "report"]

    book = workbook({"Awards": [AWARD_HEADINGS, row("CS1-000001", "KTY", "Digital repairs"),
                                row("CS1-000002", "Shepway", "Beach huts online")]})  # fmt: skip
    path.write_bytes(book.getvalue())
    return path


def _broken_copy(source: Path, target: Path) -> Path:
    """The same workbook with the first award's lead council made unknown."""
    shutil.copy(source, target)
    book = load_workbook(target)
    sheet = next(ws for ws in book.worksheets if ws.title.strip().lower() == "awards")
    lead = [str(c.value or "").strip().lower() for c in sheet[1]].index("lead") + 1
    sheet.cell(row=2, column=lead, value="Atlantis")
    book.save(target)
    return target


def test_import_history_journey(page, tmp_path):
    folk, _ = Organisation.objects.get_or_create(
        code="SHE", defaults={"name": "Folkestone and Hythe District Council", "short_name": "Folkestone and Hythe"}
    )
    folk.aliases.get_or_create(name="Shepway")
    f.OrganisationFactory(short_name="Kentish", name="Kentish County Council", code="KTY")
    rnd = f.RoundFactory(name="Behavioural Insights phase 1")
    pm = f.UserFactory(email="pm.import@lga.example.com")
    StaffRole.objects.create(user=pm, role=StaffRole.Role.PROGRAMME_MANAGER, programme=rnd.programme)
    enable_mfa(pm)
    good = _small_workbook(tmp_path / "history.xlsx", rnd)
    broken = _broken_copy(good, tmp_path / "history-broken.xlsx")

    sign_in_staff(page, pm)
    page.goto("/staff/portfolio/")
    check_a11y(page)
    click_through(page.get_by_role("link", name="import history from a spreadsheet"))
    check_a11y(page)
    with page.expect_download() as download:
        page.get_by_test_id("template").click()
    assert load_workbook(io.BytesIO(download.value.path().read_bytes())).sheetnames[0] == "Read me"

    page.get_by_label("History file").set_input_files(str(broken))
    click_through(page.get_by_role("button", name="Upload and check"))
    check_a11y(page)
    rows = page.get_by_test_id("rows")
    assert "column 'lead': No council matches 'Atlantis'" in rows.inner_text()
    assert "'Shepway' is now Folkestone and Hythe (SHE); confirm" in rows.inner_text()
    assert page.get_by_test_id("confirm").count() == 0
    assert not Award.objects.exists()

    click_through(page.get_by_role("link", name="upload it again"))
    page.get_by_label("History file").set_input_files(str(good))
    click_through(page.get_by_role("button", name="Upload and check"))
    check_a11y(page)
    assert " 0 errors" in page.get_by_test_id("summary").inner_text()
    click_through(page.get_by_test_id("confirm"))
    page.get_by_text("History imported").wait_for()
    check_a11y(page)
    created = Award.objects.count()
    assert created >= 2 and Award.objects.filter(is_historic=True).count() == created
    click_through(page.get_by_test_id("to-awards"))
    check_a11y(page)
    assert "Beach huts online" in page.content() or Award.objects.filter(lead=folk).exists()
