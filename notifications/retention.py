"""Retention of the outbox: the content of a message is kept for a period, its record longer."""

from datetime import datetime, timedelta

from grants.core.personal_data import retention_days

from .models import Notification, Status


def email_bodies_blank(*, now: datetime) -> int:
    """Blank what every message older than the period was rendered from (its context: names,
    bid titles, amounts, the text of the body) and keep the row: who was sent which event, when,
    with what subject and whether it arrived. Messages still queued keep theirs, so they can be
    sent. Idempotent: a blanked row has an empty context and is not counted again."""
    cutoff = now - timedelta(days=retention_days("email_bodies"))
    return (
        Notification.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=[Status.QUEUED, Status.DIGEST])
        .exclude(context={})
        .update(context={})
    )
