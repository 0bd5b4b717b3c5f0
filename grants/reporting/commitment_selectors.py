"""Reads for commitments and deliverables: progress against each commitment, and each
deliverable's RAG computed from returns. The pages and the board report both ask here.

- Progress: a live measure's value as at the date (commitment_measures), or the value entered
  by hand if it was true by then; met when it reaches the target ("at least").
- Computed RAG: for a deliverable naming a round, the board's programme RAG rule
  (`selectors.programme_rag`) over the latest returns, as at the date, of that round's awards
  that the board counts (`selectors.BOARD_STATUSES`); '' when none has reported, or no round.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone

from grants.awards.models import Award
from grants.core.money import number, percent, pounds
from grants.models import Programme

from .commitment_measures import MEASURES, measure_label
from .commitments import Commitment, Deliverable
from .selectors import BOARD_STATUSES, RAGS, latest_reported_returns, programme_rag

RAG_SET_ORDER = ("green", "amber", "red", "")
RAG_NAMES = {"green": "Green", "amber": "Amber", "red": "Red", "": "Not set"}


def show(unit: str, value: Decimal | None) -> str:
    """A commitment's figure in its unit, as the board reads it: "£25,000,000", "61%", "3,000"."""
    if value is None:
        return "Not known yet"
    if unit == "pounds":
        return pounds(value)
    if unit == "percent":
        return percent(value)
    return number(value)


@dataclass
class Progress:
    commitment: Commitment
    value: Decimal | None  # None: not known at the date (not entered yet, or not computed)

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.value >= self.commitment.target

    @property
    def source(self) -> str:
        return measure_label(self.commitment.measure)

    @property
    def target_text(self) -> str:
        return show(self.commitment.unit, self.commitment.target)

    @property
    def value_text(self) -> str:
        return show(self.commitment.unit, self.value)


def commitment_progress(commitments: list[Commitment], as_at: date | None = None) -> list[Progress]:
    """Progress of every commitment given, in one grouped query per kind of measure in use."""
    as_at = as_at or timezone.localdate()
    needs: dict = defaultdict(set)
    for c in commitments:
        if (m := MEASURES.get(c.measure)) is not None:
            needs[m.compute].add(((c.programme_id, c.financial_year), m.arg))
    # Kept apart per measure: two measures may ask about the same scope (awards made and amount awarded).
    values = {compute: compute(wanted, as_at) for compute, wanted in needs.items()}
    out = []
    for c in commitments:
        if c.is_manual:
            known = c.manual_value is not None and c.manual_as_at is not None and c.manual_as_at <= as_at
            out.append(Progress(c, c.manual_value if known else None))
        else:
            m = MEASURES.get(c.measure)
            scope = (c.programme_id, c.financial_year)
            out.append(Progress(c, values[m.compute].get((scope, m.arg)) if m else None))
    return out


def computed_rags(deliverables: list[Deliverable], as_at: date | None = None) -> dict[int, str]:
    """{deliverable id: computed RAG} for the deliverables given, in one grouped query."""
    as_at = as_at or timezone.localdate()
    round_ids = {d.round_id for d in deliverables if d.round_id}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if round_ids:
        awards = Award.objects.filter(round__in=round_ids, status__in=BOARD_STATUSES, award_date__lte=as_at)
        latest = latest_reported_returns(awards, as_at).filter(rag__in=RAGS)
        for r in latest.values("award__round", "rag").annotate(n=Count("pk")).order_by():
            counts[r["award__round"]][r["rag"]] = r["n"]
    return {
        d.pk: programme_rag(*(counts[d.round_id].get(k, 0) for k in ("green", "amber", "red"))) if d.round_id else ""
        for d in deliverables
    }


@dataclass
class DeliverableLine:
    deliverable: Deliverable
    computed: str


@dataclass
class DeliverableYear:
    programme_id: int
    financial_year: int
    lines: list[DeliverableLine]

    @property
    def label(self) -> str:
        return f"{self.financial_year}/{(self.financial_year + 1) % 100:02d}"

    def counts(self, attr: str) -> list[tuple[str, str, int]]:
        """(rag, name, count) for the RAG set ('set') or computed ('computed'), in board order."""
        seen: dict[str, int] = defaultdict(int)
        for line in self.lines:
            seen[line.deliverable.rag if attr == "set" else line.computed] += 1
        return [(k, RAG_NAMES[k], seen[k]) for k in RAG_SET_ORDER]

    @property
    def counts_set(self) -> list[tuple[str, str, int]]:
        return self.counts("set")

    @property
    def counts_computed(self) -> list[tuple[str, str, int]]:
        return self.counts("computed")

    @property
    def not_green(self) -> list[DeliverableLine]:
        return [line for line in self.lines if line.deliverable.rag != "green"]


def deliverable_years(deliverables: QuerySet[Deliverable], as_at: date | None = None) -> list[DeliverableYear]:
    """Deliverables grouped by programme year (newest year first), each with its computed RAG:
    two queries."""
    items = list(deliverables.select_related("round").order_by("programme_id", "-financial_year", "number"))
    rags = computed_rags(items, as_at)
    years: dict[tuple[int, int], DeliverableYear] = {}
    for d in items:
        key = (d.programme_id, d.financial_year)
        years.setdefault(key, DeliverableYear(*key, [])).lines.append(DeliverableLine(d, rags[d.pk]))
    return list(years.values())


def programme_page(programme: Programme, as_at: date | None = None) -> tuple[list[Progress], list[DeliverableYear]]:
    """The commitments page: every commitment's progress and every year's deliverables."""
    commitments = list(programme.commitments.select_related("manual_by"))
    return commitment_progress(commitments, as_at), deliverable_years(programme.deliverables.all(), as_at)
