"""Outputs against their baseline: the rules the award page, the round's monitoring page and the
board report share, so they never disagree.

- To date (`to_date`, the one owner): pounds and counts add up what the reported returns say for
  each period; a percentage (an outcome such as "a 61 per cent increase") is not a sum: the latest
  reported value is the figure. Across awards (a programme's line, `combine`) pounds and counts
  add up and a percentage is the mean of the awards' figures.
- Tolerance (`within_tolerance`): a forecast is within tolerance when it is no further from the
  baseline than the tolerance, a percentage of the baseline: |forecast - baseline| <=
  tolerance x baseline / 100, the limit itself counting as within. At a baseline of 0 no
  percentage of it allows any change: only a forecast of 0 is within. A percentage output's
  tolerance is relative too (5% of a 60% baseline allows 57% to 63%).
- Previous forecast: the one before the latest; a target whose only forecast is its baseline has
  none, and its change is none.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from grants.awards.models import Award, OutputForecast, OutputKind, OutputTarget, OutputUnit, OutputValue
from grants.awards.selectors import REPORTED, STANDING
from grants.core.dates import end_of_day
from grants.core.money import CENT, ZERO, in_unit, number

PERCENT = OutputUnit.PERCENT
R = "monitoring_return__"


def within_tolerance(*, baseline: Decimal, forecast: Decimal, tolerance: Decimal) -> bool:
    if baseline == 0:
        return forecast == 0
    return abs(forecast - baseline) * 100 <= tolerance * abs(baseline)


def combine(unit: str, figures: Iterable[Decimal]) -> Decimal:
    """Several awards' figures for one output as one: a sum, or for a percentage the mean."""
    figures = list(figures)
    if unit != PERCENT:
        return sum(figures, ZERO)
    return (sum(figures, ZERO) / len(figures)).quantize(CENT) if figures else ZERO


def change_text(previous: Decimal | None, latest: Decimal, unit: str) -> str:
    """ "a decrease of 165 from 7,445", "an increase of £2,000 from £40,000", "no change from 61%"."""
    if previous is None:
        return ""
    diff = latest - previous
    if diff == 0:
        return f"no change from {in_unit(previous, unit)}"
    size = f"{number(abs(diff))} percentage points" if unit == PERCENT else in_unit(abs(diff), unit)
    return f"{'an increase' if diff > 0 else 'a decrease'} of {size} from {in_unit(previous, unit)}"


def reported_values(*, award_ids, as_at: date | None = None) -> QuerySet[OutputValue]:
    """Values in reported returns (sent, sent back for changes or approved); as at a date, only
    returns for periods ended and sent by then."""
    values = OutputValue.objects.filter(**{f"{R}award__in": award_ids, f"{R}status__in": REPORTED})
    if as_at is not None:
        values = values.filter(**{f"{R}period__period_end__lte": as_at, f"{R}submitted_at__lt": end_of_day(as_at)})
    return values


def to_date(values: QuerySet[OutputValue], by: Sequence[str]) -> dict[tuple, Decimal]:
    """Each group's figure to date ({values of `by`: figure}) from these reported values, by unit
    (see the module's docstring). Two queries whatever the number of awards."""
    out: dict[tuple, Decimal] = {}
    summed = values.exclude(output__unit=PERCENT).values(*by).annotate(s=Sum("value")).order_by()
    for row in summed:
        out[tuple(row[k] for k in by)] = row["s"] or ZERO
    later = values.filter(output_id=OuterRef("output_id"), **{f"{R}award_id": OuterRef(f"{R}award_id")}).filter(
        Q(**{f"{R}period__due_on__gt": OuterRef(f"{R}period__due_on")})
        | Q(**{f"{R}period__due_on": OuterRef(f"{R}period__due_on"), f"{R}id__gt": OuterRef(f"{R}id")})
    )
    latest = values.filter(output__unit=PERCENT).filter(~Exists(later)).values(*by, "value").order_by()
    groups: dict[tuple, list[Decimal]] = defaultdict(list)
    for row in latest:
        groups[tuple(row[k] for k in by)].append(row["value"])
    for key, figures in groups.items():
        out[key] = combine(PERCENT, figures)
    return out


