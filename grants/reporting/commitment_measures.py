"""How a commitment's progress is computed from live data: a small registry of measures.

Each measure answers for many commitments at once: `compute(needs, as_at)` gets the set of
(scope, arg) it must answer, where a scope is (programme id, financial year or None for the
whole programme), and returns {(scope, arg): value}. Progress asks each compute function once,
so a page or the board report costs one grouped query per kind of measure in use, whatever the
number of awards or commitments.

As at a date, as the board report counts: awards that stand and were made by then; output
values of returns for periods ended and submitted by then (grants.reporting.selectors).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from grants.awards import outputs as output_rules
from grants.awards.models import Award, OutputKind
from grants.awards.models.monitoring import OUTPUT_UNITS, OutputUnit
from grants.awards.selectors import STANDING, ZERO
from grants.reporting.reach import councils_reached

from .commitments import MANUAL, CommitmentUnit

Scope = tuple[int, int | None]  # (programme id, financial year or None for every year)
Need = tuple[Scope, str]
Compute = Callable[[set[Need], date], dict[Need, Decimal]]


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    units: tuple[str, ...]  # the commitment units it can measure
    compute: Compute
    arg: str = ""
    whole_programme_only: bool = False


def _fold(rows: Iterable[tuple[int, int, str, Decimal]], needs: set[Need]) -> dict[Need, Decimal]:
    """Rows of (programme, year, arg, value) summed into each need's scope (year None: all years)."""
    by = defaultdict(lambda: ZERO)
    for programme, year, arg, value in rows:
        by[(programme, year, arg)] += Decimal(value or 0)
        by[(programme, None, arg)] += Decimal(value or 0)
    return {need: by[(need[0][0], need[0][1], need[1])] for need in needs}


def _awards(needs: set[Need], as_at: date):
    programmes = {scope[0] for scope, _ in needs}
    return Award.objects.filter(round__programme__in=programmes, status__in=STANDING, award_date__lte=as_at).order_by()


def _awards_grouped(needs: set[Need], as_at: date, aggregate) -> dict[Need, Decimal]:
    rows = _awards(needs, as_at).values("round__programme", "round__financial_year").annotate(v=aggregate)
    return _fold(((r["round__programme"], r["round__financial_year"], "", r["v"]) for r in rows), needs)


def awards_made(needs: set[Need], as_at: date) -> dict[Need, Decimal]:
    return _awards_grouped(needs, as_at, Count("pk"))


def amount_awarded(needs: set[Need], as_at: date) -> dict[Need, Decimal]:
    return _awards_grouped(needs, as_at, Sum("amount"))


def output_total(needs: set[Need], as_at: date) -> dict[Need, Decimal]:
    """Every output kind asked for, reported to date, in one grouped query."""
    values = output_rules.reported_values(award_ids=_awards(needs, as_at).values("pk"), as_at=as_at).filter(
        output__kind__in={arg for _, arg in needs}
    )
    keys = ("monitoring_return__award__round__programme", "monitoring_return__award__round__financial_year")
    rows = values.values(*keys, "output__kind").annotate(v=Sum("value")).order_by()
    return _fold(((r[keys[0]], r[keys[1]], r["output__kind"], r["v"]) for r in rows), needs)


def councils_involved(needs: set[Need], as_at: date) -> dict[Need, Decimal]:
    """Councils involved, from the one owner of reach (partners and partnership members counted once)."""
    reach = councils_reached(sorted({scope[0] for scope, _ in needs}), as_at)
    return {need: Decimal(reach[need[0][0]].councils) for need in needs if need[0][0] in reach}


def _output_units(kind: str) -> tuple[str, ...]:
    unit = OUTPUT_UNITS[kind]
    if unit == OutputUnit.POUNDS:
        return (CommitmentUnit.POUNDS,)
    if kind == OutputKind.HOMES:
        return (CommitmentUnit.HOMES, CommitmentUnit.COUNT)
    return (CommitmentUnit.COUNT,)


MEASURES: dict[str, Measure] = {
    "awards_made": Measure("awards_made", "Awards made", (CommitmentUnit.COUNT,), awards_made),
    "amount_awarded": Measure("amount_awarded", "Amount awarded", (CommitmentUnit.POUNDS,), amount_awarded),
    "councils_involved": Measure(
        "councils_involved",
        "Councils involved (lead and partner councils, counted once)",
        (CommitmentUnit.COUNCILS,),
        councils_involved,
        whole_programme_only=True,
    ),
    **{
        f"output:{kind}": Measure(
            f"output:{kind}", f"{OutputKind(kind).label} reported to date", _output_units(kind), output_total, kind
        )
        for kind in OUTPUT_UNITS
    },
}
MANUAL_LABEL = "Entered by hand"


def measure_choices() -> list[tuple[str, str]]:
    return [(MANUAL, MANUAL_LABEL)] + [(key, m.label) for key, m in MEASURES.items()]


def measure_label(key: str) -> str:
    return MANUAL_LABEL if key == MANUAL else MEASURES[key].label if key in MEASURES else key
