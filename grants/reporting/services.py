"""Writes for reporting: background exports, board summary lines and publishing open data.

Exports are written to a temporary file row by row and then copied to default storage (local
disk or S3), so memory stays flat however many rows; progress is saved every few hundred rows
so the progress page can show how far it has got.
"""

import io
import logging
import tempfile
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from grants.core import exports
from grants.core.audit import audit_record
from grants.core.personal_data import retention_days
from grants.models import Programme, Round, User
from grants.permissions import can_manage_programme, is_staff_user
from grants.reporting.models import BoardSummary, ExportJob, ExportStatus, PublishedFile
from grants.selectors import round_is_targeted

from . import threesixty
from .selectors import is_quarter_end

OPEN_DATA = "360giving"
logger = logging.getLogger(__name__)


class ReportingError(ValidationError):
    pass


def export_request(*, user: User, table: str, fmt: str, params: dict) -> ExportJob:
    """Queue an export of a table (or the 360Giving file) with the filters given."""
    if not is_staff_user(user):
        raise ReportingError("Only staff can export")
    if table == OPEN_DATA:
        if fmt not in ("json", "csv"):
            raise ReportingError("Choose JSON or CSV")
        if not _open_data_qs(user, params).exists():  # a 360Giving package needs at least one grant
            raise ReportingError(
                "There are no grants to publish for the programme and round you chose. A grant is published once the council accepts it"
            )
    elif table not in exports.TABLES or fmt not in exports.FORMATS:
        raise ReportingError("That export does not exist")
    else:
        exports.build(table, user, params)  # checks the filters now (404 if not allowed), not in the worker
    with transaction.atomic():
        job = ExportJob.objects.create(created_by=user, table=table, fmt=fmt, params=params)
        audit_record(actor=user, action="export.requested", target=job, summary=f"{table}.{fmt}", data=params)
        transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id: int) -> None:
    """Hand the job to the worker. If that fails (no broker, or the task itself failing when
    Celery runs eagerly in-process) the job is marked failed so the page says so: the request
    that asked for it still succeeds."""
    from .tasks import export_run

    try:
        export_run.delay(job_id)
    except Exception:
        logger.exception("Could not run export job %s", job_id)
        ExportJob.objects.filter(pk=job_id, status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING)).update(
            status=ExportStatus.FAILED, error="The export could not be started", finished_at=timezone.now()
        )


def _failure(exc: Exception) -> str:
    """What the requester is told: our own messages as they are, anything else in general terms
    (the details go to the log, not to the page)."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, Http404):
        return "The filters are no longer ones you can use"
    return "Something went wrong writing the file"


def export_run(*, job_id: int) -> ExportJob:
    """Write the file. Never raises for a failure in the export itself: the job records it, so
    the progress page stops and says what happened."""
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)

    def progress(n: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=n)

    try:
        name, filename = _write_job(job, progress)
    except Exception as exc:  # the page must say it failed rather than spin for ever
        logger.exception("Export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=_failure(exc)[:500], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, file=name, filename=filename, finished_at=timezone.now()
    )
    job.refresh_from_db()
    if job.rows_total < job.rows_done:
        ExportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_done)
        job.rows_total = job.rows_done
    return job


def _write_job(job: ExportJob, progress) -> tuple[str, str]:
    """Write the job's file to storage; returns its storage name and download name."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryFile() as tmp:
        if job.table == OPEN_DATA:
            qs = _open_data_qs(job.created_by, job.params)
            total = qs.count()
            if not total:
                raise ReportingError("No grants match any more, so there is no file")
            ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
            _write_text(tmp, lambda f: threesixty.write(f, qs, job.fmt, progress))
            filename = f"360giving-{stamp}.{job.fmt}"
        else:
            table = exports.build(job.table, job.created_by, job.params)
            ExportJob.objects.filter(pk=job.pk).update(rows_total=table.total or 0)
            if job.fmt == "xlsx":
                exports.write_xlsx(tmp, table.title, table.header, table.rows, progress, sheets=table.sheets)
            else:
                _write_text(tmp, lambda f: exports.write_csv(f, table.header, table.rows, progress))
            filename = f"{job.table}-{stamp}.{job.fmt}"
        tmp.seek(0)
        name = default_storage.save(f"exports/{job.pk}/{filename}", File(tmp, name=filename))
    return name, filename


