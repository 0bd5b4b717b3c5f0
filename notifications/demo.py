"""Demo in-app notifications and preferences so the notification centre is not empty. Idempotent.

Rows are found by their dedupe key, so `seed_demo` run twice adds nothing; no email is sent.
"""

from .events import get_event
from .models import Channel, Notification, Preference, Status
from .services import render_subject

# (email, event, context, dedupe key, url, read). The round's name comes from the round. Messages the
# demo's own actions send (a partner asked to confirm, an assessor assigned, an offer made) come
# from the services that take those actions, in the other apps' demos.
DEMO = [
    (
        "council.officer@kent.example.com",
        "round_opening",
        {"round_name": "", "programme_name": "Digital"},
        "demo:round_opening:digital",
        "rounds:digital-inclusion",
        False,
    ),
    (
        "council.officer@leeds.example.com",
        "round_opening",
        {"round_name": "", "programme_name": "Digital"},
        "demo:round_opening:digital",
        "rounds:digital-inclusion",
        True,
    ),
]


def seed(*, stdout=None, context: dict) -> None:
    people, rounds = context.get("people", {}), context.get("rounds", {})
    created = 0
    for email, event, ctx, key, url, read in DEMO:
        user = people.get(email)
        if user is None:
            continue
        if url.startswith("rounds:"):
            rnd = rounds.get(url.split(":", 1)[1])
            url = rnd.get_absolute_url() if rnd else ""
            if rnd:
                ctx = {**ctx, "round_name": rnd.name}
        _, was_created = Notification.objects.get_or_create(
            recipient=user,
            channel=Channel.IN_APP,
            dedupe_key=key,
            defaults={
                "event": event,
                "subject": render_subject(get_event(event), ctx),
                "context": ctx,
                "url": url,
                "status": Status.SENT,
            },
        )
        created += was_created
        if was_created and read:
            Notification.objects.filter(recipient=user, channel=Channel.IN_APP, dedupe_key=key).update(
                read_at=Notification.objects.get(recipient=user, channel=Channel.IN_APP, dedupe_key=key).created_at
            )
    for email in ("council.officer@kent.example.com", "council.officer@leeds.example.com"):
        if email in people:
            Preference.objects.get_or_create(user=people[email], defaults={"round_opening_alerts": True})
    if stdout:
        stdout.write(f"Demo: {created} in-app notifications added")
