"""The downloadable template: a "Read me" sheet with the rules of every column, and one sheet per
sheet of the format with its headings and an example row."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

READ_ME = [
    ("How to fill this in", ""),
    ("Sheets", "Awards is required; Payments, Returns and Returned funds are optional. A CSV file holds only Awards."),
    ("Headings", "Row 1 holds the headings. Case, spaces, underscores and hyphens do not matter."),
    (
        "People's columns",
        "Source and Notes are for people: the import keeps nothing from them. Any other column not listed here is an error.",
    ),
    (
        "Importing again",
        "The reference is the key: the same reference again updates that award, or changes nothing if nothing differs.",
    ),
    ("Awards: reference", "Required. The funder's own reference, unique, for example CS1-000017"),
    (
        "Awards: programme, round",
        "Required. The programme's slug or name, and the round's slug or name within it (the round must exist)",
    ),
    (
        "Awards: lead",
        "Required. The lead council: three-letter code, GSS code (current or former), or name. A former name is a warning to confirm",
    ),
    ("Awards: partners", "Optional. Partner councils separated by semicolons, each like the lead"),
    ("Awards: title, amount", "Required. Amounts in pounds, up to 2 decimal places: £1,234.50, 1234.5 or a number"),
    ("Awards: match funding", "Optional. Pounds, 0 if empty"),
    ("Awards: award date", "Required. An Excel date, 2019-04-01 or 01/04/2019 (day first)"),
    ("Awards: status", "Optional. Active (the default), completed, withdrawn or terminated"),
    ("Awards: planned start, planned end, scope", "Optional. Dates, and what the project does"),
    (
        "Payments",
        "Award reference, tranche (1 up), amount, due on, paid on (paid when set), payment reference. Key: award reference and tranche",
    ),
    (
        "Returns",
        "Award reference, period (its title), period start, period end, due on (default: 30 days after the end), sent on, RAG, commentary, and 'output: <kind>' columns. Imported returns are approved history. Key: award reference and period",
    ),
    ("Returned funds", "Award reference, amount, returned on, reason. Key: award reference, date and amount"),
]

EXAMPLES = {
    "Awards": (
        ["Reference", "Programme", "Round", "Lead", "Partners", "Title", "Amount", "Match funding", "Award date",
         "Status", "Planned start", "Planned end", "Scope", "Source", "Notes"],
        ["CS1-000017", "local-digital", "Round 1", "SHE", "KEN; MDW", "Digital housing repairs", "£45,000.00", "0",
         "2019-04-01", "completed", "2019-05-01", "2020-03-31", "Online repair reporting", "report", ""],
    ),
    "Payments": (
        ["Award reference", "Tranche", "Amount", "Due on", "Paid on", "Payment reference"],
        ["CS1-000017", 1, "45000", "2019-05-01", "2019-05-03", "BACS-0001"],
    ),
    "Returns": (
        ["Award reference", "Period", "Period start", "Period end", "Due on", "Sent on", "RAG", "Commentary", "Output: homes"],
        ["CS1-000017", "2019/20 Q1", "2019-04-01", "2019-06-30", "", "2019-07-20", "Green", "On track", "12"],
    ),
    "Returned funds": (
        ["Award reference", "Amount", "Returned on", "Reason"],
        ["CS1-000017", "1000", "2020-06-01", "Underspend"],
    ),
}  # fmt: skip


def template_bytes() -> bytes:
    book = Workbook()
    readme = book.active
    readme.title = "Read me"
    for row in READ_ME:
        readme.append(list(row))
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 40
    readme.column_dimensions["B"].width = 120
    for title, (headings, example) in EXAMPLES.items():
        ws = book.create_sheet(title)
        ws.append(headings)
        ws.append(example)
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
