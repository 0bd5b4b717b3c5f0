"""Downloads have the filters on screen; background exports report progress and finish."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grants.core import exports
from grants.core.money import pounds
from grants.reporting import exports as reporting_tables
from grants.reporting import services
from grants.reporting.models import ExportJob, ExportStatus

from . import factories as rf
from .test_dashboard import _table

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_filtered_region_export_matches_the_filtered_page(client_for, world, personas):
    c = client_for(personas.administrator)
    params = {"year": "2018"}
    page = c.get(reverse("reporting:dashboard"), params).content.decode()
    on_screen = _table(page, "table-chart-region")
    link = reverse("reporting:download", args=["dashboard-region", "csv"]) + "?year=2018"
    assert link in page  # the download link carries the filters
    rows = _csv(c.get(link))
    assert rows[0] == ["Region", "Awards", "Amount awarded (£)"]
    assert [[r[0], r[1], pounds(Decimal(r[2]))] for r in rows[1:]] == on_screen
    unfiltered = _csv(c.get(reverse("reporting:download", args=["dashboard-region", "csv"])))
    assert unfiltered != rows


def test_awards_export_holds_the_awards_on_the_filtered_dashboard(client_for, world, personas):
    c = client_for(personas.programme_manager)
    d = c.get(reverse("reporting:dashboard"), {"year": "2018"}).context["d"]
    rows = _csv(c.get(reverse("reporting:download", args=["awards", "csv"]), {"year": "2018"}))
    header, body = rows[0], rows[1:]
    assert header == reporting_tables.AWARD_HEADER
    assert {r[0] for r in body} == {world["awards"][0].reference, world["awards"][1].reference}
    assert sum(Decimal(r[10]) for r in body) == d.money["awarded"]
    assert sum(Decimal(r[11]) for r in body) == d.money["paid"]


def test_xlsx_download_has_the_same_rows(client_for, world, personas):
    c = client_for(personas.administrator)
    csv_rows = _csv(c.get(reverse("reporting:download", args=["dashboard-kind", "csv"])))
    r = c.get(reverse("reporting:download", args=["dashboard-kind", "xlsx"]))
    assert r["Content-Type"] == exports.XLSX_TYPE
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    xlsx_rows = [[str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    assert xlsx_rows[0] == csv_rows[0]
    assert [r[:2] for r in xlsx_rows[1:]] == [r[:2] for r in csv_rows[1:]]
    assert [Decimal(r[2]) for r in xlsx_rows[1:]] == [Decimal(r[2]) for r in csv_rows[1:]]


def test_unknown_table_or_format_is_404(client_for, world, personas):
    c = client_for(personas.administrator)
    assert c.get(reverse("reporting:download", args=["nope", "csv"])).status_code == 404
    assert c.get(reverse("reporting:download", args=["awards", "pdf"])).status_code == 404


def test_write_csv_reports_progress_as_it_goes():
    seen = []
    out = io.StringIO()
    n = exports.write_csv(out, ["n"], ([i] for i in range(1201)), progress=seen.append)
    assert n == 1201 and seen == [500, 1000, 1201]
    assert out.getvalue().count("\n") == 1202


def test_background_export_job_progress_and_download(client_for, world, personas, django_capture_on_commit_callbacks):
    c = client_for(personas.programme_manager)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("reporting:export_new"), {"table": "awards", "format": "xlsx", "query": "year=2018"})
    job = ExportJob.objects.get()
    assert r.url == reverse("reporting:export_detail", args=[job.pk])
    assert job.status == ExportStatus.DONE and job.rows_done == job.rows_total == 2 and job.percent == 100
    page = c.get(r.url).content.decode()
    assert 'http-equiv="refresh"' not in page and "<progress" in page and "Download" in page
    ws = load_workbook(io.BytesIO(b"".join(c.get(reverse("reporting:export_file", args=[job.pk])).streaming_content)))
    assert ws.active.max_row == 3
    # another member of staff cannot see or fetch it
    other = client_for(personas.administrator)
    assert other.get(r.url).status_code == 404
    assert other.get(reverse("reporting:export_file", args=[job.pk])).status_code == 404


def test_unfinished_job_page_shows_progress(client_for, personas):
    job = ExportJob.objects.create(
        created_by=personas.programme_manager, table="awards", fmt="csv", status=ExportStatus.RUNNING,
        rows_done=250, rows_total=1000,
    )  # fmt: skip
    c = client_for(personas.programme_manager)
    page = c.get(reverse("reporting:export_detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page  # axe: a timed refresh is a critical failure
    assert 'value="25"' in page and "250 of 1,000 rows (25%)" in page
    status_url = reverse("reporting:export_status", args=[job.pk])
    assert f'data-status-url="{status_url}"' in page and 'aria-live="polite"' in page and "Check again" in page
    r = c.get(status_url)
    assert r["Cache-Control"] == "private, no-store"  # grants.core.headers, for every signed-in answer
    assert r.json() == {
        "status": "running", "label": "In progress", "finished": False, "percent": 25, "rows_done": 250,
        "rows_total": 1000, "text": "250 of 1,000 rows (25%)",
    }  # fmt: skip
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.DONE, rows_done=1000)
    assert c.get(status_url).json()["finished"] is True
    assert "export-poll" not in c.get(reverse("reporting:export_detail", args=[job.pk])).content.decode()
    assert client_for(personas.administrator).get(status_url).status_code == 404  # only the requester


def test_progress_is_saved_while_the_task_runs(world, personas, monkeypatch):
    """While the task writes a 1,201-row table, the job row in the database shows how far it has got."""
    seen = []
    job = ExportJob.objects.create(created_by=personas.administrator, table="big", fmt="csv")

    def rows():
        for i in range(1201):
            if i in (1, 501, 1001):  # the page would read this between saves
                current = ExportJob.objects.get(pk=job.pk)
                seen.append((current.status, current.rows_done, current.rows_total))
            yield [i]

    monkeypatch.setitem(exports.TABLES, "big", lambda user, params: exports.Table("Big", ["n"], rows(), 1201))
    services.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert seen == [("running", 0, 1201), ("running", 500, 1201), ("running", 1000, 1201)]
    assert job.status == ExportStatus.DONE and job.rows_done == job.rows_total == 1201


def test_export_of_a_programme_the_user_cannot_see_is_refused(client_for, world, personas):
    c = client_for(personas.other_programme_manager)
    r = c.post(
        reverse("reporting:export_new"),
        {"table": "awards", "format": "csv", "query": f"programme={personas.programme.slug}"},
    )
    assert r.status_code == 404
    assert not ExportJob.objects.exists()


HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]


def test_text_that_a_spreadsheet_would_run_is_defused_in_csv_and_xlsx(client_for, world, personas):
    """Every registered table goes through the same writers, so a bid title cannot become a
    formula in anyone's download; numbers (a negative amount) are left alone."""
    from applications.models import Bid

    lead = world["awards"][0].lead
    for i, title in enumerate(HOSTILE):
        bid = rf.make_bid(world["rounds"][i], rf.BidSpec(i, 1000 + i))  # one bid per lead per round
        Bid.objects.filter(pk=bid.pk).update(lead=lead, title=title)
    c = client_for(personas.administrator)
    url = reverse("reporting:download", args=["council-bids", "csv"])
    titles = sorted(r[3] for r in _csv(c.get(url, {"council": lead.code}))[1:])
    assert titles == sorted("'" + t for t in HOSTILE)
    r = c.get(reverse("reporting:download", args=["council-bids", "xlsx"]), {"council": lead.code})
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    cells = [row[3] for row in ws.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted("'" + t for t in HOSTILE)
    assert {c.data_type for c in cells} == {"s"}  # text, never "f" (formula)
    out = io.StringIO()
    exports.write_csv(out, ["=h"], [["=x", Decimal("-5.00"), -3, "plain"]])
    assert out.getvalue().splitlines() == ["'=h", "'=x,-5.00,-3,plain"]


def test_pages_offer_background_csv_and_xlsx_and_come_back_on_error(client_for, world, personas):
    c = client_for(personas.administrator)
    page = c.get(reverse("reporting:dashboard"), {"year": "2018"}).content.decode()
    form = page.split('data-testid="export-awards"', 1)[1].split("</form>", 1)[0]
    assert 'name="format" value="csv"' in form and 'name="format" value="xlsx"' in form
    assert 'name="next" value="/staff/dashboard/?year=2018"' in form
    url = reverse("reporting:export_new")
    council = reverse("reporting:council_profile", args=[world["awards"][0].lead.code])
    r = c.post(url, {"table": "awards", "format": "pdf", "query": "", "next": council})
    assert r.status_code == 302 and r.url == council
    assert "That export does not exist" in c.get(r.url).content.decode()
    for hostile in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example"):
        r = c.post(url, {"table": "awards", "format": "pdf", "query": "", "next": hostile})
        assert r.url == reverse("reporting:dashboard"), hostile
    assert not ExportJob.objects.exists()


def _broken(user, params):
    def rows():
        yield ["fine"]
        raise RuntimeError("database password is hunter2")

    return exports.Table("Broken", ["n"], rows(), 2)


def test_a_failing_export_in_eager_mode_is_recorded_not_a_500(
    client_for, personas, monkeypatch, django_capture_on_commit_callbacks
):
    """With no broker Celery runs the task in the request; its failure must show on the job page."""
    from config.celery import app

    # tests/conftest.py makes tasks eager even when CI gives a broker; the app's conf is what counts
    assert app.conf.task_always_eager and app.conf.task_eager_propagates
    monkeypatch.setitem(exports.TABLES, "broken", _broken)
    c = client_for(personas.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("reporting:export_new"), {"table": "broken", "format": "csv", "query": ""})
    job = ExportJob.objects.get()
    assert r.status_code == 302 and r.url == reverse("reporting:export_detail", args=[job.pk])
    assert job.status == ExportStatus.FAILED and job.finished_at and not job.file
    page = c.get(r.url).content.decode()
    assert "The export failed" in page and "Something went wrong writing the file" in page
    assert "hunter2" not in page  # details go to the log, not the page


def test_a_broker_that_cannot_take_the_job_marks_it_failed(client_for, personas, monkeypatch,
                                                           django_capture_on_commit_callbacks):  # fmt: skip
    from grants.reporting import tasks

    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.export_run, "delay", refuse)
    c = client_for(personas.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("reporting:export_new"), {"table": "dashboard-rag", "format": "xlsx", "query": ""})
    job = ExportJob.objects.get()
    assert r.status_code == 302 and job.status == ExportStatus.FAILED
    assert job.error == "The export could not be started"