# Each standing award's figure to date per output, as at a date: the board report's overview (per
# programme) and its outputs section (per award) both read it, and it is one of the two dearest
# reads of the report (every reported value of every award), so it is read once per report
# (`read_once`) and each reader groups it its own way.
BY_AWARD = (f"{R}award__round__programme", f"{R}award_id", "output_id", "output__kind", "output__label", "output__unit")
_READS: ContextVar[dict | None] = ContextVar("output_reads", default=None)


@contextmanager
def read_once() -> Iterator[None]:
    """Within this block `to_date_as_at` reads each (programmes, date) once: the board report
    opens it around its overview and sections, so two of its parts share one read."""
    token = _READS.set({})
    try:
        yield
    finally:
        _READS.reset(token)


def to_date_as_at(*, programme_ids: Iterable[int], as_at: date) -> dict[tuple, Decimal]:
    """{BY_AWARD values: figure to date} for the awards of these programmes made by the date that
    stand, from returns reported by then (`to_date` per award and output): two queries, or none
    when `read_once` already holds it."""
    key = (tuple(sorted(set(programme_ids))), as_at)
    reads = _READS.get()
    if reads is not None and key in reads:
        return reads[key]
    awards = Award.objects.filter(round__programme_id__in=key[0], award_date__lte=as_at, status__in=STANDING)
    found = to_date(reported_values(award_ids=awards.order_by().values("pk"), as_at=as_at), BY_AWARD)
    if reads is not None:
        reads[key] = found
    return found


def regroup(by_award: dict[tuple, Decimal], key: Callable[[tuple], tuple]) -> dict[tuple, Decimal]:
    """`to_date` per award and output (BY_AWARD) as `to_date` by coarser groups would give it:
    pounds and counts add up, a percentage is the mean of the awards' latest figures."""
    sums: dict[tuple, Decimal] = {}
    percents: dict[tuple, list[Decimal]] = defaultdict(list)
    for k, figure in by_award.items():
        if k[5] == PERCENT:
            percents[key(k)].append(figure)
        else:
            group = key(k)
            sums[group] = sums.get(group, ZERO) + figure
    return sums | {group: combine(PERCENT, figures) for group, figures in percents.items()}


@dataclass
class OutputStanding:
    """One award's output: baseline, forecasts, actual to date and whether it is within tolerance."""

    target: OutputTarget
    baseline: Decimal
    forecast: Decimal
    previous: Decimal | None
    actual: Decimal

    @property
    def name(self) -> str:
        return self.target.output.name

    @property
    def unit(self) -> str:
        return self.target.output.unit

    @property
    def tolerance(self) -> Decimal:
        t = self.target.tolerance
        return self.target.output.tolerance if t is None else t

    @property
    def within(self) -> bool:
        return within_tolerance(baseline=self.baseline, forecast=self.forecast, tolerance=self.tolerance)

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.forecast - self.previous

    @property
    def change_text(self) -> str:
        return change_text(self.previous, self.forecast, self.unit)

    def show(self, value) -> str:
        return in_unit(value, self.unit)


def forecast_history(target_ids, as_at: date | None = None) -> dict[int, tuple]:
    """{target id: (baseline, latest forecast, previous forecast or None)} from the history, as
    at a date (forecasts recorded by then): one query. Rows are ranked within (target, baseline
    or not), so the two latest of each kind hold both the two latest overall and the latest
    baseline."""
    rows = OutputForecast.objects.filter(target__in=target_ids)
    if as_at is not None:
        rows = rows.filter(at__date__lte=as_at)
    ranked = rows.annotate(
        n=Window(
            RowNumber(), partition_by=[F("target_id"), F("is_baseline")], order_by=[F("at").desc(), F("pk").desc()]
        )
    ).filter(n__lte=2)
    by_target: dict[int, list] = defaultdict(list)
    for r in ranked.values("target_id", "value", "is_baseline", "at", "pk"):
        by_target[r["target_id"]].append(r)
    out = {}
    for target_id, found in by_target.items():
        found.sort(key=lambda r: (r["at"], r["pk"]), reverse=True)
        baseline = next((r["value"] for r in found if r["is_baseline"]), found[-1]["value"])
        out[target_id] = (baseline, found[0]["value"], found[1]["value"] if len(found) > 1 else None)
    return out


