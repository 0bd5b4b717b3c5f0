"""Build reporting worlds from a plain spec, so tests can compute the expected figures from the
spec itself (not from the code under test)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from applications.models import Bid, BidStatus
from grants.awards.models import (
    AwardStatus,
    FundReturn,
    MonitoringReturn,
    OutputTarget,
    OutputValue,
    PaymentTranche,
    ReturnStatus,
    RoundOutput,
    TrancheStatus,
)
from grants.models import OrgKind
from tests import factories as f
from tests.awards.factories import AwardFactory, ReturnPeriodFactory

REGIONS = ["South East", "London", "North West"]
KINDS = [OrgKind.DISTRICT, OrgKind.UNITARY, OrgKind.LONDON_BOROUGH]
STANDING = {"offered", "accepted", "active", "completed", "terminated"}
LIVE = {"accepted", "active"}
REPORTED = {"submitted", "changes_requested", "approved"}
YEARS = {0: 2018, 1: 2019, 2: 2018, 3: 2019}  # the financial year of each of the world's rounds


@dataclass
class AwardSpec:
    round: int  # index into the world's rounds
    status: str
    amount: int
    paid: list[int] = field(default_factory=list)  # paid tranche amounts
    returned: int = 0
    rag: str = ""  # latest reported return's RAG ("" = no return)
    return_status: str = "approved"
    target: int = 0
    value: int = 0
    region: int = 0
    kind: int = 0
    # Returns for the later quarters (2 and 3), oldest first: (rag, status, output value). They
    # are created before the first quarter's, so "latest" by id and by period disagree.
    later: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class BidSpec:
    round: int
    amount: int
    submitted: bool = True


QUARTERS = ((4, 1), (7, 1), (10, 1))  # the first three quarters of a financial year


def period_end(year: int, quarter: int) -> date:
    """The end of quarter `quarter` (0, 1 or 2) of the financial year starting in `year`."""
    return [date(year, 6, 30), date(year, 9, 30), date(year, 12, 31)][quarter]


def submitted_on(year: int, quarter: int) -> date:
    """When a reported return for that quarter was submitted: five days after it ended."""
    return period_end(year, quarter) + timedelta(days=5)


def make_rounds(programmes, years=(2018, 2019)) -> list:
    """Two rounds per programme, one per financial year, each with a savings output and three
    quarterly return periods (the first due in ten days, the others later)."""
    rounds = []
    for p in programmes:
        for y in years:
            r = f.RoundFactory(programme=p, financial_year=y, budget=Decimal("100000.00"))
            RoundOutput.objects.create(round=r, kind="savings", unit="pounds")
            for q, (month, day) in enumerate(QUARTERS):
                ReturnPeriodFactory(
                    round=r,
                    title=f"Quarter {q + 1}",
                    period_start=date(y, month, day),
                    period_end=period_end(y, q),
                    due_on=timezone.localdate() + timedelta(days=10 + 30 * q),
                )
            rounds.append(r)
    return rounds


def returns_of(s: AwardSpec) -> list[tuple[int, str, str, int]]:
    """The returns make_award creates for a spec: (quarter, rag, status, value)."""
    out = []
    if s.rag or s.value:
        out.append((0, s.rag or "green", s.return_status if s.rag else ReturnStatus.APPROVED, s.value))
    out += [(q + 1, rag, status, value) for q, (rag, status, value) in enumerate(s.later[:2])]
    return out


def reported_returns(s: AwardSpec, year: int, as_at: date | None = None) -> list[tuple[int, str, str, int]]:
    """The spec's returns that count: reported, and (as at a date) for a period ending and
    submitted on or before it."""
    return [
        r
        for r in returns_of(s)
        if r[2] in REPORTED
        and (as_at is None or (period_end(year, r[0]) <= as_at and submitted_on(year, r[0]) <= as_at))
    ]


def latest_rag(s: AwardSpec, year: int, as_at: date | None = None) -> str:
    """The RAG of the latest counted return by period ("none" without one)."""
    counted = reported_returns(s, year, as_at)
    return max(counted)[1] if counted else "none"


def make_org(spec_region: int, spec_kind: int):
    return f.OrganisationFactory(region=REGIONS[spec_region % 3], kind=KINDS[spec_kind % 3])


def make_award(rnd, s: AwardSpec, lead=None):
    lead = lead or make_org(s.region, s.kind)
    a = AwardFactory(
        round=rnd,
        lead=lead,
        status=s.status,
        amount=Decimal(s.amount),
        award_date=date(rnd.financial_year, 7, 1),
        planned_start=date(rnd.financial_year, 8, 1),
        planned_end=date(rnd.financial_year + 1, 3, 31),
        tranche=False,
    )
    for i, amount in enumerate(s.paid, start=1):
        PaymentTranche.objects.create(
            award=a, number=i, amount=Decimal(amount), status=TrancheStatus.PAID, paid_on=date(rnd.financial_year, 9, 1)
        )
    if s.returned:
        FundReturn.objects.create(
            award=a, amount=Decimal(s.returned), returned_on=date(rnd.financial_year, 12, 1), reason="Could not proceed"
        )
    output = rnd.outputs.first()
    if s.target:
        OutputTarget.objects.create(award=a, output=output, target=Decimal(s.target))
    periods = list(rnd.return_periods.order_by("period_end"))
    for quarter, rag, status, value in sorted(returns_of(s), reverse=True):  # later quarters first
        submitted = submitted_on(rnd.financial_year, quarter) if status in REPORTED else None
        mr = MonitoringReturn.objects.create(
            award=a,
            period=periods[quarter],
            status=status,
            rag=rag,
            submitted_at=timezone.make_aware(datetime.combine(submitted, time(12))) if submitted else None,
        )
        if value:
            OutputValue.objects.create(monitoring_return=mr, output=output, value=Decimal(value))
    return a


def make_bid(rnd, s: BidSpec):
    n = Bid.objects.count() + 1
    return Bid.objects.create(
        round=rnd,
        lead=f.OrganisationFactory(),
        title=f"Bid {n}",
        amount_requested=Decimal(s.amount),
        status=BidStatus.SUBMITTED if s.submitted else BidStatus.DRAFT,
        submitted_at=timezone.now() if s.submitted else None,
        reference=f"RB-{n:06d}" if s.submitted else None,
        reference_number=n if s.submitted else None,
    )


def expected(awards: list[AwardSpec], bids: list[BidSpec], round_ids: set[int]) -> dict:
    """The dashboard's figures computed straight from the spec."""
    sel = [a for a in awards if a.round in round_ids]
    standing = [a for a in sel if a.status in STANDING]
    rag = {"green": 0, "amber": 0, "red": 0, "none": 0}
    for a in sel:
        if a.status in LIVE:
            rag[latest_rag(a, YEARS[a.round])] += 1
    received = [b for b in bids if b.round in round_ids and b.submitted]
    return {
        "awards_made": len(standing),
        "awarded": Decimal(sum(a.amount for a in standing)),
        "paid": Decimal(sum(sum(a.paid) for a in sel)),
        "returned": Decimal(sum(a.returned for a in sel)),
        "bids_received": len(received),
        "requested": Decimal(sum(b.amount for b in received)),
        "rag": rag,
        "target": Decimal(sum(a.target for a in standing)),
        "to_date": Decimal(sum(r[3] for a in standing for r in reported_returns(a, YEARS[a.round]))),
        "by_region": {
            REGIONS[i]: (
                sum(1 for a in standing if a.region % 3 == i),
                Decimal(sum(a.amount for a in standing if a.region % 3 == i)),
            )
            for i in range(3)
            if any(a.region % 3 == i for a in standing)
        },
    }


ALL_STATUSES = [s.value for s in AwardStatus]
