"""Data for `make loadtest`, in bulk: the councils' round and their officers.

One open round with three sections of three required questions, the first section also asking
(with `evidence`, as make loadtest seeds it) for a supporting document: a required file
question, so no bid can be submitted without its file. `users` council officers, one per current English council from the council register, each
with a verified email address and one draft bid whose details are complete (only the answers and
the upload are left to do). Most people get a session made in advance in the database session
store; `login_users` officers sign in through the form with `password`. The panel and the
programme managers are in bench/loadtest_seed_panel.py; the checks afterwards in
bench/loadtest_checks.py.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

SECTIONS = 3
TYPES = ["short_text", "long_text", "money"]
EVIDENCE_PAD = 20_000  # bytes of page text in each uploaded PDF: a small real document


def english_councils(limit: int) -> list:
    """Current English councils from the register (the definition reporting's reach uses: 317
    today), first `limit` of them by id; fails when there are not enough for one each."""
    from django.db.models import Q

    from grants.models import Organisation

    today = timezone.localdate()
    councils = list(
        Organisation.objects.councils()
        .current()
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today), nation="England")
        .order_by("pk")[:limit]
    )
    if len(councils) < limit:
        raise RuntimeError(f"Only {len(councils)} current English councils in the register for {limit} officers")
    return councils


def session_for(user) -> str:
    """A signed-in session made in the database session store, as the sign-in form would."""
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def evidence_pdf(bid_id: int) -> bytes:
    """The PDF officer of bid `bid_id` uploads: one page of text naming the bid, so the bytes read
    back from S3 can be matched to the bid that sent them. A correct cross-reference table."""
    text = b"BT /F1 10 Tf 72 720 Td (Supporting evidence for bid %d) Tj ET\n" % bid_id
    text += b"% padding\n" * (EVIDENCE_PAD // 10)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R"
        b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>",
        b"<</Length %d>>\nstream\n%s\nendstream" % (len(text), text),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@transaction.atomic
def seed(*, users: int, login_users: int, password: str, evidence: bool = False) -> dict:
    """The round and its officers; with `evidence`, the first section also asks for a file
    (make loadtest's shape; off by default so a caller whose users upload nothing still gets
    bids it can complete)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

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
    kinds = {s.pk: TYPES + (["file_upload"] if evidence and n == 0 else []) for n, s in enumerate(sections)}
    questions = Question.objects.bulk_create(
        [
            Question(
                section=s,
                text=f"Question {q + 1} of {s.title}" if t != "file_upload" else "Upload your supporting evidence",
                type=t,
                order=q,
                required=True,
                word_limit=500 if t == "long_text" else None,
            )
            for s in sections
            for q, t in enumerate(kinds[s.pk])
        ]
    )
    councils = english_councils(users)
    encoded = make_password(password)  # hashed once: 317 hashes would take a minute of CPU for nothing
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
            session = session_for(u)
        plan.append(
            {
                "email": u.email,
                "password": password if session is None else None,
                "session": session,
                "bid": b.pk,
                "sections": [{"id": s.pk, "questions": by_section[s.pk]} for s in sections],
            }
        )
    return {"round_id": rnd.pk, "round_slug": rnd.slug, "programme_id": programme.pk, "users": plan}


def close_round(*, round_id: int, seconds: int) -> float:
    """Set the deadline `seconds` from now; returns it as a Unix time for the load plan."""
    from grants.models import Round

    closes_at = timezone.now() + timedelta(seconds=seconds)
    Round.objects.filter(pk=round_id).update(closes_at=closes_at)
    return closes_at.timestamp()
