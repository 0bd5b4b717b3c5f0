"""Demo in-app notifications and preferences so the notification centre is not empty. Idempotent.

Rows are found by their dedupe key, so `seed_demo` run twice adds nothing; no email is sent.
"""

from .events import get_event
from .models import Channel, Notification, Preference, Status
from .services import render_subject

# (email, event, context, dedupe key, url, read)
DEMO = [
    (
        "council.officer@kent.example.com",
        "round_opening",
        {"round_name": "Digital Inclusion 2019/20", "programme_name": "Digital Inclusion"},
        "demo:round_opening:digital",
        "rounds:digital-inclusion-2019-20",
        True,
    ),
    (
        "council.officer@kent.example.com",
        "deadline_approaching",
        {"round_name": "Digital Inclusion 2019/20", "when": "in 7 days"},
        "demo:deadline:digital:7d",
        "rounds:digital-inclusion-2019-20",
        False,
    ),
    (
        "partner.officer@medway.example.com",
        "partner_confirmation_requested",
        {
            "round_name": "Digital Inclusion 2019/20",
            "lead_name": "Kent County Council",
            "partner_name": "Medway Council",
        },
        "demo:partner:medway",
        "",
        False,
    ),
    (
        "council.officer@leeds.example.com",
        "round_opening",
        {"round_name": "Digital Inclusion 2019/20", "programme_name": "Digital Inclusion"},
        "demo:round_opening:digital",
        "rounds:digital-inclusion-2019-20",
        False,
    ),
    (
        "panel.member@lga.example.com",
        "assessor_assigned",
        {"round_name": "Behavioural Insights phase 4", "count": 5},
        "demo:assessor:bi4",
        "",
        False,
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
