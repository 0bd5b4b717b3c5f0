"""The board report's spend (issue 17): per programme, grant spent to date (capital and revenue)
and match funding spent, the forecast at completion against the amount awarded, and the awards
forecast beyond their round's spend tolerance, as at a date.

As at a date, an award counts once made by then (and standing: not declined or withdrawn), and
spend and forecasts come only from returns the programme had received by then: submitted (or, in
a round that asks for it, certified) on or before the date, for a period that had ended. The
rules are `grants.awards.spend_selectors`' (one owner), so the board, the award page and the round's
monitoring page agree. One query whatever the number of awards.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from grants.awards.models import Award
from grants.awards.selectors import STANDING
from grants.awards.spend_selectors import SpendPosition, with_spend
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


def _rows(programme_ids: list[int], as_at: date):
    awards = Award.objects.filter(round__programme_id__in=programme_ids, award_date__lte=as_at, status__in=STANDING)
    return (
        with_spend(awards.order_by(), as_at)
        .values(
            "reference",
            "amount",
            "lead__name",
            "round__programme_id",
            "round__spend_tolerance_percent",
            "spent_capital",
            "spent_revenue",
            "match_spent_total",
            "latest_forecast_capital",
            "latest_forecast_revenue",
        )
        .order_by("reference")
    )


def board_spend(programme_ids: list[int], as_at: date) -> dict[int, list[BoardSection]]:
    """Spend sections per programme (a programme with no spend or forecast reported is left out)."""
    totals: dict[int, _Programme] = {}
    for row in _rows(programme_ids, as_at):
        p = totals.setdefault(row["round__programme_id"], _Programme())
        position = SpendPosition(
            amount=row["amount"],
            tolerance_percent=row["round__spend_tolerance_percent"],
            spent_capital=row["spent_capital"],
            spent_revenue=row["spent_revenue"],
            match_spent=row["match_spent_total"],
            forecast_capital=row["latest_forecast_capital"],
            forecast_revenue=row["latest_forecast_revenue"],
        )
        p.awarded += row["amount"]
        p.spent_capital += position.spent_capital
        p.spent_revenue += position.spent_revenue
        p.match_spent += position.match_spent
        if position.forecast is not None:
            p.forecasts += 1
            p.forecast_capital += position.forecast_capital or ZERO
            p.forecast_revenue += position.forecast_revenue or ZERO
            p.forecast_awarded += row["amount"]
        if position.beyond_tolerance:
            p.beyond.append((row, position))
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
