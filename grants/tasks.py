"""The retention schedule's task. Registered with the worker by grants.apps (ready)."""

import logging

from celery import shared_task
from django.utils import timezone

from .core.personal_data import retention_rules

logger = logging.getLogger(__name__)


@shared_task
def retention_apply() -> dict[str, int]:
    """Daily (config/settings.py CELERY_BEAT_SCHEDULE): apply every retention rule the apps
    registered (grants.core.personal_data.retention_rule). One rule failing does not stop the
    others; it is logged and raised again once they have run, so the worker reports it."""
    now = timezone.now()
    done: dict[str, int] = {}
    failed: Exception | None = None
    for name, rule in retention_rules().items():
        try:
            done[name] = rule(now)
        except Exception as exc:  # noqa: BLE001 - reported below, after the other rules ran
            logger.exception("Retention rule %s failed", name)
            failed = exc
    logger.info("Retention applied: %s", done)
    if failed is not None:
        raise failed
    return done
