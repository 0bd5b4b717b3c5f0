"""Build reporting worlds from a plain spec, so tests can compute the expected figures from the
spec itself (not from the code under test)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from applications.models import Bid, BidStatus
from grants.models import (
    AwardStatus,
    FundReturn,
    MonitoringReturn,
    OrgKind,
    OutputTarget,
    OutputValue,
    PaymentTranche,
    ReturnStatus,
    RoundOutput,
    TrancheStatus,
)
from tests import factories as f
from tests.awards.factories import AwardFactory, ReturnPeriodFactory

REGIONS = ["South East", "London", "North West"]
KINDS = [OrgKind.DISTRICT, OrgKind.UNITARY, OrgKind.LONDON_BOROUGH]
STANDING = {"offered", "accepted", "active", "completed", "terminated"}
LIVE = {"accepted", "active"}
REPORTED = {"submitted", "changes_requested", "approved"}


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


@dataclass
class BidSpec:
    round: int
    amount: int
    submitted: bool = True


def make_rounds(programmes, years=(2018, 2019)) -> list:
    """Two rounds per programme, one per financial year, each with a savings output and a period."""
    rounds = []
    for p in programmes:
        for y in years:
            r = f.RoundFactory(programme=p, financial_year=y, budget=Decimal("100000.00"))
            RoundOutput.objects.create(round=r, kind="savings", unit="pounds")
            ReturnPeriodFactory(
                round=r,
                title="Quarter 1",
                period_start=date(y, 4, 1),
                period_end=date(y, 6, 30),
                due_on=timezone.localdate() + timedelta(days=10),
            )
            rounds.append(r)
    return rounds


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
    if s.rag or s.value:
        mr = MonitoringReturn.objects.create(
            award=a,
            period=rnd.return_periods.first(),
            status=s.return_status if s.rag else ReturnStatus.APPROVED,
            rag=s.rag or "green",
        )
        if s.value:
            OutputValue.objects.create(monitoring_return=mr, output=output, value=Decimal(s.value))
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
            reported = a.rag and a.return_status in REPORTED
            rag[a.rag if reported else ("green" if a.value and not a.rag else "none")] += 1
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
        "to_date": Decimal(sum(a.value for a in standing if a.value and (not a.rag or a.return_status in REPORTED))),
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
