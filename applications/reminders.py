"""Deadline reminders: officers of a council with an unsubmitted bid (a draft, or one returned for
changes) hear 7 days and 1 day before its deadline (the round's close, or their extension).

The window only decides when a reminder is due and goes in its dedupe key (so each goes once);
the wording comes from the time actually left, so a draft started three days before the close
gets 'closes in 3 days', not 'in 7 days'."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.urls import reverse

from grants.core.dates import govuk_when
from notifications.reminders import Reminder, provider, when_words

WINDOWS = ((timedelta(days=7), "7d"), (timedelta(days=1), "1d"))


@provider
def deadline_reminders(now: datetime) -> Iterable[Reminder]:
    from grants.models import User

    from .models import Bid, BidStatus

    bids = (
        Bid.objects.filter(
            status__in=(BidStatus.DRAFT, BidStatus.RETURNED),
            round__published=True,
            round__closes_at__gt=now - timedelta(days=60),
        )
        .select_related("round", "lead")
        .order_by("pk")
    )
    due = []
    for bid in bids:
        left = bid.deadline - now
        for window, tag in WINDOWS:
            # Due once fewer than `window` remains, until the next, shorter window starts.
            if timedelta(0) < left <= window and (tag == "1d" or left > timedelta(days=1)):
                due.append((bid, tag))
    if not due:
        return
    officers: dict[int, list] = {}
    for user in User.objects.filter(
        organisation_id__in={b.lead_id for b, _ in due}, is_active=True, org_role__in=["officer", "signatory"]
    ):
        officers.setdefault(user.organisation_id, []).append(user)
    for bid, tag in due:
        words = when_words(bid.deadline, now)
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
                programme_id=bid.round.programme_id,
            )
