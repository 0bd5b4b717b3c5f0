"""Rows to what the services take: programmes, rounds and councils found, cells read. Every
problem goes on the row, naming its column; nothing here writes."""

from django.db.models import Q

from grants.awards.models import Award
from grants.models import Programme, Round
from grants.permissions import can_manage_programme
from grants.selectors import council_find

from . import cells
from .reading import OUTPUT_PREFIX, column_title
from .result import RowResult


class Finder:
    """Look-ups cached for one file: a workbook names the same programme and councils many times."""

    def __init__(self, actor):
        self.actor = actor
        self.programmes: dict[str, Programme | None] = {}
        self.rounds: dict[tuple[int, str], Round | None] = {}
        self.councils: dict[str, object] = {}
        self.may: dict[int, bool] = {}

    def programme(self, text: str) -> Programme | None:
        key = text.lower()
        if key not in self.programmes:
            self.programmes[key] = Programme.objects.filter(Q(slug__iexact=text) | Q(name__iexact=text)).first()
        return self.programmes[key]

    def round(self, programme: Programme, text: str) -> Round | None:
        key = (programme.pk, text.lower())
        if key not in self.rounds:
            rounds = Round.objects.filter(programme=programme).select_related("programme")
            self.rounds[key] = rounds.filter(Q(slug__iexact=text) | Q(name__iexact=text)).first()
        return self.rounds[key]

    def council(self, text: str):
        key = text.strip().lower()
        if key not in self.councils:
            self.councils[key] = council_find(text)
        return self.councils[key]

    def may_manage(self, programme: Programme) -> bool:
        if self.actor is None:
            return True
        if programme.pk not in self.may:
            self.may[programme.pk] = can_manage_programme(self.actor, programme)
        return self.may[programme.pk]


def read(result: RowResult, row: dict, column: str, convert, *, required: bool = False, default=None):
    """One cell through `convert`; a problem goes on the row against that column."""
    value = row.get(column)
    if value in (None, ""):
        if required:
            result.error(column_title(column), f"enter the {column_title(column)}")
        return default
    try:
        return convert(value)
    except cells.CellError as exc:
        result.error(column_title(column), str(exc))
        return default


def award_row(result: RowResult, row: dict, finder: Finder) -> dict | None:
    """An Awards row as award_create_historic's arguments, or None when it has errors."""
    reference = read(result, row, "reference", lambda v: cells.text(v, limit=30), required=True)
    result.reference = reference or ""
    data = {
        "reference": reference,
        "title": read(result, row, "title", lambda v: cells.text(v, limit=200), required=True),
        "amount": read(result, row, "amount", cells.money, required=True),
        "match_funding": read(result, row, "matchfunding", cells.money),
        "award_date": read(result, row, "awarddate", cells.day, required=True),
        "status": read(result, row, "status", cells.status, default="active"),
        "planned_start": read(result, row, "plannedstart", cells.day),
        "planned_end": read(result, row, "plannedend", cells.day),
        "scope": read(result, row, "scope", cells.text, default=""),
    }
    programme_text = read(result, row, "programme", cells.text, required=True)
    programme = finder.programme(programme_text) if programme_text else None
    if programme_text and programme is None:
        result.error("programme", f"no programme is called '{programme_text}'")
    elif programme is not None and not finder.may_manage(programme):
        result.error("programme", f"you do not manage {programme.name}, so you cannot import its awards")
        programme = None
    round_text = read(result, row, "round", cells.text, required=True)
    if programme is not None and round_text:
        data["round"] = finder.round(programme, round_text)
        if data["round"] is None:
            result.error("round", f"{programme.name} has no round called '{round_text}'")
    lead_text = read(result, row, "lead", cells.text, required=True)
    if lead_text:
        data["lead"] = _council(result, "lead", lead_text, finder)
    partners = []
    for term in [t for t in str(row.get("partners") or "").split(";") if t.strip()]:
        partners.append(_council(result, "partners", term.strip(), finder))
    data["partners"] = partners
    if data["planned_start"] and data["planned_end"] and data["planned_end"] < data["planned_start"]:
        result.error("planned end", "the planned end is before the planned start")
    return None if result.errors else data


def _council(result: RowResult, column: str, text: str, finder: Finder):
    match = finder.council(text)
    if match.error:
        result.error(column, match.error)
    elif match.warning:
        result.warn(match.warning)
    return match.org


def award_for(result: RowResult, row: dict, finder: Finder, known: dict[str, Award]) -> Award | None:
    """The award a Payments, Returns or Returned funds row is about: in this file or saved before."""
    reference = read(result, row, "awardreference", cells.text, required=True)
    if not reference:
        return None
    result.reference = reference
    award = known.get(reference.lower())
    if award is None:
        award = Award.objects.filter(reference__iexact=reference).select_related("round__programme").first()
        if award is None:
            result.error("award reference", f"no award has the reference '{reference}' (in this file or saved before)")
            return None
        known[reference.lower()] = award
    if not finder.may_manage(award.round.programme):
        result.error("award reference", f"you do not manage {award.round.programme.name}")
        return None
    return award


def payment_row(result: RowResult, row: dict) -> dict:
    return {
        "number": read(result, row, "tranche", cells.whole, required=True),
        "amount": read(result, row, "amount", cells.money, required=True),
        "due_on": read(result, row, "dueon", cells.day),
        "paid_on": read(result, row, "paidon", cells.day),
        "payment_reference": read(result, row, "paymentreference", lambda v: cells.text(v, limit=60), default=""),
    }


def return_row(result: RowResult, row: dict) -> dict:
    values = {}
    for column in [c for c in row if c.startswith(OUTPUT_PREFIX)]:
        value = read(result, row, column, cells.money)
        if value is not None:
            values[column[len(OUTPUT_PREFIX) :]] = value
    return {
        "period": read(result, row, "period", lambda v: cells.text(v, limit=100), required=True),
        "period_start": read(result, row, "periodstart", cells.day, required=True),
        "period_end": read(result, row, "periodend", cells.day, required=True),
        "due_on": read(result, row, "dueon", cells.day),
        "sent_on": read(result, row, "senton", cells.day),
        "rag": read(result, row, "rag", cells.rag, default=""),
        "commentary": read(result, row, "commentary", cells.text, default=""),
        "values": values,
    }


def fund_return_row(result: RowResult, row: dict) -> dict:
    return {
        "amount": read(result, row, "amount", cells.money, required=True),
        "returned_on": read(result, row, "returnedon", cells.day, required=True),
        "reason": read(result, row, "reason", cells.text, required=True),
    }
