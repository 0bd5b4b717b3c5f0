"""The board report's outputs (issue 17, item 3): per programme and output, the baseline, the
previous and latest forecasts of the final figure, the change, the actual to date and the
tolerance, as at a quarter end (forecasts recorded by then, returns reported by then).

Each award's figures come from `grants.awards.outputs.standings` (the one reading of baselines,
forecasts, actuals and tolerance); a programme's line combines its awards' (`combine`: pounds and
counts add up, a percentage is the mean) and applies the same tolerance rule to the totals, with
the tolerance of its strictest award. It also counts the awards outside their own tolerance. An
award whose only forecast is its baseline has no previous forecast: its latest stands for it.
One section per unit, so every column keeps one type. Five queries whatever the number of awards.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from grants.awards import outputs as rules
from grants.awards.models import Award, OutputTarget
from grants.awards.selectors import STANDING
from grants.core.money import percent

from . import charts
from .board_sections import BoardSection, Column

SECTIONS = {
    "pounds": ("outputs-pounds", "Outputs in pounds", "pounds"),
    "count": ("outputs-count", "Outputs counted", "count"),
    "percent": ("outputs-percent", "Outcomes in per cent", "percent"),
}
NOTE = (
    "An output is within tolerance when its latest forecast is no further from its baseline than the "
    "tolerance (a percentage of the baseline); with a baseline of 0 only a forecast of 0 is within. "
    "Percentages are the latest reported figures, and across awards their mean."
)


def _columns(kind: str) -> list[Column]:
    return [
        Column("output", "Output"),
        Column("baseline", "Baseline", kind),
        Column("previous", "Previous forecast", kind),
        Column("latest", "Latest forecast", kind),
        Column("change", "Change", kind),
        Column("actual", "Actual to date", kind),
        Column("tolerance", "Tolerance", "percent"),
        Column("status", "Tolerance status"),
        Column("outside", "Awards outside tolerance", "count"),
        *([Column("share", "Actual as a share of the latest forecast", "percent")] if kind != "percent" else []),
    ]


def _line(name: str, unit: str, awards: list[rules.OutputStanding]) -> list:
    baseline = rules.combine(unit, (o.baseline for o in awards))
    latest = rules.combine(unit, (o.forecast for o in awards))
    changed = any(o.previous is not None for o in awards)
    previous = rules.combine(unit, (o.forecast if o.previous is None else o.previous for o in awards))
    tolerance = min(o.tolerance for o in awards)
    within = rules.within_tolerance(baseline=baseline, forecast=latest, tolerance=tolerance)
    actual = rules.combine(unit, (o.actual for o in awards))
    share = [(actual * 100 / latest).quantize(Decimal("1")) if latest else None] if unit != rules.PERCENT else []
    return [
        name,
        baseline,
        previous if changed else None,
        latest,
        latest - previous if changed else None,
        actual,
        tolerance,
        "Within tolerance" if within else "Outside tolerance",
        sum(not o.within for o in awards),
        *share,
    ]


def _chart(programme_id: int, section: BoardSection) -> charts.Chart | None:
    """Pounds and counts: how far each output's actual has come towards its latest forecast."""
    if section.key == "outputs-percent":
        return None
    lines = [(row[0], row[-1]) for row in section.rows]
    return charts.bar_chart(
        chart_id=f"board-{section.key}-{programme_id}",
        title=f"{section.title}: actual to date as a share of the latest forecast",
        desc="; ".join(f"{name}: {percent(share) if share is not None else 'no forecast'}" for name, share in lines)
        + ".",
        columns=["Output", "Actual as a share of the latest forecast"],
        rows=[[name, percent(share) if share is not None else "No forecast"] for name, share in lines],
        bars=[(name, Decimal(share or 0), percent(share or 0), charts.GREEN) for name, share in lines],
    )


def board_outputs(programme_ids: list[int], as_at: date) -> dict[int, list[BoardSection]]:
    awards = Award.objects.filter(round__programme_id__in=programme_ids, award_date__lte=as_at, status__in=STANDING)
    targets = OutputTarget.objects.filter(award__in=awards.order_by().values("pk"))
    groups: dict[tuple, list[rules.OutputStanding]] = defaultdict(list)
    # The figures to date come from the read the overview made (`rules.read_once`), per award.
    by_award = rules.to_date_as_at(programme_ids=programme_ids, as_at=as_at)
    actual = {(k[1], k[2]): figure for k, figure in by_award.items()}
    for o in rules.standings(targets, as_at, plain=True, actual=actual):
        groups[(o.target.programme_id, o.unit, o.name)].append(o)
    sections: dict[int, dict[str, BoardSection]] = defaultdict(dict)
    for (programme_id, unit, name), standing in sorted(groups.items()):
        key, title, kind = SECTIONS.get(unit, SECTIONS["count"])
        section = sections[programme_id].get(key)
        if section is None:
            section = sections[programme_id][key] = BoardSection(key, title, _columns(kind), note=NOTE)
        section.rows.append(_line(name, unit, standing))
    for programme_id, by_key in sections.items():
        for section in by_key.values():
            section.chart = _chart(programme_id, section)
    order = [key for key, _, _ in SECTIONS.values()]
    return {pid: sorted(by_key.values(), key=lambda s: order.index(s.key)) for pid, by_key in sections.items()}
