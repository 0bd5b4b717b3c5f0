"""Downloads of staff tables: rows -> streaming CSV, rows -> XLSX (openpyxl write-only), and the
registry of tables so a page, its download and a background export all read the same rows with
the same filters.

A table function takes (user, params) where params are the page's GET filters, and returns a
`Table` whose rows are an iterator: CSV streams straight to the response; XLSX goes through a
temporary file (write-only mode keeps memory flat) because a zip cannot be streamed row by row.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


@dataclass
class Table:
    title: str
    header: list[str]
    rows: Iterable[list]
    total: int | None = None  # for progress; None when cheap to skip
    sheets: list["Sheet"] | None = None  # XLSX only: these sheets in place of header and rows


@dataclass
class SheetChart:
    """A native bar chart on its sheet, drawn from the sheet's own cells (1-based columns)."""

    title: str
    categories: tuple[int, int]  # first and last column of the labels (two columns: two levels)
    values: tuple[int, int]  # first and last column of the series, each headed by its name


@dataclass
class Sheet:
    """One sheet of a workbook of several (a small report, not a streamed table)."""

    title: str
    header: list[str]
    rows: list[list]
    formats: dict[int, str] = field(default_factory=dict)  # 0-based column -> Excel number format
    chart: SheetChart | None = None


# A spreadsheet treats a cell starting with one of these as a formula (=HYPERLINK(...) in a bid
# title would run when a member of staff opens the download), so text is given a leading
# apostrophe, as OWASP advises for CSV injection. Numbers and dates are never text here, so a
# negative amount keeps its minus sign.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_text(value: str) -> str:
    """Text that no spreadsheet will run: the one rule for every CSV and XLSX text cell."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return timezone.localtime(v).isoformat(timespec="seconds") if timezone.is_aware(v) else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal | int | float):
        return str(v)
    return safe_text(str(v))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([_text(h) for h in header])
    for row in rows:
        yield writer.writerow([_text(v) for v in row])


STREAM_CHUNK = 64 * 1024  # characters per piece of a streamed CSV


def chunked(lines: Iterable[str], size: int = STREAM_CHUNK) -> Iterator[str]:
    """Lines gathered into pieces of about `size` characters: one write per row would make a
    100,000-row download 100,000 tiny writes to the socket."""
    buffer: list[str] = []
    length = 0
    for line in lines:
        buffer.append(line)
        length += len(line)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Streams: the first rows go out while later ones are still being read, in flat memory."""
    response = StreamingHttpResponse(chunked(csv_lines(header, rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _cell(v):
    if isinstance(v, datetime) and timezone.is_aware(v):
        return timezone.localtime(v).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(v, Decimal | int | float | date):
        return v
    return _text(v)


def _append_rows(append, rows: Iterable[list], cell, progress) -> int:
    """Write the rows one by one, telling `progress` every 500 so a long background export shows
    it is moving; the count, for the caller's last report once the file is complete."""
    n = 0
    for n, row in enumerate(rows, start=1):
        append([cell(v) for v in row])
        if progress and n % 500 == 0:
            progress(n)
    return n


def write_xlsx(fileobj, title: str, header: list[str], rows: Iterable[list], progress=None, sheets=None) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    if sheets:
        n = _write_sheets(wb, sheets)
        wb.save(fileobj)
        if progress:
            progress(n)
        return n
    ws = wb.create_sheet(title=title[:31] or "Export")
    ws.append([_text(h) for h in header])
    n = _append_rows(ws.append, rows, _cell, progress)
    wb.save(fileobj)
    if progress:
        progress(n)
    return n


def _write_sheets(wb, sheets: list[Sheet]) -> int:
    from openpyxl.cell import WriteOnlyCell

    n = 0
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title[:31] or "Sheet")
        ws.append([_text(h) for h in sheet.header])
        for row in sheet.rows:
            cells = []
            for i, v in enumerate(row):
                cell = WriteOnlyCell(ws, value=_cell(v))
                if i in sheet.formats and isinstance(v, Decimal | int | float):
                    cell.number_format = sheet.formats[i]
                cells.append(cell)
            ws.append(cells)
            n += 1
        if sheet.chart and sheet.rows:
            ws.add_chart(_bar_chart(ws, sheet.chart, len(sheet.rows)), f"{_column_letter(len(sheet.header) + 2)}2")
    return n


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def _bar_chart(ws, spec: SheetChart, rows: int):
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type, chart.title = "bar", spec.title
    chart.height, chart.width = max(7.5, 0.6 * rows + 3), 18
    data = Reference(ws, min_col=spec.values[0], max_col=spec.values[1], min_row=1, max_row=rows + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(
        Reference(ws, min_col=spec.categories[0], max_col=spec.categories[1], min_row=2, max_row=rows + 1)
    )
    return chart


def write_csv(textfile, header: list[str], rows: Iterable[list], progress=None) -> int:
    writer = csv.writer(textfile)
    writer.writerow([_text(h) for h in header])
    n = _append_rows(writer.writerow, rows, _text, progress)
    if progress:
        progress(n)
    return n


def xlsx_response(filename: str, table: Table) -> FileResponse:
    """A zip cannot be written row by row to the socket, so the workbook goes to a temporary
    file first (write-only mode: flat memory) and is then streamed from it in blocks."""
    tmp = tempfile.TemporaryFile()
    write_xlsx(tmp, table.title, table.header, table.rows, sheets=table.sheets)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)


def response(name: str, fmt: str, table: Table) -> StreamingHttpResponse | FileResponse:
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        return xlsx_response(filename, table)
    return csv_response(filename, table.header, table.rows)


# The registry -------------------------------------------------------------------------------

TABLES: dict[str, Callable[..., Table]] = {}


def table(name: str):
    def register(func):
        TABLES[name] = func
        return func

    return register


def build(name: str, user, params) -> Table:
    """The named table for this user and these filters; 404 for an unknown table or filters the
    user may not use (a programme they cannot see)."""
    if name not in TABLES:
        raise Http404
    return TABLES[name](user, params)
