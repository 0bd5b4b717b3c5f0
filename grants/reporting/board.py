"""The board report assembled: the overview rows (one per programme) and each programme's sections.

`PROVIDERS` is the one list of section providers (see `board_sections.SectionProvider`): the
report asks each, in this order, for every programme the user may see, after the overview's own
sections (money and RAG), which come from the rows already read. Adding a part of the
report is one line here. Nothing catches a provider's error: a broken provider breaks the
report (and its tests) rather than leaving a section quietly out of what the board reads, and
a provider that answers for a programme it was not asked about, or gives a row that does not
fit its columns, is refused the same way.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from grants.awards import outputs as output_rules
from grants.core import datacache
from grants.core.money import number, percent, pounds

from . import board_benefits, board_commitments, board_outputs, board_reach, board_spend, charts, selectors
from .board_sections import COLUMN_KINDS, BoardSection, Column, SectionProvider

NUMERIC_KINDS = ("pounds", "count", "percent")
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "": "Not reported"}
RAG_TAGS = {"green": "govuk-tag--green", "amber": "govuk-tag--orange", "red": "govuk-tag--red", "": "govuk-tag--grey"}


# The registry: each part of the report the overview does not already hold, in the order the
# board reads them. The lead adds a part with one line, for example `board_spend.board_spend,`.
PROVIDERS: list[SectionProvider] = [
    board_spend.board_spend,
    board_outputs.board_outputs,
    board_benefits.board_benefits,
    board_commitments.board_commitments,
    board_commitments.board_deliverables,
    board_reach.board_reach,
]


def overview(rows: list[selectors.BoardRow]) -> SectionProvider:
    """The first provider: money, RAG and outputs to date from the overview rows already read
    (no more queries), through the same checks as every other provider."""

    def overview(programme_ids: list[int], as_at: date) -> dict[int, list[BoardSection]]:
        return {r.programme.pk: overview_sections(r) for r in rows}

    return overview


def overview_sections(row: selectors.BoardRow) -> list[BoardSection]:
    pk = row.programme.pk
    money = [
        ("Awarded", row.awarded, charts.BLUE),
        ("Committed", row.committed, charts.PURPLE),
        ("Paid", row.paid, charts.GREEN),
        ("Returned", row.returned, charts.RED),
        ("Net paid", row.net, charts.GREEN),
    ]
    rag = [("green", row.green), ("amber", row.amber), ("red", row.red), ("", row.not_reported)]
    return [
        BoardSection(
            key="money",
            title="Money",
            columns=[Column("measure", "Measure"), Column("amount", "Amount", "pounds")],
            rows=[[label, amount] for label, amount, _ in money],
            chart=charts.bar_chart(
                chart_id=f"board-money-{pk}",
                title="Awarded, committed and paid",
                desc="; ".join(f"{label}: {pounds(amount)}" for label, amount, _ in money) + ".",
                columns=["Measure", "Amount"],
                rows=[[label, pounds(amount)] for label, amount, _ in money],
                bars=[(label, amount, pounds(amount), colour) for label, amount, colour in money],
            ),
            note="Net paid is what has been paid less what councils have returned.",
        ),
        BoardSection(
            key="rag",
            title="RAG status of awards",
            columns=[Column("rag", "RAG status", "rag"), Column("awards", "Awards", "count")],
            rows=[[key, n] for key, n in rag],
            chart=charts.bar_chart(
                chart_id=f"board-rag-{pk}",
                title="Latest RAG status of awards",
                desc="; ".join(f"{RAG_LABELS[key]}: {n}" for key, n in rag) + ".",
                columns=["RAG status", "Awards"],
                rows=[[RAG_LABELS[key], str(n)] for key, n in rag],
                bars=[(RAG_LABELS[key], Decimal(n), number(n), charts.RAG_COLOURS[key or "none"]) for key, n in rag],
            ),
            note=f"Programme RAG: {RAG_LABELS[row.rag]}. Each award's latest return for a period ended by the report date.",
        ),
    ]


@dataclass
class ProgrammeReport:
    row: selectors.BoardRow
    sections: list[BoardSection]

    @property
    def anchor(self) -> str:
        return f"sections-{self.row.programme.slug}"

    @property
    def shown(self) -> list[tuple[BoardSection, list[list["Cell"]]]]:
        """Each section with its cells as the page and the PDF show them."""
        return [(s, table_cells(s)) for s in self.sections]

    @property
    def shown_html(self) -> list[tuple[BoardSection, SafeString]]:
        """Each section with its table's rows as the page shows them (`rows_html`)."""
        return [(s, rows_html(s, table_cells(s))) for s in self.sections]


@dataclass
class BoardReport:
    as_at: date
    programmes: list[ProgrammeReport]

    @property
    def rows(self) -> list[selectors.BoardRow]:
        return [p.row for p in self.programmes]


