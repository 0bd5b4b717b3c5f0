"""The board report as downloads, from the same `board.board_report` as the page and the PDF.

CSV: one tidy long table, a value a line (as at, programme code, programme, section, row,
measure, value, unit), raw values: pounds as 1234.50 with unit "pounds", a percentage as 61 with
unit "percent", a RAG as its label. XLSX: an Overview sheet (a programme a row) and one sheet per
kind of section, numbers as numbers with their formats, and a native bar chart where the section
has a chart on the page.
"""

from datetime import date
from decimal import Decimal

from grants.core.exports import Sheet, SheetChart, Table

from . import board
from .board_sections import BoardSection

CSV_HEADER = ["As at", "Programme code", "Programme", "Section", "Row", "Measure", "Value", "Unit"]
FORMATS = {"pounds": '"£"#,##0.00', "count": "#,##0", "percent": "0.0%", "date": "d mmmm yyyy"}
# The overview, a programme a row: (label, unit, value of a BoardRow).
OVERVIEW = [
    ("Awards", "count", lambda r: r.awards),
    ("Awarded", "pounds", lambda r: r.awarded),
    ("Committed", "pounds", lambda r: r.committed),
    ("Paid", "pounds", lambda r: r.paid),
    ("Returned", "pounds", lambda r: r.returned),
    ("Net paid", "pounds", lambda r: r.net),
    ("RAG", "rag", lambda r: board.RAG_LABELS[r.rag]),
    ("Green", "count", lambda r: r.green),
    ("Amber", "count", lambda r: r.amber),
    ("Red", "count", lambda r: r.red),
    ("Not reported", "count", lambda r: r.not_reported),
    ("Expressions of interest received", "count", lambda r: r.eois_received),
    ("Expressions of interest invited", "count", lambda r: r.eois_invited),
    ("Summary", "text", lambda r: r.summary),
]


def board_table(*, user, as_at: date) -> Table:
    report = board.board_report(user=user, as_at=as_at)
    rows = csv_rows(report)
    return Table("Board report", CSV_HEADER, rows, len(rows), sheets=sheets(report))


def _raw(value, kind: str):
    return board.RAG_LABELS.get(value or "", value) if kind == "rag" else value


def csv_rows(report: board.BoardReport) -> list[list]:
    out = []
    for p in report.programmes:
        r = p.row
        head = [report.as_at, r.reference, r.programme.name]
        out += [[*head, "Overview", "", label, value(r), unit] for label, unit, value in OVERVIEW]
        for s in p.sections:
            at = label_index(s.columns)
            for row in s.rows:
                label = board.shown(row[at], s.columns[at].kind) if at is not None else ""
                for i, (c, v) in enumerate(zip(s.columns, row, strict=True)):
                    if i != at or len(s.columns) == 1:
                        out.append([*head, s.title, label, c.label, _raw(v, c.kind), c.kind])
    return out


def label_index(columns) -> int | None:
    """The column that names a row (the first text or RAG column: "Green", a deliverable), if any;
    a section of figures only (reach: one row per programme) has none."""
    return next((i for i, c in enumerate(columns) if c.kind in ("text", "rag")), None)


def _excel(value, kind: str):
    """A percentage is a fraction in a spreadsheet (61 -> 0.61 shown "61.0%")."""
    if kind == "percent" and isinstance(value, Decimal | int | float):
        return Decimal(value) / 100
    return _raw(value, kind)


def sheets(report: board.BoardReport) -> list[Sheet]:
    overview = Sheet(
        "Overview",
        ["Programme code", "Programme", "As at", *(label for label, _, _ in OVERVIEW)],
        [[p.row.reference, p.row.programme.name, report.as_at, *(v(p.row) for _, _, v in OVERVIEW)]
         for p in report.programmes],
        {2: FORMATS["date"], **{i + 3: FORMATS[u] for i, (_, u, _) in enumerate(OVERVIEW) if u in FORMATS}},
    )  # fmt: skip
    by_key: dict[str, list[tuple[board.ProgrammeReport, BoardSection]]] = {}
    for p in report.programmes:
        for s in p.sections:
            by_key.setdefault(s.key, []).append((p, s))
    out, titles = [overview], {"overview"}
    for key, found in by_key.items():
        first = found[0][1]
        title = _title(first.title, titles)
        columns = first.columns
        rows = []
        for p, s in found:
            if [c.key for c in s.columns] != [c.key for c in columns]:
                raise ValueError(f"Sections {key!r} of two programmes have different columns")
            rows += [[p.row.reference, p.row.programme.name, *(_excel(v, c.kind) for v, c in zip(r, columns, strict=True))]
                     for r in s.rows]  # fmt: skip
        formats = {i + 2: FORMATS[c.kind] for i, c in enumerate(columns) if c.kind in FORMATS}
        chart = _chart(first, columns) if any(s.chart for _, s in found) else None
        out.append(Sheet(title, ["Programme code", "Programme", *(c.label for c in columns)], rows, formats, chart))
    return out


def _title(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique."""
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Section"
    base, n = name, 2
    while name.lower() in taken:
        name = f"{base[:27]} ({n})"
        n += 1
    taken.add(name.lower())
    return name


def _chart(section: BoardSection, columns) -> SheetChart | None:
    """Bars of the first numeric column and those of the same kind right after it, labelled by
    programme and row (spreadsheet columns 2 and 3)."""
    kinds = [c.kind for c in columns]
    first = next((i for i, k in enumerate(kinds) if k in board.NUMERIC_KINDS), None)
    if first is None:
        return None
    last = first
    while last + 1 < len(kinds) and kinds[last + 1] == kinds[first]:
        last += 1
    label_cols = (2, 3) if label_index(columns) == 0 else (2, 2)
    title = section.chart.title if section.chart else section.title
    return SheetChart(title, label_cols, (first + 3, last + 3))
