"""Data for `make loadtest`, in bulk, and the database checks afterwards.

One open round with three sections of three required questions; `users` council officers, each
at a different council with a verified email address and one draft bid whose details are
complete (only the answers are left to do). Most officers get a session made in advance in the
database session store; `login_users` of them sign in through the form with `password`.
"""

import time
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

SECTIONS = 3
TYPES = ["short_text", "long_text", "money"]


@transaction.atomic
def seed(*, users: int, login_users: int, password: str) -> dict:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore

    from applications.models import Bid, Question, Section
    from grants.models import Organisation, OrgKind, Programme, Round, User

    now = timezone.now()
    funder = Organisation.objects.create(name="Load Test Funding Body", short_name="Load funder", kind=OrgKind.OTHER)
    programme = Programme.objects.create(name="Deadline Day Fund", slug="deadline-day-fund", code="DDF", funder=funder)
    rnd = Round.objects.create(
        programme=programme,
        name="Deadline Day Fund round 1",
        slug="deadline-day-fund-1",
        reference_prefix="DDF1",
        financial_year=now.year,
        budget=Decimal("5000000.00"),
        min_award=Decimal("5000.00"),
        max_award=Decimal("100000.00"),
        opens_at=now - timedelta(days=28),
        closes_at=now + timedelta(hours=1),  # moved to just after the load starts by close_round()
        published=True,
        eligible_kinds=[],
        eligible_regions=[],
        max_partners=5,
    )
    sections = [Section.objects.create(round=rnd, title=f"Part {n + 1}", order=n) for n in range(SECTIONS)]
    questions = Question.objects.bulk_create(
        [
            Question(
                section=s,
                text=f"Question {q + 1} of {s.title}",
                type=t,
                order=q,
                required=True,
                word_limit=500 if t == "long_text" else None,
            )
            for s in sections
            for q, t in enumerate(TYPES)
        ]
    )
    councils = list(Organisation.objects.councils().current().order_by("pk")[:users])
    if len(councils) < users:
        raise RuntimeError(f"Only {len(councils)} councils to bid")
    encoded = make_password(password)  # hashed once: 200 hashes would take a minute of CPU for nothing
    people = User.objects.bulk_create(
        [
            User(email=f"officer{n:03d}@load.example.com", organisation=c, org_role="officer", password=encoded)
            for n, c in enumerate(councils)
        ]
    )
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people])
    bids = Bid.objects.bulk_create(
        [
            Bid(
                round=rnd,
                lead=c,
                title=f"{c.short_name} digital front door",
                summary="Joining up the council's services behind one front door.",
                amount_requested=Decimal("50000.00"),
                match_funding=Decimal("10000.00"),
                planned_start=date(now.year + 1, 1, 1),
                planned_end=date(now.year + 1, 12, 31),
                status="draft",
                created_by=u,
            )
            for u, c in zip(people, councils, strict=True)
        ]
    )
    by_section = {s.pk: [(q.pk, q.type) for q in questions if q.section_id == s.pk] for s in sections}
    plan = []
    every = max(users // max(login_users, 1), 1)  # spread the form sign-ins across the ramp-up
    for n, (u, b) in enumerate(zip(people, bids, strict=True)):
        session = None
        if not (login_users and n % every == every // 2 and n // every < login_users):
            store = SessionStore()
            store["_auth_user_id"] = str(u.pk)
            store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            store["_auth_user_hash"] = u.get_session_auth_hash()
            store.create()
            session = store.session_key
        plan.append(
            {
                "email": u.email,
                "password": password if session is None else None,
                "session": session,
                "bid": b.pk,
                "sections": [{"id": s.pk, "questions": by_section[s.pk]} for s in sections],
            }
        )
    return {"round_id": rnd.pk, "round_slug": rnd.slug, "users": plan}


def close_round(*, round_id: int, seconds: int) -> float:
    """Set the deadline `seconds` from now; returns it as a Unix time for the load plan."""
    from grants.models import Round

    closes_at = timezone.now() + timedelta(seconds=seconds)
    Round.objects.filter(pk=round_id).update(closes_at=closes_at)
    return closes_at.timestamp()


def stored_submissions(*, round_id: int) -> dict:
    from applications.models import Bid
    from grants.models import Round

    rnd = Round.objects.get(pk=round_id)
    bids = Bid.objects.filter(round_id=round_id)
    submitted = bids.filter(status="submitted", submitted_at__isnull=False)
    return {
        "count": submitted.count(),
        "references": set(submitted.values_list("reference", flat=True)),
        # Any bid stamped at or after the close, whatever its status now, was accepted late.
        "after_deadline": bids.filter(submitted_at__gte=rnd.closes_at).count(),
        "closes_at": rnd.closes_at,
    }


def wait_for_receipts(*, round_id: int, timeout: float) -> dict:
    """Give the Celery worker time to send the receipt emails; report how many went."""
    from notifications.models import Notification

    emails = Notification.objects.filter(channel="email", event="bid_submitted")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and emails.filter(status="queued").exists():
        time.sleep(1)
    return {
        "queued": emails.filter(status="queued").count(),
        "sent": emails.filter(status="sent").count(),
        "failed": emails.filter(status="failed").count(),
    }
