"""The notifications part of the synthetic dataset, in bulk: 100,000 outbox rows at full size.

Written straight to the outbox (as `notify()` would leave them once delivered): half in-app,
half email, to 500 council officers spread over the councils plus the bench officer, most
already sent and most in-app ones read, so inbox and failed-email queries meet a full table.
"""

import random
from datetime import timedelta

from django.utils import timezone

from bench.dataset import BATCH, Dataset

EVENTS = {
    "deadline_approaching": "{round} closes in 3 days",
    "bid_submitted": "We have received bid {ref}",
    "return_due": "Return due for {ref}",
    "milestone_due": "Milestone due for {ref}",
    "outcome": "Decision on bid {ref}",
    "payment_made": "Payment made for {ref}",
}
OFFICERS = 500


def build_notifications(ds: Dataset) -> None:
    from grants.models import Organisation, User
    from notifications.models import Notification

    councils = list(Organisation.objects.councils().current().values_list("pk", flat=True))
    officers = [
        User(
            email=f"bench.officer{i:03d}@council.example.com",
            organisation_id=councils[i % len(councils)],
            org_role="officer",
        )
        for i in range(OFFICERS)
    ]
    for u in officers:
        u.set_unusable_password()
    recipients = [*User.objects.bulk_create(officers, batch_size=BATCH), ds.people["council_officer"]]
    now = timezone.now()
    names = list(EVENTS)
    total = ds.n("notifications")
    for start in range(0, total, BATCH * 5):
        rows = []
        for i in range(start, min(total, start + BATCH * 5)):
            recipient = recipients[(i // 2) % len(recipients)]
            email = i % 2 == 1
            event = names[i % len(names)]
            roll = random.random()
            status = "sent" if not email or roll < 0.97 else ("failed" if roll < 0.98 else "queued")
            sent_at = now - timedelta(minutes=i % 50_000) if status == "sent" else None
            rows.append(
                Notification(
                    recipient=recipient,
                    channel="email" if email else "in_app",
                    event=event,
                    subject=EVENTS[event].format(round="Bench programme round", ref=f"BR{i % 60}-{i:06d}"),
                    context={"reference": f"BR{i % 60}-{i:06d}"},
                    url="/bids/",
                    dedupe_key=f"bench:{event}:{i // 2}",
                    status=status,
                    attempts=1 if email else 0,
                    last_error="SMTPServerDisconnected: bench" if status == "failed" else "",
                    sent_at=sent_at,
                    read_at=sent_at if not email and roll < 0.7 else None,
                )
            )
        Notification.objects.bulk_create(rows, batch_size=BATCH)
    ds.counts["notifications"] = total
    ds.counts["notification_recipients"] = len(recipients)
