"""A place for production to plug in a malware scanner, and the scan of every stored file.

`GRANTBENCH_MALWARE_SCANNER` names a callable, `scan(file, *, name) -> str | None`: given an
open binary file, it returns None (or "") when the file is clean, or a short description of what
it found; it raises when it could not scan (the scanner is down). README, "Uploads", has a ClamAV
one. With none configured, every file is clean as soon as it is stored.

With one, a stored file starts as pending and is scanned by a Celery task once the upload is
committed: scanning (a network call, reading the file back from S3) takes seconds, may fail
for a while, and must not hold the upload request or lose the upload. Until the scan says
clean, nobody can download the file (`serve_stored` answers a "being checked" page). An
infected file's bytes are deleted; its row stays, marked refused, so the uploader sees it in
their list of files and the history records it. A scan that could not run is retried with
backoff, and `rescan_pending` (every few minutes, from beat) picks up any whose task was lost.
Files uploaded through a form that keeps no row (a round's prospectus) are scanned before they
are stored, in the request: `scan_now`.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .audit import audit_record

logger = logging.getLogger(__name__)

UNAVAILABLE = "The virus check is not available just now, so the selected file was not saved: try again later"
INFECTED = "The virus check found a problem with the selected file, so it was not saved: upload a clean copy"
PENDING_AFTER = timedelta(minutes=10)  # a file pending this long lost its task: scan it again


class ScanStatus(models.TextChoices):
    PENDING = "pending", "Being checked for viruses"
    CLEAN = "clean", "Clean"
    INFECTED = "infected", "Refused: the virus check found a problem"


def scanner() -> Callable | None:
    path = getattr(settings, "GRANTBENCH_MALWARE_SCANNER", "")
    return import_string(path) if path else None


@checks.register(checks.Tags.security)
def scanner_importable(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A scanner named but missing would fail every upload: importing it here fails start-up
    (`manage.py check`, `migrate`) instead, loudly."""
    scan = scanner()
    if scan is not None and not callable(scan):
        return [checks.Error("GRANTBENCH_MALWARE_SCANNER must name a callable", id="grantbench.E502")]
    return []


def status_on_upload() -> str:
    """A new file's status: pending when a scanner is configured (even for a row made outside the
    upload services), clean otherwise."""
    return ScanStatus.PENDING if scanner() else ScanStatus.CLEAN


def scan_now(upload) -> None:
    """Scan an upload before it is stored; ValidationError if infected or the scan cannot run."""
    scan = scanner()
    if scan is None:
        return
    upload.seek(0)
    try:
        finding = scan(upload, name=upload.name)
    except Exception:
        logger.exception("The malware scanner failed on an upload")
        raise ValidationError(UNAVAILABLE, code="scan_unavailable")
    finally:
        upload.seek(0)
    if finding:
        logger.warning("Upload %r refused by the malware scanner: %s", upload.name, finding)
        raise ValidationError(INFECTED, code="infected")


def queue_scan(row) -> None:
    if row.scan_status == ScanStatus.PENDING:
        label, pk = row._meta.label, row.pk
        transaction.on_commit(lambda: scan_stored_file.delay(label, pk), robust=True)


@transaction.atomic
def record_result(model, pk: int, finding: str | None) -> str:
    """Store what the scan found, once: a row scanned twice (a retried task) keeps its first result."""
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None or row.scan_status != ScanStatus.PENDING:
        return row.scan_status if row else "gone"
    row.scan_status = ScanStatus.INFECTED if finding else ScanStatus.CLEAN
    row.save(update_fields=["scan_status"])
    if finding:
        logger.warning("Stored file %s %s refused by the malware scanner: %s", model._meta.label, pk, finding)
        stored, storage = row.file.name, row.file.storage
        transaction.on_commit(lambda: storage.delete(stored))
        audit_record(
            actor=None,
            action=row.SCAN_REFUSED_ACTION,
            target=row.scan_audit_target(),
            summary=f"{row.original_name} refused by the virus check",
            data={"file": row.pk, "finding": str(finding)[:200]},
        )
    return row.scan_status


@shared_task(bind=True, acks_late=True, max_retries=None)
def scan_stored_file(self, label: str, pk: int) -> str:
    model = apps.get_model(label)
    row = model.objects.filter(pk=pk).first()
    if row is None or row.scan_status != ScanStatus.PENDING:
        return row.scan_status if row else "gone"
    scan = scanner()
    if scan is None:  # the scanner was switched off after the upload: files are taken as they are
        return record_result(model, pk, None)
    try:
        with row.file.open("rb") as handle:
            finding = scan(handle, name=row.original_name)
    except Exception as exc:
        logger.warning("Could not scan %s %s: %s", label, pk, exc)
        if self.request.is_eager:
            return ScanStatus.PENDING  # stays unavailable; rescan_pending tries again
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600))
    return record_result(model, pk, finding or None)


def stored_file_models() -> list:
    from .uploads import StoredFile

    return [m for m in apps.get_models() if issubclass(m, StoredFile)]


@shared_task
def rescan_pending() -> int:
    """Queue a scan for every file pending longer than a scan takes (its task was lost)."""
    cutoff, queued = timezone.now() - PENDING_AFTER, 0
    for model in stored_file_models():
        pending = model.objects.filter(scan_status=ScanStatus.PENDING, uploaded_at__lt=cutoff)
        for pk in pending.values_list("pk", flat=True)[:1000]:
            scan_stored_file.delay(model._meta.label, pk)
            queued += 1
    return queued