def board_report(*, user, as_at: date, providers: list[SectionProvider] | None = None) -> BoardReport:
    """The whole report for the programmes the user may see: a fixed number of queries per
    provider, kept until the data changes (`grants.core.datacache`; a report from providers
    named by the caller is never kept). The page, the PDF and the downloads share it."""
    if providers is not None:
        return _assemble(user=user, as_at=as_at, providers=providers)
    return datacache.cached("board_report", _parts(user, as_at), lambda: _assemble(user=user, as_at=as_at))


def board_page(*, user, as_at: date) -> tuple[BoardReport, SafeString]:
    """The report with its programmes' sections rendered as the page shows them (some 4,000
    cells at ten programmes), kept together: HTML kept apart from the figures it was made from
    could be of older data than the key it is kept under."""

    def build() -> tuple[BoardReport, SafeString]:
        report = _assemble(user=user, as_at=as_at)
        return report, render_to_string("reporting/_board_programmes.html", {"programmes": report.programmes})

    return datacache.cached("board_page", _parts(user, as_at), build)


def _parts(user, as_at: date) -> tuple:
    return (user.pk, as_at, timezone.localdate())


def _assemble(*, user, as_at: date, providers: list[SectionProvider] | None = None) -> BoardReport:
    with output_rules.read_once():  # the overview and the outputs section share one read of the values
        rows = selectors.board_report(user=user, as_at=as_at)
        sections: dict[int, list[BoardSection]] = {r.programme.pk: [] for r in rows}
        ids = list(sections)
        for provider in [overview(rows), *(PROVIDERS if providers is None else providers)]:
            for pk, found in provider(ids, as_at).items():
                if pk not in sections:
                    raise ValueError(f"{provider.__name__} answered for programme {pk}, which it was not asked about")
                for section in found:
                    check(section, provider)
                sections[pk].extend(found)
    _check_chart_ids(sections)
    return BoardReport(as_at, [ProgrammeReport(r, sections[r.programme.pk]) for r in rows])


def check(section: BoardSection, provider) -> None:
    name = getattr(provider, "__name__", repr(provider))
    for c in section.columns:
        if c.kind not in COLUMN_KINDS:
            raise ValueError(f"{name}: column {c.key!r} of {section.key!r} has unknown kind {c.kind!r}")
    for row in section.rows:
        if len(row) != len(section.columns):
            raise ValueError(
                f"{name}: a row of {section.key!r} has {len(row)} values for {len(section.columns)} columns"
            )


def _check_chart_ids(sections: dict[int, list[BoardSection]]) -> None:
    """Two charts with one id would share their title and description on the page (and fail axe)."""
    seen: set[str] = set()
    for found in sections.values():
        for s in found:
            if s.chart is not None:
                if s.chart.id in seen:
                    raise ValueError(f"Two charts in the board report have the id {s.chart.id!r}: add the programme")
                seen.add(s.chart.id)


# Showing a value ------------------------------------------------------------------------------


def shown(value, kind: str) -> str:
    """A raw value as the board reads it; CSV and XLSX keep the raw value."""
    if kind == "rag":
        return RAG_LABELS.get(value or "", str(value))
    if value is None or value == "":
        return ""
    if kind == "pounds":
        return pounds(value)
    if kind == "count":
        return number(value)
    if kind == "percent":
        return percent(value)
    if kind == "date":
        return f"{value.day} {value:%B %Y}"
    return str(value)


@dataclass
class Cell:
    text: str
    numeric: bool = False
    tag: str = ""  # a GOV.UK tag class, for a RAG


def table_cells(section: BoardSection) -> list[list[Cell]]:
    """The section's rows ready for the page and the PDF: text, alignment, tag."""
    kinds = [c.kind for c in section.columns]
    return [
        [
            Cell(shown(v, k), k in NUMERIC_KINDS, RAG_TAGS.get(v or "", "govuk-tag--grey") if k == "rag" else "")
            for v, k in zip(row, kinds, strict=True)
        ]
        for row in section.rows
    ]


def rows_html(section: BoardSection, cells: list[list[Cell]]) -> SafeString:
    """The rows of a section's table on the page (`reporting/_board_section.html`), built here:
    looping over some 4,000 cells in the template language cost the board report more than a
    tenth of its time at 10,000 awards (issue 19's profile). Text is escaped as the template
    would escape it."""
    if not cells:
        return format_html(
            '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">None</td></tr>',
            len(section.columns),
        )
    out = []
    for row in cells:
        out.append('<tr class="govuk-table__row">')
        for i, cell in enumerate(row):
            text = conditional_escape(cell.text)
            if cell.tag:
                text = f'<strong class="govuk-tag {conditional_escape(cell.tag)}">{text}</strong>'
            if i == 0:
                numeric = " govuk-table__header--numeric" if cell.numeric else ""
                out.append(f'<th scope="row" class="govuk-table__header{numeric}">{text}</th>')
            else:
                numeric = " govuk-table__cell--numeric" if cell.numeric else ""
                out.append(f'<td class="govuk-table__cell{numeric}">{text}</td>')
        out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
