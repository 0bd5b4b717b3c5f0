"""Celery tasks: mark rounds decided that nobody's confirmation could (hourly)."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from grants.models import Round
from grants.services import round_lock

from .models import DecisionStatus
from .services import round_mark_decided


@shared_task(acks_late=True)
def rounds_mark_decided() -> int:
    """A round assessed early can have every bid decided before it closes; confirming the last
    decision could not mark it then (more bids could still come). Once it has closed, and any
    extension has run out, this marks it. Idempotent: a decided round is skipped."""
    now = timezone.now()
    rounds = Round.objects.filter(
        decided_at__isnull=True, closes_at__lte=now, decisions__status=DecisionStatus.CONFIRMED
    ).distinct()
    marked = 0
    for pk in rounds.values_list("pk", flat=True):
        with transaction.atomic():  # under the round's lock, as a confirmation takes it
            marked += round_mark_decided(round_lock(pk), now=now)
    return marked
