"""The people who work alongside the councils on deadline day, for `make loadtest`.

Assessment of an earlier round of the same programme is under way as the councils' round
closes: that round (closed a fortnight ago) has `BIDS_PER_MEMBER` submitted bids for each live
panel member, each bid assigned to three assessors: one live panel member, who must still
confirm their declaration of interests (none) and score it, and two of an earlier pool who
scored it last week (bench/dataset_scoring.py's bulk writer), so the ranking page ranks real
scores at England's scale (300 bids x 3 assessors x 8 criteria at full size). `managers`
programme managers of the programme watch the ranking and the dashboard. Everyone here arrives
with a session made in advance (the officers exercise the sign-in form).
"""

import base64
from datetime import date, timedelta
from decimal import Decimal
from secrets import token_bytes

from django.db import transaction
from django.utils import timezone

from bench.dataset_scoring import PER_BID, WEIGHTS, _assess
from bench.loadtest_seed import english_councils, session_for

BIDS_PER_MEMBER = 10
EARLIER_ASSESSORS = 6


@transaction.atomic
def seed_panel(*, programme_id: int, panel: int, managers: int) -> dict:
    from applications.models import Bid
    from grants.models import Round, StaffRole
    from scoring.models import Assignment, Criterion, Declaration, Panel, PanelMember, Scale

    now = timezone.now()
    closed = now - timedelta(days=14)
    rnd = Round.objects.create(
        programme_id=programme_id,
        name="Deadline Day Fund round 0",
        slug="deadline-day-fund-0",
        reference_prefix="DDF0",
        financial_year=now.year,
        budget=Decimal("5000000.00"),
        min_award=Decimal("5000.00"),
        max_award=Decimal("100000.00"),
        opens_at=closed - timedelta(days=42),
        closes_at=closed,
        published=True,
        eligible_kinds=[],
        eligible_regions=[],
        max_partners=5,
    )
    councils = english_councils(max(panel * BIDS_PER_MEMBER, 1))
    bids = Bid.objects.bulk_create(
        [
            Bid(
                round=rnd,
                lead=c,
                title=f"{c.short_name} community hubs",
                summary="Bringing services into the places people already go.",
                amount_requested=Decimal("40000.00"),
                match_funding=Decimal("8000.00"),
                planned_start=date(now.year + 1, 4, 1),
                planned_end=date(now.year + 2, 3, 31),
                status="submitted",
                reference=f"DDF0-{n + 1:06d}",
                reference_number=n + 1,
                submitted_at=closed - timedelta(hours=1 + n % 48),
                submission_count=1,
            )
            for n, c in enumerate(councils)
        ]
    )
    board = Panel.objects.create(round=rnd, name="Round 0 panel", assessors_per_bid=PER_BID)
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(
                round=rnd,
                name=f"Criterion {i + 1}" if i < len(WEIGHTS) else "Gateway: eligible activity",
                weight=WEIGHTS[i] if i < len(WEIGHTS) else 1,
                scale=Scale.ZERO_FOUR if i < len(WEIGHTS) else Scale.GATEWAY,
                order=i,
            )
            for i in range(len(WEIGHTS) + 1)
        ]
    )
    live = _people("panel", panel)
    earlier = _people("earlier.assessor", EARLIER_ASSESSORS)
    PanelMember.objects.bulk_create(
        [PanelMember(panel=board, user=u, is_chair=n == 0) for n, u in enumerate(earlier + live)]
    )
    Declaration.objects.bulk_create([Declaration(round=rnd, user=u, confirmed_at=closed) for u in earlier])

    mine = {u.pk: [] for u in live}
    live_pairs, earlier_pairs = [], []
    for n, bid in enumerate(bids):
        member = live[n % len(live)]
        mine[member.pk].append(bid.pk)
        live_pairs.append(Assignment(bid=bid, assessor=member))
        earlier_pairs += [(bid.pk, earlier[(n + k) % len(earlier)]) for k in range(PER_BID - 1)]
    Assignment.objects.bulk_create(live_pairs)
    totals = {"assessments": 0, "scores": 0}
    _assess(earlier_pairs, criteria, closed, totals)  # submitted ten days after the close
    staff = _people("manager", managers)
    StaffRole.objects.bulk_create(
        [StaffRole(user=u, role="programme_manager", programme_id=programme_id) for u in staff]
    )
    return {
        "round_id": rnd.pk,
        "round_slug": rnd.slug,
        "criteria": [{"id": c.pk, "max": c.max_score} for c in criteria],
        "panel": [{"email": u.email, "session": session_for(u), "bids": mine[u.pk]} for u in live],
        "managers": [{"email": u.email, "session": session_for(u)} for u in staff],
        "prescored": totals,
    }


def _people(kind: str, n: int) -> list:
    """Staff and panel members need MFA before any page of theirs: a stored TOTP authenticator
    is enough (as bench/dataset.py does); each gets a secret of its own."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from grants.models import User

    users = [User(email=f"{kind}{i:02d}@load.example.com") for i in range(n)]
    for u in users:
        u.set_unusable_password()
    users = User.objects.bulk_create(users)
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
    Authenticator.objects.bulk_create(
        [
            Authenticator(
                user=u, type=Authenticator.Type.TOTP, data={"secret": base64.b32encode(token_bytes(10)).decode()}
            )
            for u in users
        ]
    )
    return users
