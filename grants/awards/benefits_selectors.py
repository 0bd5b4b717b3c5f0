"""Reads for benefits after closure (issue 17): realised to date against projected, per kind.

Realised counts the returns the council has sent (sent, sent back for changes, or approved: the
monitoring returns' REPORTED), as the board counts outputs. Projected is the award's
`BenefitsProjection`. Every function costs a fixed number of queries whatever the number of awards.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from grants.awards.models import Award, AwardStatus, BenefitsProjection, BenefitsReturn
from grants.awards.models.benefits import BENEFIT_KINDS, BENEFIT_LABELS

from .selectors import REPORTED

ZERO = Decimal("0.00")


@dataclass
class Benefits:
    """Projected and realised per kind, and the state of the returns, for one award or many."""

    projected: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BENEFIT_KINDS, ZERO))
    realised: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BENEFIT_KINDS, ZERO))
    returns: int = 0
    sent: int = 0
    due: int = 0
    overdue: int = 0
    has_projection: bool = False
    rows: list = field(default_factory=list)

    @property
    def kinds(self) -> list[tuple[str, Decimal, Decimal]]:
        """(label, projected, realised) per kind, then the total, for a table."""
        out = [(BENEFIT_LABELS[k], self.projected[k], self.realised[k]) for k in BENEFIT_KINDS]
        out.append(("Total", sum(self.projected.values(), ZERO), sum(self.realised.values(), ZERO)))
        return out

    @property
    def shown(self) -> bool:
        return bool(self.returns or self.has_projection)


def _sums(prefix: str = "") -> dict:
    reported = Q(**{f"{prefix}status__in": REPORTED})
    return {k: Sum(f"{prefix}{k}", filter=reported) for k in BENEFIT_KINDS}


def _counts(today: date, prefix: str = "") -> dict:
    open_ = Q(**{f"{prefix}status__in": BenefitsReturn.OPEN})
    return {
        "returns": Count(f"{prefix}pk"),
        "sent": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status__in": REPORTED})),
        "due": Count(f"{prefix}pk", filter=open_ & Q(**{f"{prefix}period_end__lt": today})),
        "overdue": Count(f"{prefix}pk", filter=open_ & Q(**{f"{prefix}due_on__lt": today})),
    }


def _fill(b: Benefits, row: dict, projected: dict) -> Benefits:
    for k in BENEFIT_KINDS:
        b.realised[k] = row.get(k) or ZERO
        b.projected[k] = projected.get(k) or ZERO
    for k in ("returns", "sent", "due", "overdue"):
        setattr(b, k, row.get(k) or 0)
    b.has_projection = bool(projected.get("n"))
    return b


def benefits_over(awards: QuerySet[Award], *, today: date | None = None) -> Benefits:
    """Totals over a set of awards (a round, a portfolio filter): two queries."""
    today = today or timezone.localdate()
    ids = awards.order_by().values("pk")
    row = BenefitsReturn.objects.filter(award__in=ids).aggregate(**_sums(), **_counts(today))
    projected = BenefitsProjection.objects.filter(award__in=ids).aggregate(
        n=Count("pk"), **{k: Sum(k) for k in BENEFIT_KINDS}
    )
    return _fill(Benefits(), row, projected)


def award_benefits(*, award: Award, today: date | None = None) -> Benefits:
    """One award's benefits with its returns listed: two queries."""
    today = today or timezone.localdate()
    rows = list(BenefitsReturn.objects.filter(award=award).order_by("year"))
    projection = BenefitsProjection.objects.filter(award=award).values(*BENEFIT_KINDS).first()
    b = Benefits(rows=rows, has_projection=projection is not None)
    for r in rows:
        r.overdue = r.status in BenefitsReturn.OPEN and r.due_on < today
        if r.status in REPORTED:
            for k in BENEFIT_KINDS:
                b.realised[k] += getattr(r, k) or ZERO
    b.returns = len(rows)
    b.sent = sum(r.status in REPORTED for r in rows)
    b.due = sum(r.status in BenefitsReturn.OPEN and r.period_end < today for r in rows)
    b.overdue = sum(r.overdue for r in rows)
    for k in BENEFIT_KINDS:
        b.projected[k] = (projection or {}).get(k) or ZERO
    return b


def round_benefit_returns(*, round, limit: int = 200) -> list[BenefitsReturn]:
    """The round's benefits returns, award by award, year by year, for the round's monitoring page."""
    qs = BenefitsReturn.objects.filter(award__round=round).select_related("award__lead")
    return list(qs.order_by("award__reference", "year")[:limit])


def due_for_council(*, award_ids: list[int], today: date) -> QuerySet[BenefitsReturn]:
    """Benefits returns the lead council has ahead or to send: open, of completed awards, for a year
    that has begun (later years appear as they come)."""
    return BenefitsReturn.objects.filter(
        award_id__in=award_ids,
        award__status=AwardStatus.COMPLETED,
        status__in=BenefitsReturn.OPEN,
        period_start__lte=today,
    )
