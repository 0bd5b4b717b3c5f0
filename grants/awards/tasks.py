"""Background work for awards: importing a big history file (grants.awards.imports.jobs)."""

from celery import shared_task


@shared_task(acks_late=True)
def import_job_run(job_id: int, confirm: bool, actor_id: int | None = None) -> None:
    from .imports.jobs import job_run

    job_run(job_id=job_id, confirm=confirm, actor_id=actor_id)
