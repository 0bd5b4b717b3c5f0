"""The board report's spend (issue 17): per programme, grant spent to date (capital and revenue)
and match funding spent, the forecast at completion against the amount awarded, and the awards
forecast beyond their round's spend tolerance, as at a date.

As at a date, an award counts once made by then (and standing: not declined or withdrawn), and
spend and forecasts come only from returns the programme had received by then: submitted (or, in
a round that asks for it, certified) on or before the date, for a period that had ended. The
rules are `grants.awards.spend_selectors`' (one owner), so the board, the award page and the round's
monitoring page agree. Four grouped queries whatever the number of awards.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Abs, Coalesce

from grants.awards.models import Award
from grants.awards.selectors import STANDING
from grants.awards.spend_selectors import MONEY, SpendPosition, counted_returns
from grants.core.money import ZERO, number
from grants.core.words import counted

from .board_sections import BoardSection, Column

HUNDRED = Decimal("100")


BOARD_ROWS = 20  # awards beyond tolerance listed per programme


@dataclass
class _Programme:
    awarded: Decimal = ZERO
    spent_capital: Decimal = ZERO
    spent_revenue: Decimal = ZERO
    match_spent: Decimal = ZERO
    forecast_capital: Decimal = ZERO
    forecast_revenue: Decimal = ZERO
    forecast_awarded: Decimal = ZERO  # the amount of the awards that have a forecast
    forecasts: int = 0
    beyond: list = field(default_factory=list)

    @property
    def reported(self) -> bool:
        return bool(self.forecasts or self.spent_capital or self.spent_revenue or self.match_spent)


def _made(programme_ids: list[int], as_at: date):
    return Award.objects.filter(round__programme_id__in=programme_ids, award_date__lte=as_at, status__in=STANDING)


def _latest_forecasts(made, as_at: date):
    """Each award's latest counted return that gave a forecast (the owner's `latest_forecast`,
    `grants.awards.spend_selectors`), as "a forecast with no later forecast": an anti-join the
    database runs once over the returns, instead of a subquery per award and per field."""
    given = Q(forecast_capital__isnull=False) | Q(forecast_revenue__isnull=False)
    forecasts = counted_returns(as_at).filter(given)
    later = forecasts.filter(award_id=OuterRef("award_id")).filter(
        Q(period__due_on__gt=OuterRef("period__due_on"))
        | Q(period__due_on=OuterRef("period__due_on"), pk__gt=OuterRef("pk"))
    )
    return forecasts.filter(award__in=made.order_by().values("pk")).filter(~Exists(later)).order_by()


def _beyond_candidates(latest):
    """The latest forecasts beyond their round's tolerance, picked in the database (a tenth of the
    awards, not all of them); `SpendPosition.beyond_tolerance` still decides each one."""
    total = Coalesce("forecast_capital", Value(ZERO)) + Coalesce("forecast_revenue", Value(ZERO))
    variance = ExpressionWrapper(Abs(total - F("award__amount")) * HUNDRED, output_field=MONEY)
    limit = ExpressionWrapper(F("award__amount") * F("award__round__spend_tolerance_percent"), output_field=MONEY)
    return latest.alias(v=variance, limit=limit).filter(v__gt=F("limit"))


def board_spend(programme_ids: list[int], as_at: date) -> dict[int, list[BoardSection]]:
    """Spend sections per programme (a programme with no spend or forecast reported is left out):
    totals grouped in the database, four queries whatever the number of awards."""
    made = _made(programme_ids, as_at).order_by()
    totals: dict[int, _Programme] = {}
    for r in made.values(p=F("round__programme_id")).annotate(s=Sum("amount")):
        totals[r["p"]] = _Programme(awarded=r["s"] or ZERO)
    spent = counted_returns(as_at).filter(award__in=made.values("pk")).order_by()
    sums = {"c": Sum("spend_capital"), "r": Sum("spend_revenue"), "m": Sum("match_spent")}
    for r in spent.values(p=F("award__round__programme_id")).annotate(**sums):
        t = totals[r["p"]]
        t.spent_capital, t.spent_revenue, t.match_spent = (r[k] or ZERO for k in ("c", "r", "m"))
    latest = _latest_forecasts(made, as_at)
    forecast = {"n": Count("pk"), "c": Sum("forecast_capital"), "r": Sum("forecast_revenue"), "a": Sum("award__amount")}
    for r in latest.values(p=F("award__round__programme_id")).annotate(**forecast):
        t = totals[r["p"]]
        t.forecasts, t.forecast_awarded = r["n"], r["a"] or ZERO
        t.forecast_capital, t.forecast_revenue = r["c"] or ZERO, r["r"] or ZERO
    fields = ("award__reference", "award__amount", "award__lead__name", "award__round__programme_id",
              "award__round__spend_tolerance_percent", "forecast_capital", "forecast_revenue")  # fmt: skip
    for ref, amount, lead, pid, tolerance, capital, revenue in _beyond_candidates(latest).values_list(*fields):
        position = SpendPosition(amount, tolerance, ZERO, ZERO, ZERO, capital, revenue)
        if position.beyond_tolerance:
            totals[pid].beyond.append(({"reference": ref, "lead__name": lead}, position))
    return {pid: _sections(p, as_at) for pid, p in totals.items() if p.reported}


def _sections(p: _Programme, as_at: date) -> list[BoardSection]:
    forecast = p.forecast_capital + p.forecast_revenue
    variance = forecast - p.forecast_awarded
    spend = BoardSection(
        key="spend",
        title="Spend against the amount awarded",
        columns=[
            Column("measure", "Measure"),
            Column("capital", "Capital", "pounds"),
            Column("revenue", "Revenue", "pounds"),
            Column("total", "Total", "pounds"),
        ],
        rows=[
            ["Awarded", None, None, p.awarded],
            ["Grant spent to date", p.spent_capital, p.spent_revenue, p.spent_capital + p.spent_revenue],
            ["Match funding spent to date", None, None, p.match_spent],
            [
                f"Forecast at completion ({counted(p.forecasts, 'award')})",
                p.forecast_capital,
                p.forecast_revenue,
                forecast,
            ],
            ["Awarded to the awards with a forecast", None, None, p.forecast_awarded],
            ["Forecast variance (under is negative)", None, None, variance],
        ],
        note=f"From returns the programme had received by {as_at:%-d %B %Y}. "
        f"{counted(len(p.beyond), 'award')} forecast beyond their round's spend tolerance.",
    )
    # The board reads the worst few, not a page of hundreds (10% of 10,000 awards would be 1,000 rows).
    worst = sorted(p.beyond, key=lambda rp: (-abs(rp[1].variance_percent or 0), rp[0]["reference"]))[:BOARD_ROWS]
    beyond = BoardSection(
        key="spend_tolerance",
        title="Awards forecast beyond spend tolerance",
        columns=[
            Column("reference", "Award"),
            Column("council", "Council"),
            Column("awarded", "Awarded", "pounds"),
            Column("forecast", "Forecast at completion", "pounds"),
            Column("variance", "Variance", "pounds"),
            Column("variance_percent", "Variance (% of award)", "percent"),
            Column("tolerance", "Tolerance", "percent"),
        ],
        rows=[
            [
                row["reference"],
                row["lead__name"],
                pos.amount,
                pos.forecast,
                pos.variance,
                pos.variance_percent,
                pos.tolerance_percent,
            ]
            for row, pos in worst
        ],
        note="Under or over the award by more than the round's tolerance, in the latest forecast received."
        + (
            f" The {counted(len(worst), 'largest variance')} of {number(len(p.beyond))}, by share of the award; "
            "each round's monitoring page lists them all."
            if len(worst) < len(p.beyond)
            else ""
        ),
    )
    return [spend, beyond] if p.beyond else [spend]
