"""The import pages: upload, preview of every row, confirm, the template, and who may see a job."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from grants.awards.models import Award, ImportJob

from .importing import award_row, awards_book, shepway

pytestmark = pytest.mark.django_db
START = "/staff/awards/import/"


def _upload(client, book, name="history.xlsx"):
    return client.post(START, {"file": SimpleUploadedFile(name, book.getvalue())})


def test_upload_preview_confirm(personas, client_for):
    shepway()
    client = client_for(personas.programme_manager)
    assert 'href="/staff/awards/import/template.xlsx"' in client.get(START).content.decode()
    response = _upload(
        client, awards_book(personas, award_row(personas, "CS1-1", lead="Shepway"), award_row(personas, "CS1-2"))
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/awards/import/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "2 to create, 0 to update, 0 unchanged, 1 warning to confirm, 0 errors" in page
    assert "&#x27;Shepway&#x27; is now Folkestone and Hythe (SHE); confirm" in page
    assert not Award.objects.exists()
    response = client.post(f"/staff/awards/import/{job.pk}/confirm/")
    assert response.status_code == 302 and Award.objects.count() == 2
    page = client.get(f"/staff/awards/import/{job.pk}/").content.decode()
    assert "History imported" in page and 'href="/staff/portfolio/"' in page
    assert "2 created, 0 updated, 0 unchanged, 1 warning confirmed, 0 errors" in page


def test_errors_first_and_confirm_refused(personas, client_for):
    client = client_for(personas.programme_manager)
    _upload(client, awards_book(personas, award_row(personas, "CS1-1"), award_row(personas, "CS1-2", lead="Atlantis")))
    job = ImportJob.objects.get()
    page = client.get(f"/staff/awards/import/{job.pk}/").content.decode()
    assert page.index("row 3, column &#x27;lead&#x27;") < page.index("CS1-1")
    assert "Confirm and save" not in page
    client.post(f"/staff/awards/import/{job.pk}/confirm/")
    assert not Award.objects.exists()


def test_a_file_that_cannot_be_read_comes_back_on_the_form(personas, client_for):
    response = _upload(client_for(personas.programme_manager), io.BytesIO(b"just text"), name="history.txt")
    assert (
        response.status_code == 200 and "must be an Excel workbook (.xlsx) or a CSV file" in response.content.decode()
    )
    assert not ImportJob.objects.exists()


def test_template_has_a_read_me_and_every_sheet(personas, client_for):
    response = client_for(personas.programme_manager).get(START + "template.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Read me", "Awards", "Payments", "Returns", "Returned funds"]
    assert book["Awards"]["A1"].value == "Reference" and book["Awards"]["A2"].value == "CS1-000017"


def test_who_may_see_what(personas, client_for):
    _upload(client_for(personas.programme_manager), awards_book(personas, award_row(personas)))
    job = ImportJob.objects.get()
    detail = f"/staff/awards/import/{job.pk}/"
    for user in (personas.other_programme_manager, personas.lead_officer, personas.finance_officer):
        client = client_for(user)
        assert client.get(detail).status_code == 404
        assert client.post(detail + "confirm/").status_code == 404
    for user in (personas.lead_officer, personas.finance_officer):
        assert client_for(user).get(START).status_code == 404
    assert client_for(personas.administrator).get(detail).status_code == 200
    anonymous = client_for(None).get(detail)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not Award.objects.exists()


def test_the_portfolio_and_historic_page_link_to_it(personas, client_for):
    client = client_for(personas.programme_manager)
    for url in ("/staff/portfolio/", "/staff/awards/historic/new/"):
        assert f'href="{START}"' in client.get(url).content.decode(), url


def test_an_administrator_confirms_as_themselves(personas, client_for):
    _upload(client_for(personas.programme_manager), awards_book(personas, award_row(personas)))
    job = ImportJob.objects.get()
    client_for(personas.administrator).post(f"/staff/awards/import/{job.pk}/confirm/")
    assert Award.objects.get().created_by == personas.administrator
