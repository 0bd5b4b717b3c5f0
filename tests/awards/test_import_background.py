"""Big files are checked and saved by the Celery task, the page showing progress meanwhile; and
the import_history command."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from grants.awards.imports import jobs
from grants.awards.models import Award, ImportJob, ImportStatus

from .importing import award_row, awards_book

pytestmark = pytest.mark.django_db


def test_a_big_file_goes_through_the_task(personas, client_for, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(jobs, "BACKGROUND_ROWS", 2)
    seen = []
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 1)
    real_set = cache.set
    monkeypatch.setattr(cache, "set", lambda key, value, *a: (seen.append(value), real_set(key, value, *a)))
    book = awards_book(personas, *(award_row(personas, f"CS1-{n}", amount="1000") for n in range(3)))
    client = client_for(personas.programme_manager)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post("/staff/awards/import/", {"file": SimpleUploadedFile("h.xlsx", book.getvalue())})
    job = ImportJob.objects.get()
    assert len(queued) == 1 and seen == [1, 2, 3]  # queued, not run in the request; progress row by row
    assert (job.status, job.rows_done, job.rows_total) == (ImportStatus.PREVIEWED, 3, 3)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(f"/staff/awards/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert len(queued) == 1 and job.status == ImportStatus.SAVED and Award.objects.count() == 3


def test_the_page_shows_progress_and_refreshes_itself(personas, client_for):
    job = ImportJob.objects.create(
        created_by=personas.programme_manager, filename="h.xlsx", file="imports/x.xlsx", rows_total=1000
    )
    cache.set(f"import-job-progress:{job.pk}", 250)
    page = client_for(personas.programme_manager).get(f"/staff/awards/import/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'value="25"' in page and "250 of 1,000 rows (25%)" in page
    job.status = ImportStatus.PREVIEWED
    job.save()
    assert (
        "refresh" not in client_for(personas.programme_manager).get(f"/staff/awards/import/{job.pk}/").content.decode()
    )


def test_the_command_previews_saves_and_fails_on_errors(personas, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(awards_book(personas, award_row(personas, "CS1-1")).getvalue())
    call_command("import_history", str(good))
    out = capsys.readouterr().out
    assert "Awards row 2 CS1-1: created" in out and "1 to create, 0 to update, 0 unchanged, 0 errors" in out
    assert not Award.objects.exists()
    call_command("import_history", str(good), "--confirm", "--actor", personas.programme_manager.email)
    assert Award.objects.get().created_by == personas.programme_manager
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(awards_book(personas, award_row(personas, "CS1-2", lead="Atlantis")).getvalue())
    with pytest.raises(CommandError) as raised:
        call_command("import_history", str(bad), "--confirm")
    assert raised.value.returncode == 1 and Award.objects.count() == 1
    assert "row 2, column 'lead': No council matches 'Atlantis'" in capsys.readouterr().out
