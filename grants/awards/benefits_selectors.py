"""Reads for benefits after closure (issue 17): realised to date against projected, per kind.

Realised counts the returns the council has sent (sent, sent back for changes, or approved: the
monitoring returns' REPORTED), as the board counts outputs. Projected is the award's
`BenefitsProjection`. Every function costs a fixed number of queries whatever the number of awards.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Func, IntegerField, Max, QuerySet, Subquery, Sum
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


def _fill(b: Benefits, row: dict, projected: dict) -> Benefits:
    for k in BENEFIT_KINDS:
        b.realised[k] = row.get(k) or ZERO
        b.projected[k] = projected.get(k) or ZERO
    for k in ("returns", "sent", "due", "overdue"):
        setattr(b, k, row.get(k) or 0)
    b.has_projection = bool(projected.get("n"))
    return b


def _scalar(qs: QuerySet, expression: str, function: str = "SUM") -> Subquery:
    """One SQL aggregate over the rows as a scalar subquery (no GROUP BY: one row whatever the filter)."""
    out = DecimalField(max_digits=16, decimal_places=2) if function == "SUM" else IntegerField()
    return Subquery(qs.order_by().annotate(t=Func(F(expression), function=function)).values("t")[:1], output_field=out)


def benefits_over(awards: QuerySet[Award], *, today: date | None = None) -> Benefits:
    """Totals over a set of awards (a round, a portfolio filter) in one query: the returns' sums
    and counts are uncorrelated subqueries, computed once (`selectors.summary` does the same)."""
    today = today or timezone.localdate()
    ids = awards.order_by().values("pk")
    rows = BenefitsReturn.objects.filter(award__in=ids)
    sent = rows.filter(status__in=REPORTED)
    open_ = rows.filter(status__in=BenefitsReturn.OPEN)
    row = Award.objects.filter(pk__in=ids).aggregate(
        n=Count("benefits_projection"),
        **{f"p_{k}": Sum(f"benefits_projection__{k}") for k in BENEFIT_KINDS},
        # One value repeated on every row: Max hands it through the aggregate.
        **{k: Max(_scalar(sent, k)) for k in BENEFIT_KINDS},
        returns=Max(_scalar(rows, "pk", "COUNT")),
        sent=Max(_scalar(sent, "pk", "COUNT")),
        due=Max(_scalar(open_.filter(period_end__lt=today), "pk", "COUNT")),
        overdue=Max(_scalar(open_.filter(due_on__lt=today), "pk", "COUNT")),
    )
    projected = {"n": row["n"], **{k: row[f"p_{k}"] for k in BENEFIT_KINDS}}
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
