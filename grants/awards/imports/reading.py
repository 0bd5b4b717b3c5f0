"""Reading a history file (the format: FORMAT.md beside this module; the template's "Read me" sheet)
into plain rows: sheets found by name, headings matched loosely, every cell a Python value.
A file that cannot be read at all raises ImportFileError with a message a person can act on."""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from grants.core.uploads import check_upload, size_label
from grants.core.words import counted

MAX_BYTES = 20 * 1024 * 1024  # a decade of awards, payments and returns is a few megabytes
MAX_ROWS = 100_000
PEOPLE_ONLY = ("source", "notes")  # for people: read, never kept

# Sheet name -> (required columns, optional columns). Keys are headings as `heading_key` makes them.
SHEETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "awards": (
        ("reference", "programme", "round", "lead", "title", "amount", "awarddate"),
        ("partners", "matchfunding", "status", "plannedstart", "plannedend", "scope"),
    ),
    "payments": (("awardreference", "tranche", "amount"), ("dueon", "paidon", "paymentreference")),
    "returns": (
        ("awardreference", "period", "periodstart", "periodend"),
        ("dueon", "senton", "rag", "commentary"),
    ),
    "returnedfunds": (("awardreference", "amount", "returnedon", "reason"), ()),
}
SHEET_TITLES = {"awards": "Awards", "payments": "Payments", "returns": "Returns", "returnedfunds": "Returned funds"}
OUTPUT_PREFIX = "output:"


class ImportFileError(Exception):
    """The file as a whole cannot be read: the message says why, in words a person can act on."""


@dataclass
class Sheet:
    title: str  # as the format names it: "Awards"
    headings: dict[str, str]  # key -> the heading as the file wrote it
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)  # (spreadsheet row number, key -> value)


def heading_key(text: object) -> str:
    """Headings match case-insensitively, ignoring spaces, underscores and hyphens."""
    return re.sub(r"[\s_\-]+", "", str(text or "")).lower()


def read_file(fileobj, *, filename: str) -> dict[str, Sheet]:
    """The sheets of an .xlsx or .csv history file, by format key ("awards", ...)."""
    data = fileobj.read() if hasattr(fileobj, "read") else Path(fileobj).read_bytes()
    if not data:
        raise ImportFileError("The selected file is empty")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"The selected file must be smaller than {size_label(MAX_BYTES)}")
    name = filename.lower()
    if name.endswith(".csv"):
        return {"awards": _sheet("awards", _csv_rows(data))}
    if not name.endswith(".xlsx"):
        raise ImportFileError("The selected file must be an Excel workbook (.xlsx) or a CSV file (.csv)")
    return _xlsx_sheets(data, filename)


def _csv_rows(data: bytes):
    if b"\0" in data[:8192]:
        raise ImportFileError("The selected file is not a CSV file: save the Awards sheet as CSV (UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportFileError("The selected CSV file cannot be read: save it as CSV (UTF-8)") from exc
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ImportFileError(f"The selected CSV file cannot be read: {exc}") from exc


class _Upload(io.BytesIO):
    """What check_upload needs of an upload: a name, a size and a file."""

    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name, self.size = name, len(data)


def _xlsx_sheets(data: bytes, filename: str) -> dict[str, Sheet]:
    from openpyxl import load_workbook

    upload = _Upload(data, filename if filename.lower().endswith(".xlsx") else "history.xlsx")
    try:
        check_upload(upload)  # the project's check: really a workbook, no macros, no zip bomb
    except ValidationError as exc:
        if "smaller than" in " ".join(exc.messages):
            raise ImportFileError(f"The selected file must be smaller than {size_label(MAX_BYTES)}") from exc
        # The upload check's list of every type it accepts elsewhere (PDF, DOCX...) would contradict
        # this page; keep only the reasons about this file (macros, a zip bomb).
        reasons = [m for m in exc.messages if "must be a" not in m]
        raise ImportFileError(
            " ".join(["The selected file is not an Excel workbook that can be imported.", *reasons])
        ) from exc
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFileError("The selected file is not an Excel workbook that can be read") from exc
    try:
        found = {}
        for ws in book.worksheets:
            key = heading_key(ws.title)
            if key in SHEETS and key not in found:
                found[key] = _sheet(key, ws.iter_rows(values_only=True))
        if "awards" not in found:
            raise ImportFileError("The workbook has no sheet called 'Awards'")
        return found
    finally:
        book.close()


def _sheet(key: str, rows) -> Sheet:
    title = SHEET_TITLES[key]
    required, optional = SHEETS[key]
    iterator = iter(rows)
    header = next(iterator, None) or ()
    headings: dict[str, str] = {}
    columns: list[str | None] = []
    for cell in header:
        k = heading_key(cell)
        if not k:
            columns.append(None)
            continue
        if k in PEOPLE_ONLY:
            columns.append(None)
            continue
        if k.startswith(OUTPUT_PREFIX) and key == "returns":
            k = OUTPUT_PREFIX + re.sub(r"[\s\-]+", "_", str(cell).split(":", 1)[1].strip().lower())
        elif k not in required and k not in optional:
            raise ImportFileError(f"The '{title}' sheet has a column '{cell}' that is not in the format")
        if k in headings:
            raise ImportFileError(f"The '{title}' sheet has the column '{cell}' twice")
        headings[k] = str(cell).strip()
        columns.append(k)
    missing = [c for c in required if c not in headings]
    if missing:
        names = ", ".join(f"'{column_title(c)}'" for c in missing)
        raise ImportFileError(f"The '{title}' sheet has no {names} column" + ("s" if len(missing) > 1 else ""))
    sheet = Sheet(title=title, headings=headings)
    for number, values in enumerate(iterator, start=2):
        if number > MAX_ROWS + 1:
            raise ImportFileError(f"The '{title}' sheet has more than {counted(MAX_ROWS, 'row')}: split the file")
        row = {c: v for c, v in zip(columns, values, strict=False) if c and v not in (None, "")}
        row = {c: v.strip() if isinstance(v, str) else v for c, v in row.items()}
        if any(v not in (None, "") for v in row.values()):
            sheet.rows.append((number, row))
    return sheet


TITLES = {
    "awarddate": "award date",
    "matchfunding": "match funding",
    "plannedstart": "planned start",
    "plannedend": "planned end",
    "awardreference": "award reference",
    "dueon": "due on",
    "paidon": "paid on",
    "paymentreference": "payment reference",
    "periodstart": "period start",
    "periodend": "period end",
    "senton": "sent on",
    "returnedon": "returned on",
}


def column_title(key: str) -> str:
    """A column as the format names it, for messages."""
    if key.startswith(OUTPUT_PREFIX):
        return f"output: {key[len(OUTPUT_PREFIX) :]}"
    return TITLES.get(key, key)
