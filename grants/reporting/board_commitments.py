"""The board report's commitments and deliverables (issue 17, item 5), as at a quarter end.

- `board_commitments`: per programme, each commitment with its target, progress as at the date
  and whether it is met (commitment_selectors.commitment_progress): one query for the
  commitments and one per kind of measure in use, whatever the number of awards.
- `board_deliverables`: per programme year (years starting by the date), the deliverables by
  RAG set by the managers (the latest setting made by the date, from their history) and by RAG
  computed from returns, then those not Green with their reason: two queries.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from grants.core.words import counted

from .board_sections import BoardSection, Column
from .charts import RAG_COLOURS, bar_chart
from .commitment_selectors import RAG_NAMES, RAG_SET_ORDER, commitment_progress, computed_rags
from .commitments import Commitment, Deliverable, DeliverableRagChange


def _financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


COMMITMENT_COLUMNS = [
    Column("commitment", "Commitment"),
    Column("year", "Year"),
    Column("target", "Target"),
    Column("progress", "Progress"),
    Column("met", "Met"),
    Column("measured_by", "Measured by"),
]


def board_commitments(programme_ids: list[int], as_at: date) -> dict[int, list[BoardSection]]:
    """Targets and progress are shown in each commitment's own unit ("£25,000,000", "3,000")."""
    commitments = list(Commitment.objects.filter(programme__in=programme_ids))
    rows: dict[int, list[list]] = defaultdict(list)
    for p in commitment_progress(commitments, as_at):
        met = "Not known" if p.met is None else "Met" if p.met else "Not yet"
        rows[p.commitment.programme_id].append(
            [p.commitment.text, p.commitment.year_label, p.target_text, p.value_text, met, p.source]
        )
    return {
        pid: [
            BoardSection(
                key="commitments",
                title="Commitments",
                columns=COMMITMENT_COLUMNS,
                rows=lines,
                note="Progress as at the report's date: from awards and returns where it can be, otherwise "
                "the value entered by hand by then.",
            )
        ]
        for pid, lines in rows.items()
    }


COUNT_COLUMNS = [
    Column("rag", "RAG status"),
    Column("set", "Set by the managers", "count"),
    Column("computed", "Computed from returns", "count"),
]
NOT_GREEN_COLUMNS = [
    Column("number", "Number", "count"),
    Column("deliverable", "Deliverable"),
    Column("rag_set", "RAG set", "rag"),
    Column("rag_computed", "RAG computed", "rag"),
    Column("reason", "Reason"),
]


def _as_at(as_at: date):
    """Deliverables with the RAG and reason their managers had set by the end of the date."""
    changes = DeliverableRagChange.objects.filter(deliverable=OuterRef("pk"), set_at__date__lte=as_at).order_by(
        "-set_at", "-pk"
    )
    return Deliverable.objects.annotate(
        rag_then=Subquery(changes.values("rag")[:1]), reason_then=Subquery(changes.values("reason")[:1])
    )


def board_deliverables(programme_ids: list[int], as_at: date) -> dict[int, list[BoardSection]]:
    items = list(
        _as_at(as_at)
        .filter(programme__in=programme_ids, financial_year__lte=_financial_year(as_at))
        .order_by("programme_id", "-financial_year", "number")
    )
    computed = computed_rags(items, as_at)
    years: dict[tuple[int, int], list[Deliverable]] = defaultdict(list)
    for d in items:
        years[(d.programme_id, d.financial_year)].append(d)
    out: dict[int, list[BoardSection]] = defaultdict(list)
    for (pid, _year), ds in years.items():
        out[pid] += _year_sections(pid, ds, computed)
    return dict(out)


def _year_sections(pid: int, ds: list[Deliverable], computed: dict[int, str]) -> list[BoardSection]:
    label = ds[0].year_label
    set_counts, computed_counts = defaultdict(int), defaultdict(int)
    for d in ds:
        set_counts[d.rag_then or ""] += 1
        computed_counts[computed[d.pk]] += 1
    names = {**RAG_NAMES, "": "Not set or not computed"}
    counts = [[names[k], set_counts[k], computed_counts[k]] for k in RAG_SET_ORDER]
    summary = f"{counted(len(ds), 'deliverable')}: " + ", ".join(
        f"{set_counts[k]} {RAG_NAMES[k]}" for k in RAG_SET_ORDER[:3]
    )
    if set_counts[""]:
        summary += f", {set_counts['']} not set"
    chart = bar_chart(
        chart_id=f"chart-deliverables-{pid}-{ds[0].financial_year}",
        title=f"Deliverables {label} by RAG status set by the managers",
        desc=summary + ".",
        columns=["RAG status", "Deliverables"],
        rows=[[RAG_NAMES[k], str(set_counts[k])] for k in RAG_SET_ORDER],
        bars=[(RAG_NAMES[k], Decimal(set_counts[k]), str(set_counts[k]), RAG_COLOURS.get(k, RAG_COLOURS["none"]))
              for k in RAG_SET_ORDER],
    )  # fmt: skip
    not_green = [
        [d.number, d.title, d.rag_then or "", computed[d.pk], d.reason_then or ""] for d in ds if d.rag_then != "green"
    ]
    return [
        BoardSection(
            key="deliverables",
            title=f"Deliverables {label}: {summary}",
            columns=COUNT_COLUMNS,
            rows=counts,
            chart=chart,
            note="Set: the RAG status the programme's managers gave by the report's date. Computed: the board's "
            "programme rule over the latest returns of the awards in the deliverable's round.",
        ),
        BoardSection(
            key="deliverables_not_green",
            title=f"Deliverables {label} not Green",
            columns=NOT_GREEN_COLUMNS,
            rows=not_green,
            note="" if not_green else "Every deliverable is Green.",
        ),
    ]
