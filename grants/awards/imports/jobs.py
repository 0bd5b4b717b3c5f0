"""Import jobs: the uploaded file kept in default storage, previewed and saved at once when small,
by a Celery task when big. The preview and the saving each run in one transaction, so their
progress goes through the cache (a row count written inside the transaction could not be seen by
the page until the end)."""

import logging

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction

from grants.awards.models import ImportJob, ImportStatus
from grants.core.uploads import random_key

from . import import_file
from .reading import ImportFileError, read_file
from .result import ImportResult

logger = logging.getLogger(__name__)
BACKGROUND_ROWS = 200  # more rows than this are worked through by the worker, with a progress bar
PROGRESS_EVERY = 25


def _progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


def progress(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows in all) for the page: the cache while it runs, the row when it is done."""
    if job.running:
        done = cache.get(_progress_key(job.pk))
        if done is not None:
            return done, job.rows_total
    return job.rows_done, job.rows_total


def job_start(*, upload, user) -> ImportJob:
    """Keep the file and check it: at once when it is small, in the background when it is big.
    A file that cannot be read at all is a ValueError with the reason (the form shows it)."""
    data = upload.read()
    try:
        sheets = read_file(ContentFile(data), filename=upload.name)
    except ImportFileError as exc:
        raise ValueError(str(exc)) from exc
    total = sum(len(s.rows) for s in sheets.values())
    job = ImportJob(created_by=user, filename=upload.name[:200], rows_total=total)
    job.file.save(random_key("imports", upload.name).split("/", 1)[1], ContentFile(data), save=False)
    job.save()
    _dispatch(job, confirm=False)
    return job


def job_confirm(*, job: ImportJob, user) -> ImportJob:
    """Save a previewed file as `user` (the uploader, or an administrator): refused (nothing
    happens) while the preview has errors."""
    if job.status != ImportStatus.PREVIEWED or ImportResult.from_json(job.result).errors:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.SAVING, rows_done=0)
    job.refresh_from_db()
    _dispatch(job, confirm=True, user=user)
    return job


def _dispatch(job: ImportJob, *, confirm: bool, user=None) -> None:
    actor_id = (user or job.created_by).pk
    if job.rows_total <= BACKGROUND_ROWS:
        job_run(job_id=job.pk, confirm=confirm, actor_id=actor_id)
        return
    from grants.awards.tasks import import_job_run

    transaction.on_commit(lambda: import_job_run.delay(job.pk, confirm, actor_id))


def job_run(*, job_id: int, confirm: bool, actor_id: int | None = None) -> ImportJob:
    """Preview or save the job's file, as the person who asked (`actor_id`; the uploader when
    not given). Never raises for a failure of the import itself: the job records it, so the page
    stops refreshing and says what happened."""
    from grants.models import User

    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    actor = User.objects.get(pk=actor_id) if actor_id else job.created_by
    key = _progress_key(job.pk)

    def tell(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            cache.set(key, done, 3600)

    try:
        with job.file.open("rb") as handle:
            result = import_file(handle, filename=job.filename, actor=actor, confirm=confirm, progress=tell)
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        job.status, job.error = (
            ImportStatus.FAILED,
            "Something went wrong reading the file. Try again, or ask the service team",
        )
        job.save(update_fields=["status", "error", "updated_at"])
        return job
    job.result = result.to_json()
    job.rows_done = job.rows_total = len(result.rows)
    job.status = ImportStatus.SAVED if result.saved else ImportStatus.PREVIEWED
    job.save(update_fields=["result", "rows_done", "rows_total", "status", "updated_at"])
    cache.delete(key)
    return job
