"""Background exports. Registered with the worker by grants.apps (ready)."""

from celery import shared_task


@shared_task(acks_late=True)
def export_run(job_id: int) -> None:
    from . import services

    services.export_run(job_id=job_id)
