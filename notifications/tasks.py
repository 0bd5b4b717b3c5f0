"""Celery tasks: deliver one email, send due reminders (hourly), send digests (daily)."""

from celery import shared_task
from django.utils import timezone

from . import reminders, services
from .models import Channel, Notification, Status


@shared_task(bind=True, max_retries=None, acks_late=True)
def notification_deliver(self, notification_id: int) -> str:
    """Send one queued email; on failure retry with exponential backoff until the limit."""
    outcome, delay = services.deliver(notification_id=notification_id)
    if outcome == "retry":
        if self.request.is_eager:  # in-process: Celery's apply() runs the returned retry at once
            return self.retry(countdown=delay, throw=False)
        raise self.retry(countdown=delay)
    return outcome


@shared_task
def reminders_send_due() -> dict:
    """Hourly (beat): every registered reminder provider, then requeue any lost email."""
    counts = reminders.send_due(now=timezone.now())
    counts["requeued"] = services.requeue_stale()
    return counts


@shared_task
def digests_send() -> int:
    """Daily (beat): one email per staff or panel member who chose the digest."""
    user_ids = set(
        Notification.objects.filter(channel=Channel.EMAIL, status=Status.DIGEST).values_list("recipient_id", flat=True)
    )
    return sum(services.digest_send(user_id=uid) for uid in sorted(user_ids))
