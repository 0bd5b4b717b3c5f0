"""Spend reported in returns (issue 17): the one owner of "spend to date", "latest forecast" and
"beyond tolerance". The award page, the return page, the round's monitoring page and the board
report all ask here, so they never disagree.

Only returns with the funder count (`REPORTED`: submitted, sent back for changes, approved); a
return awaiting the council's certification is not yet with the funder. As at a date, only
returns that had reached the funder by then count (`submitted_at` is when they did: a certified
return reached the funder when it was certified).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from grants.awards.models import Award, MonitoringReturn
from grants.core.dates import end_of_day
from grants.core.money import ZERO, to_pounds

from .selectors import REPORTED

MONEY = DecimalField(max_digits=14, decimal_places=2)
HUNDRED = Decimal("100")


def counted_returns(as_at: date | None = None) -> QuerySet[MonitoringReturn]:
    """Returns whose spend counts: with the funder (by `as_at`, when given)."""
    qs = MonitoringReturn.objects.filter(status__in=REPORTED)
    if as_at is not None:
        qs = qs.filter(period__period_end__lte=as_at, submitted_at__lt=end_of_day(as_at))
    return qs


def _sum(field: str, as_at: date | None) -> Coalesce:
    qs = counted_returns(as_at).filter(award=OuterRef("pk")).order_by().values("award").annotate(t=Sum(field))
    return Coalesce(Subquery(qs.values("t"), output_field=MONEY), Value(ZERO), output_field=MONEY)


def _latest(field: str, as_at: date | None) -> Subquery:
    """The forecast in the latest counted return that gave one."""
    given = Q(forecast_capital__isnull=False) | Q(forecast_revenue__isnull=False)
    qs = counted_returns(as_at).filter(given, award=OuterRef("pk"))
    return Subquery(qs.order_by("-period__due_on", "-pk").values(field)[:1], output_field=MONEY)


def with_spend(awards: QuerySet[Award], as_at: date | None = None) -> QuerySet[Award]:
    """Annotate each award's spend to date (capital, revenue, match) and latest forecast at
    completion (capital, revenue): subqueries, one query for any number of awards."""
    return awards.annotate(
        spent_capital=_sum("spend_capital", as_at),
        spent_revenue=_sum("spend_revenue", as_at),
        match_spent_total=_sum("match_spent", as_at),
        latest_forecast_capital=_latest("forecast_capital", as_at),
        latest_forecast_revenue=_latest("forecast_revenue", as_at),
    )


@dataclass
class SpendPosition:
    """An award's spend against its amount, and where the money paid has gone."""

    amount: Decimal
    tolerance_percent: Decimal
    spent_capital: Decimal
    spent_revenue: Decimal
    match_spent: Decimal
    forecast_capital: Decimal | None
    forecast_revenue: Decimal | None
    paid: Decimal = ZERO
    returned: Decimal = ZERO

    @property
    def spent(self) -> Decimal:
        return self.spent_capital + self.spent_revenue

    @property
    def forecast(self) -> Decimal | None:
        if self.forecast_capital is None and self.forecast_revenue is None:
            return None
        return (self.forecast_capital or ZERO) + (self.forecast_revenue or ZERO)

    @property
    def variance(self) -> Decimal | None:
        """Forecast less award: negative is an underspend, positive an overspend."""
        return None if self.forecast is None else self.forecast - self.amount

    @property
    def variance_percent(self) -> Decimal | None:
        if self.variance is None or not self.amount:
            return None
        return to_pounds(self.variance * HUNDRED / self.amount)

    @property
    def variance_size(self) -> Decimal | None:
        """How far under or over, as a positive amount (the page says which)."""
        return None if self.variance is None else abs(self.variance)

    @property
    def variance_share(self) -> Decimal | None:
        """How far under or over, as a positive percentage of the award."""
        return None if self.variance_percent is None else abs(self.variance_percent)

    @property
    def beyond_tolerance(self) -> bool:
        """Under or over the award by more than the round's tolerance (exactly at it is within)."""
        if self.variance is None:
            return False
        return abs(self.variance) * HUNDRED > self.amount * self.tolerance_percent

    @property
    def held(self) -> Decimal:
        """Paid, less returned, less spent: grant money the council holds unspent (never below 0)."""
        return max(self.paid - self.returned - self.spent, ZERO)

    @property
    def spent_above_paid(self) -> Decimal:
        """Spend reported beyond the money received (the council is funding it until paid)."""
        return max(self.spent - (self.paid - self.returned), ZERO)


def position(award: Award, *, paid: Decimal = ZERO, returned: Decimal = ZERO) -> SpendPosition:
    """The position of an award annotated by `with_spend` (with its round loaded)."""
    return SpendPosition(
        amount=award.amount,
        tolerance_percent=award.round.spend_tolerance_percent,
        spent_capital=award.spent_capital,
        spent_revenue=award.spent_revenue,
        match_spent=award.match_spent_total,
        forecast_capital=award.latest_forecast_capital,
        forecast_revenue=award.latest_forecast_revenue,
        paid=paid,
        returned=returned,
    )


def award_position(award: Award, figures: dict) -> SpendPosition:
    """One award's position (the award page), with paid and returned from `selectors.figures`."""
    annotated = with_spend(Award.objects.filter(pk=award.pk).select_related("round")).get()
    return position(annotated, paid=figures["paid"], returned=figures["returned"])


def beyond_tolerance(awards: QuerySet[Award]) -> list[tuple[Award, SpendPosition]]:
    """The awards (of a round, say) whose forecast is beyond the round's tolerance."""
    rows = with_spend(awards.select_related("round", "lead")).order_by("reference")
    return [(a, p) for a in rows if (p := position(a)).beyond_tolerance]


def spend_to_date(mreturn: MonitoringReturn) -> dict[str, Decimal]:
    """Capital, revenue and match spent up to and including this return: the counted returns for
    periods due no later than it, and this return itself whatever its status."""
    upto = Q(period__due_on__lt=mreturn.period.due_on) | Q(period__due_on=mreturn.period.due_on, pk__lte=mreturn.pk)
    earlier = counted_returns().filter(upto, award_id=mreturn.award_id).exclude(pk=mreturn.pk)
    sums = earlier.aggregate(c=Sum("spend_capital"), r=Sum("spend_revenue"), m=Sum("match_spent"))
    capital = (sums["c"] or ZERO) + (mreturn.spend_capital or ZERO)
    revenue = (sums["r"] or ZERO) + (mreturn.spend_revenue or ZERO)
    return {
        "capital": capital,
        "revenue": revenue,
        "total": capital + revenue,
        "match": (sums["m"] or ZERO) + (mreturn.match_spent or ZERO),
    }