@dataclass(frozen=True)
class OutputFigures:
    """What a target's standing reads of its output (name, unit, default tolerance)."""

    name: str
    unit: str
    tolerance: Decimal


class TargetFigures(NamedTuple):
    """A target as plain figures, for reports over every award (`standings(..., plain=True)`):
    building tens of thousands of model instances (target, output, award, round) cost the board
    report seconds at 10,000 awards, for the handful of fields it reads. A named tuple, not a
    frozen dataclass: a frozen dataclass sets each field through `object.__setattr__`, which
    was a quarter of the board's outputs section at 20,000 targets (issue 19's profile)."""

    pk: int
    award_id: int
    output_id: int
    programme_id: int
    target: Decimal
    baseline: Decimal | None
    forecast: Decimal | None
    tolerance: Decimal | None
    output: OutputFigures


PLAIN_FIELDS = ("pk", "award_id", "output_id", "award__round__programme_id", "target", "baseline", "forecast",
                "tolerance", "output__kind", "output__label", "output__unit", "output__tolerance")  # fmt: skip


def _plain(targets: QuerySet[OutputTarget]) -> list[TargetFigures]:
    kinds = dict(OutputKind.choices)
    outputs: dict[tuple, OutputFigures] = {}  # one per output, shared by its targets

    def output(kind: str, label: str, unit: str, default: Decimal) -> OutputFigures:
        key = (kind, label, unit, default)
        if key not in outputs:
            outputs[key] = OutputFigures(label or kinds.get(kind, kind), unit, default)
        return outputs[key]

    return [
        TargetFigures(
            pk, award, output_id, programme, target, baseline, forecast, tolerance, output(kind, label, unit, default)
        )  # fmt: skip
        for pk, award, output_id, programme, target, baseline, forecast, tolerance, kind, label, unit, default in (
            targets.order_by("award_id", "output__order", "pk").values_list(*PLAIN_FIELDS)
        )
    ]


def standings(
    targets: QuerySet[OutputTarget],
    as_at: date | None = None,
    *,
    plain: bool = False,
    actual: dict[tuple, Decimal] | None = None,
) -> list[OutputStanding]:
    """Every target's standing (award, then the round's order of outputs): four queries whatever
    the number. A target with no history yet (set before forecasts were kept) stands at its own
    baseline and forecast. `plain`: each standing's target is a `TargetFigures`, not a model.
    `actual`: the figures to date per (award, output) already read (`to_date_as_at`, for awards
    including these targets'), so two queries fewer."""
    if plain:
        rows = _plain(targets)
    else:
        rows = list(
            targets.select_related("output", "award__round").order_by("award__reference", "output__order", "pk")
        )
    if not rows:
        return []
    history = forecast_history(targets.order_by().values("pk"), as_at)
    if actual is None:
        values = reported_values(award_ids=targets.order_by().values("award_id"), as_at=as_at)
        actual = to_date(values, (f"{R}award_id", "output_id"))
    out = []
    for t in rows:
        # A target written in bulk (bench data, imports) may carry neither: it stands at its target.
        own = t.baseline if t.baseline is not None else t.target
        baseline, forecast, previous = history.get(t.pk, (own, t.forecast if t.forecast is not None else own, None))
        out.append(OutputStanding(t, baseline, forecast, previous, actual.get((t.award_id, t.output_id), ZERO)))
    return out