def exports_clean_up(*, days: int | None = None, now: datetime | None = None) -> int:
    """Delete export files (and their jobs) older than the retention period: they hold personal
    and financial data and were only ever meant for a download. Returns how many jobs went.
    The audit trail keeps who asked for what."""
    days = days if days is not None else retention_days("export_files")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    removed = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).only("pk", "file").iterator():
        if job.file:
            try:
                default_storage.delete(job.file.name)
            except Exception:  # a file already gone (or storage briefly down) must not stop the sweep
                logger.warning("Could not delete export file %s", job.file.name, exc_info=True)
                continue
        ExportJob.objects.filter(pk=job.pk).delete()
        removed += 1
    return removed


def _write_text(binary, write) -> None:
    text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    write(text)
    text.flush()
    text.detach()


def _open_data_qs(user: User, params: dict):
    """The grants for a 360Giving export with these filters: 404 for a programme or round the
    user cannot see (or that does not exist), an error for a round outside the programme."""
    from . import selectors

    programmes = selectors.visible_programmes(user)
    programme_slug, round_slug = params.get("programme", ""), params.get("round", "")
    programme = get_object_or_404(programmes, slug=programme_slug) if programme_slug else None
    rnd = get_object_or_404(Round, programme__in=programmes, slug=round_slug) if round_slug else None
    if programme and rnd and rnd.programme_id != programme.pk:
        raise ReportingError(f"{rnd.name} is not a round of {programme.name}: choose one of its rounds, or all rounds")
    if rnd and round_is_targeted(rnd):
        raise ReportingError(threesixty.TARGETED_LEFT_OUT.format(round=rnd.name))
    return threesixty.grants_queryset(programme_slug=programme_slug, round_slug=round_slug, programmes=programmes)


def board_summary_save(*, user: User, programme: Programme, as_at: date, summary: str) -> BoardSummary:
    if not can_manage_programme(user, programme):
        raise ReportingError("Only the programme's managers can write its summary")
    if not is_quarter_end(as_at):
        raise ReportingError("A summary is written for a quarter end: 31 March, 30 June, 30 September or 31 December")
    with transaction.atomic():
        previous = (
            BoardSummary.objects.select_for_update()
            .filter(programme=programme, as_at=as_at)
            .values_list("summary", flat=True)
            .first()
        )
        obj, created = BoardSummary.objects.update_or_create(
            programme=programme, as_at=as_at, defaults={"summary": summary.strip(), "updated_by": user}
        )
        audit_record(
            actor=user,
            action="board_summary.saved",
            target=obj,
            summary=f"{programme.code} at {as_at}",
            data={"created": created, "previous": previous or "", "as_at": as_at.isoformat()},
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
        raise ReportingError("There are no grants to publish yet. A grant is published once the council accepts it")
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


def open_data_withdraw(*, user: User, published: PublishedFile) -> PublishedFile:
    """Take a published file off the public page and stop serving it (a file published in error,
    or superseded). The file stays in storage and the audit trail says who withdrew it and when."""
    from grants.permissions import is_administrator

    if not is_administrator(user):
        raise ReportingError("Only administrators can withdraw open data")
    with transaction.atomic():
        pub = PublishedFile.objects.select_for_update().get(pk=published.pk)
        if pub.withdrawn:
            raise ReportingError(f"{pub.filename} has already been withdrawn")
        pub.withdrawn = True
        pub.save(update_fields=["withdrawn"])
        audit_record(
            actor=user,
            action="open_data.withdrawn",
            target=pub,
            summary=pub.filename,
            data={"grants": pub.grants, "published_at": pub.published_at.isoformat()},
        )
    return pub
