"""A synthetic dataset built in bulk, at a fraction (`scale`) of the full size.

Full size: 317 councils, 10 programmes, 60 rounds, 20,000 bids with answers, 3 assessments of
8 criteria per bid in assessed rounds, 10,000 awards, 40,000 returns, 100,000 notifications.
A quarter of the bids sit in one "big" round, the largest, so the staff bid list (a list per
round) is measured at 5,000 bids (500 at a tenth), and a tenth in the "ranking" round (2,000
bids, 200 at a tenth). Ten rounds are open or about to open, as on a busy day of the public list
(two of them upcoming), the rest closed in earlier years. Only 317 councils exist and a council may hold one live bid per round, so the
generator adds synthetic public bodies as lead organisations where a round needs more.
Each app's part lives in its own function so the generator grows as features land.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
FULL = {"programmes": 10, "rounds": 60, "bids": 20_000, "awards": 10_000, "returns": 40_000, "notifications": 100_000}
OPEN_ROUNDS = 10  # round 0 and the last nine; rounds 1 to 30 have been assessed
UPCOMING = 2  # of the open ones, not open yet: on the public list with their opening date
BATCH = 2_000


@dataclass
class Dataset:
    scale: float
    counts: dict[str, int] = field(default_factory=dict)
    big_round_id: int | None = None
    ranking_round_id: int | None = None
    open_round_id: int | None = None
    assessed_round_ids: list[int] = field(default_factory=list)
    council_org_id: int | None = None
    people: dict[str, object] = field(default_factory=dict)

    def n(self, key: str) -> int:
        return max(1, int(FULL[key] * self.scale))


def build(scale: float, seed: int = 20261121) -> Dataset:
    from grants.services import councils_load

    random.seed(seed)
    ds = Dataset(scale=scale)
    councils_load()
    _grants(ds)
    _people(ds)
    _bids(ds)
    for part in (_scoring, _awards, _notifications):
        part(ds)
    _analyse()
    return ds


def _analyse() -> None:
    """Refresh PostgreSQL's planner statistics, as autovacuum would after a bulk load: without
    them the planner guesses empty tables and picks nested scans that no live system would see."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _grants(ds: Dataset) -> None:
    from grants.models import Organisation, OrgKind, Programme, Round

    funder, _ = Organisation.objects.get_or_create(
        name="Bench Funding Body", code=None, defaults={"short_name": "Bench funder", "kind": OrgKind.OTHER}
    )
    now = timezone.now()
    programmes = Programme.objects.bulk_create(
        [
            Programme(name=f"Bench programme {i}", slug=f"bench-programme-{i}", code=f"BP{i}", funder=funder)
            for i in range(FULL["programmes"])
        ]
    )
    rounds = []
    for i in range(FULL["rounds"]):
        prog = programmes[i % len(programmes)]
        year = 2015 + i % 10
        is_open = i == 0 or i > FULL["rounds"] - OPEN_ROUNDS
        if is_open:
            upcoming = i > FULL["rounds"] - UPCOMING
            opens = now + timedelta(days=5 + i % 7) if upcoming else now - timedelta(days=10 + i % 20)
            closes = opens + timedelta(days=30 + i % 15)
            year = now.year
        else:
            opens = datetime(year, 4, 1, 9, tzinfo=LONDON)
            closes = datetime(year, 6, 30, 12, tzinfo=LONDON)
        rounds.append(
            Round(
                programme=prog,
                name=f"{prog.name} round {i}",
                slug=f"bench-round-{i}",
                reference_prefix=f"BR{i}",
                financial_year=year,
                budget=Decimal("2000000.00"),
                min_award=Decimal("5000.00"),
                max_award=Decimal("100000.00"),
                opens_at=opens,
                closes_at=closes,
                published=True,
                eligible_kinds=[],
                eligible_regions=[],
                max_partners=5,
                assessment_started_at=None if is_open else closes + timedelta(days=3),
            )
        )
    rounds = Round.objects.bulk_create(rounds)
    ds.open_round_id = rounds[0].pk
    ds.big_round_id = rounds[1].pk
    ds.ranking_round_id = rounds[2].pk
    ds.assessed_round_ids = [r.pk for r in rounds[1:31]]  # half the rounds have been assessed
    ds.counts.update(
        programmes=len(programmes), rounds=len(rounds), councils=Organisation.objects.councils().current().count()
    )


