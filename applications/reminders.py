"""Deadline reminders: officers of a council with an unsubmitted draft hear 7 days and 1 day
before its deadline (the round's close, or their extension). The dedupe key makes each go once."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.urls import reverse

from grants.dates import govuk_when
from notifications.reminders import Reminder, provider

WINDOWS = ((timedelta(days=7), "7d", "in 7 days"), (timedelta(days=1), "1d", "tomorrow"))


@provider
def deadline_reminders(now: datetime) -> Iterable[Reminder]:
    from grants.models import User

    from .models import Bid, BidStatus

    bids = (
        Bid.objects.filter(status=BidStatus.DRAFT, round__published=True, round__closes_at__gt=now - timedelta(days=60))
        .select_related("round", "lead")
        .order_by("pk")
    )
    due = []
    for bid in bids:
        left = bid.deadline - now
        for window, tag, words in WINDOWS:
            # Due once fewer than `window` remains, until the next, shorter window starts.
            if timedelta(0) < left <= window and (tag == "1d" or left > timedelta(days=1)):
                due.append((bid, tag, words))
    if not due:
        return
    officers: dict[int, list] = {}
    for user in User.objects.filter(
        organisation_id__in={b.lead_id for b, _, _ in due}, is_active=True, org_role__in=["officer", "signatory"]
    ):
        officers.setdefault(user.organisation_id, []).append(user)
    for bid, tag, words in due:
        for user in officers.get(bid.lead_id, []):
            yield Reminder(
                recipient=user,
                event="deadline_approaching",
                context={
                    "round_name": bid.round.name,
                    "closes_at": govuk_when(bid.deadline),
                    "when": words,
                    "reference": bid.title,
                },
                dedupe_key=f"deadline_approaching:{bid.pk}:{tag}:{bid.deadline:%s}",
                url=reverse("applications:bid_detail", args=[bid.pk]),
            )
