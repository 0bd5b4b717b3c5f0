"""Writes for reporting: background exports, board summary lines and publishing open data.

Exports are written to a temporary file row by row and then copied to default storage (local
disk or S3), so memory stays flat however many rows; progress is saved every few hundred rows
so the progress page can show how far it has got.
"""

import io
import tempfile
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from grants.models import BoardSummary, ExportJob, ExportStatus, Programme, PublishedFile, User
from grants.permissions import can_manage_programme, is_staff_user
from grants.services import audit_record

from . import exports, threesixty

OPEN_DATA = "360giving"


class ReportingError(ValidationError):
    pass


def export_request(*, user: User, table: str, fmt: str, params: dict) -> ExportJob:
    """Queue an export of a table (or the 360Giving file) with the filters given."""
    if not is_staff_user(user):
        raise ReportingError("Only staff can export")
    if table == OPEN_DATA:
        if fmt not in ("json", "csv"):
            raise ReportingError("Choose JSON or CSV")
    elif table not in exports.TABLES or fmt not in exports.FORMATS:
        raise ReportingError("That export does not exist")
    if table != OPEN_DATA:
        exports.build(table, user, params)  # checks the filters now (404 if not allowed), not in the worker
    with transaction.atomic():
        job = ExportJob.objects.create(created_by=user, table=table, fmt=fmt, params=params)
        audit_record(actor=user, action="export.requested", target=job, summary=f"{table}.{fmt}", data=params)
        transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id: int) -> None:
    from .tasks import export_run

    export_run.delay(job_id)


def export_run(*, job_id: int) -> ExportJob:
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)

    def progress(n: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=n)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    try:
        with tempfile.TemporaryFile() as tmp:
            if job.table == OPEN_DATA:
                qs = _open_data_qs(job.created_by, job.params)
                ExportJob.objects.filter(pk=job.pk).update(rows_total=qs.count())
                _write_text(tmp, lambda f: threesixty.write(f, qs, job.fmt, progress))
                filename = f"360giving-{stamp}.{job.fmt}"
            else:
                table = exports.build(job.table, job.created_by, job.params)
                ExportJob.objects.filter(pk=job.pk).update(rows_total=table.total or 0)
                if job.fmt == "xlsx":
                    exports.write_xlsx(tmp, table.title, table.header, table.rows, progress)
                else:
                    _write_text(tmp, lambda f: exports.write_csv(f, table.header, table.rows, progress))
                filename = f"{job.table}-{stamp}.{job.fmt}"
            tmp.seek(0)
            name = default_storage.save(f"exports/{job.pk}/{filename}", File(tmp, name=filename))
    except Exception as exc:  # the page must say it failed rather than spin for ever
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, file=name, filename=filename, finished_at=timezone.now()
    )
    job.refresh_from_db()
    if job.rows_total < job.rows_done:
        ExportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_done)
        job.rows_total = job.rows_done
    return job


def _write_text(binary, write) -> None:
    text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    write(text)
    text.flush()
    text.detach()


def _open_data_qs(user: User, params: dict):
    from . import selectors

    return threesixty.grants_queryset(
        programme_slug=params.get("programme", ""),
        round_slug=params.get("round", ""),
        programmes=selectors.visible_programmes(user),
    )


def board_summary_save(*, user: User, programme: Programme, as_at: date, summary: str) -> BoardSummary:
    if not can_manage_programme(user, programme):
        raise ReportingError("Only the programme's managers can write its summary")
    with transaction.atomic():
        obj, created = BoardSummary.objects.update_or_create(
            programme=programme, as_at=as_at, defaults={"summary": summary.strip(), "updated_by": user}
        )
        audit_record(
            actor=user,
            action="board_summary.saved",
            target=obj,
            summary=f"{programme.code} at {as_at}",
            data={"created": created},
        )
    return obj


def open_data_publish(*, user: User, fmt: str) -> PublishedFile:
    """Write a snapshot of every published grant to storage and list it on the public page."""
    from grants.permissions import is_administrator

    if not is_administrator(user):
        raise ReportingError("Only administrators can publish open data")
    if fmt not in ("json", "csv"):
        raise ReportingError("Choose JSON or CSV")
    qs = threesixty.grants_queryset()
    if not qs.exists():
        raise ReportingError("There are no accepted awards to publish yet")
    filename = f"grantbench-360giving-{timezone.localtime():%Y-%m-%d-%H%M%S}.{fmt}"
    with tempfile.TemporaryFile() as tmp:
        counted = [0]
        _write_text(tmp, lambda f: counted.__setitem__(0, threesixty.write(f, qs, fmt)))
        tmp.seek(0)
        name = default_storage.save(f"open-data/{filename}", File(tmp, name=filename))
    total = qs.order_by().aggregate(s=Sum("amount"))["s"] or 0
    with transaction.atomic():
        pub = PublishedFile.objects.create(
            fmt=fmt, file=name, filename=filename, grants=counted[0], total_awarded=total, published_by=user
        )
        audit_record(actor=user, action="open_data.published", target=pub, summary=filename)
    return pub