def _people(ds: Dataset) -> None:
    from allauth.mfa.models import Authenticator

    from grants.models import Organisation, Programme, StaffRole, User

    council = Organisation.objects.get(code="KEN")
    ds.council_org_id = council.pk
    users = {
        "council_officer": User(email="bench.officer@kent.example.com", organisation=council, org_role="officer"),
        "programme_manager": User(email="bench.pm@example.com"),
        "assessor": User(email="bench.assessor@example.com"),
        "administrator": User(email="bench.admin@example.com", is_superuser=True, is_staff=True),
        "anonymous": None,
    }
    for user in users.values():
        if user is not None:
            user.set_unusable_password()
            user.save()
    StaffRole.objects.bulk_create(
        [
            StaffRole(user=users["programme_manager"], role="programme_manager", programme=p)
            for p in Programme.objects.all()
        ]
        + [StaffRole(user=users["administrator"], role="administrator")]
    )
    # Staff and panel members need MFA before any bid page; a stored TOTP authenticator is enough here.
    Authenticator.objects.bulk_create(
        [
            Authenticator(user=u, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
            for k, u in users.items()
            if k in ("programme_manager", "assessor", "administrator")
        ]
    )
    ds.people = users


def _lead_pool(ds: Dataset, needed: int) -> list[int]:
    from grants.models import Organisation, OrgKind

    councils = list(Organisation.objects.councils().current().order_by("pk").values_list("pk", flat=True))
    if needed <= len(councils):
        return councils
    extra = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench public body {i}", short_name=f"Bench body {i}", kind=OrgKind.OTHER, region="South East"
            )
            for i in range(needed - len(councils))
        ],
        batch_size=BATCH,
    )
    return councils + [o.pk for o in extra]


def _bids(ds: Dataset) -> None:
    from applications.models import Answer, Bid, BidPartner, Question, QuestionType, Section
    from grants.models import Round

    rounds = list(Round.objects.filter(slug__startswith="bench-round-").order_by("pk"))
    sections = Section.objects.bulk_create(
        [Section(round=r, title=f"Section {s}", order=s) for r in rounds for s in range(3)]
    )
    types = [QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT, QuestionType.MONEY]
    questions = Question.objects.bulk_create(
        [
            Question(section=s, text=f"Question {q}", type=types[q], order=q, word_limit=500 if q == 1 else None)
            for s in sections
            for q in range(3)
        ]
    )
    by_round: dict[int, list] = {}
    for q, s in zip(questions, [s for s in sections for _ in range(3)], strict=True):
        by_round.setdefault(s.round_id, []).append(q)

    total = ds.n("bids")
    big, ranking = total // 4, total // 10
    per_round = {rounds[1].pk: big, rounds[2].pk: ranking}
    now = timezone.now()
    per_round.update({r.pk: 0 for r in rounds if r.opens_at > now})  # upcoming: no bids yet
    rest = [r for r in rounds if r.pk not in per_round]
    left = total - big - ranking
    for i, r in enumerate(rest):
        per_round[r.pk] = left // len(rest) + (1 if i < left % len(rest) else 0)
    pool = _lead_pool(ds, max(per_round.values()))
    council_pool = pool[:317]
    created = 0
    for r in rounds:
        count = per_round[r.pk]
        assessed = r.pk in ds.assessed_round_ids
        leads = pool[:count] if count > len(council_pool) else random.sample(council_pool, count)
        if ds.council_org_id not in leads and count:
            leads[0] = ds.council_org_id
        bids = []
        for n, lead in enumerate(leads, start=1):
            status = "submitted" if assessed or r.pk == rounds[1].pk else random.choice(["draft", "draft", "submitted"])
            bids.append(
                Bid(
                    round=r,
                    lead_id=lead,
                    title=f"Project {n} in {r.name}",
                    summary="A bench bid. " * 20,
                    amount_requested=Decimal(random.randrange(5_000, 100_000)),
                    match_funding=Decimal("0.00"),
                    status=status,
                    reference=f"{r.reference_prefix}-{n:06d}" if status != "draft" else None,
                    reference_number=n if status != "draft" else None,
                    submitted_at=min(r.closes_at, now) - timedelta(hours=1) if status != "draft" else None,
                    planned_start=date(r.financial_year, 9, 1),
                    planned_end=date(r.financial_year + 1, 3, 31),
                )
            )
        bids = Bid.objects.bulk_create(bids, batch_size=BATCH)
        created += len(bids)
        qs = by_round[r.pk]
        Answer.objects.bulk_create(
            [
                Answer(bid=b, question=q, value="An answer of a few words." if q.type != "money" else "1000.00")
                for b in bids
                for q in qs[:6]
            ],
            batch_size=BATCH * 5,
        )
        partners = [
            BidPartner(bid=b, organisation_id=random.choice(council_pool), status="confirmed")
            for b in random.sample(bids, len(bids) // 5)
        ]
        partners = [p for p in partners if p.organisation_id != p.bid.lead_id]
        BidPartner.objects.bulk_create(partners, batch_size=BATCH, ignore_conflicts=True)
    ds.counts["bids"] = created
    ds.counts["big_round_bids"] = per_round[rounds[1].pk]
    ds.counts["ranking_round_bids"] = per_round[rounds[2].pk]


def _scoring(ds: Dataset) -> None:
    from bench.dataset_scoring import build_scoring

    build_scoring(ds)


def _awards(ds: Dataset) -> None:
    from bench.dataset_awards import build_awards

    build_awards(ds)


def _notifications(ds: Dataset) -> None:
    from bench.dataset_notifications import build_notifications

    build_notifications(ds)
