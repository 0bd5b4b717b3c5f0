"""Shared by the import tests: a history workbook made with openpyxl, in the shared format."""

import io

from openpyxl import Workbook

from grants.models import Organisation

AWARD_HEADINGS = [
    "Reference",
    "Programme",
    "Round",
    "Lead",
    "Partners",
    "Title",
    "Amount",
    "Award date",
    "Status",
    "Source",
]


def award_row(personas, reference="CS1-000001", lead="KEX", amount="£20,000", **extra) -> list:
    row = {
        "Reference": reference, "Programme": personas.programme.slug, "Round": personas.round.name, "Lead": lead,
        "Partners": "", "Title": f"Project {reference}", "Amount": amount, "Award date": "2019-04-01",
        "Status": "active", "Source": "report",
    }  # fmt: skip
    row.update(extra)
    return [row[h] for h in AWARD_HEADINGS]


def workbook(sheets: dict[str, list[list]]) -> io.BytesIO:
    """sheets: title -> rows (the first is the headings)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def awards_book(personas, *rows) -> io.BytesIO:
    return workbook({"Awards": [AWARD_HEADINGS, *rows]})


def shepway():
    """Folkestone and Hythe as the register (loaded by the data migrations) stores it: code SHE,
    its former name Shepway an alias."""
    return Organisation.objects.get(code="SHE")