def test_old_export_files_are_cleaned_up_daily(personas, settings):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from config.celery import app
    from grants import tasks

    def job(age_days: int) -> ExportJob:
        j = ExportJob.objects.create(created_by=personas.administrator, table="awards", fmt="csv", status="done")
        j.file = default_storage.save(f"exports/{j.pk}/awards.csv", ContentFile(b"Reference\n"))
        j.save()
        ExportJob.objects.filter(pk=j.pk).update(created_at=timezone.now() - timedelta(days=age_days))
        return j

    old, recent = job(8), job(6)
    settings.GRANTBENCH_RETENTION = {**settings.GRANTBENCH_RETENTION, "export_files_days": 7}
    assert tasks.retention_apply()["export_files"] == 1
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not default_storage.exists(old.file.name) and default_storage.exists(recent.file.name)
    assert services.exports_clean_up(days=1) == 1 and not default_storage.exists(recent.file.name)
    entry = settings.CELERY_BEAT_SCHEDULE["grants-retention-apply"]
    assert entry["task"] == tasks.retention_apply.name and entry["task"] in app.tasks


def test_large_csv_downloads_stream_in_pieces(client_for, personas, monkeypatch):
    """The response is a stream of ~64 KB pieces read lazily from the table's rows."""
    read = []

    def rows():
        for i in range(20000):
            read.append(i)
            yield [i, f"Row {i}"]

    monkeypatch.setitem(exports.TABLES, "many", lambda user, params: exports.Table("Many", ["n", "name"], rows()))
    r = client_for(personas.administrator).get(reverse("reporting:download", args=["many", "csv"]))
    assert r.streaming and not read  # nothing read before the body is
    pieces = iter(r.streaming_content)
    first = next(pieces)
    assert 60_000 < len(first) < 70_000 and len(read) < 5000
    rest = b"".join(pieces)
    assert (first + rest).decode().splitlines()[-1] == "19999,Row 19999" and len(read) == 20000
