"""Celery tasks: deliver one email or a batch, send due reminders (hourly), send digests (daily)."""

from celery import shared_task
from django.utils import timezone

from . import reminders, sending, services
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


@shared_task(acks_late=True)
def notifications_deliver_batch(notification_ids: list[int]) -> dict[str, int]:
    """Send a batch of queued emails over one connection (the reminder fan-out queues these).

    Rows are locked in chunks and sent only while still queued (`notifications.sending`), so a
    batch redelivered after a lost worker, or run by two workers, sends each email once. A failed
    email continues on its own with the usual backoff.
    """
    counts: dict[str, int] = {}
    for pk, outcome, delay in sending.deliver_many(notification_ids=notification_ids):
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome == "retry":
            notification_deliver.apply_async(args=[pk], countdown=delay, **services.queue_options())
    return counts


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
