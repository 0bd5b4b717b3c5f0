"""Rows through the same services as a typed award, each refused row (a budget, a duplicate)
leaving the others standing: new awards and their new returns through the services' rules in
bulk (creating.py), every other row through a service, in its savepoint. The caller decides
whether the whole lot is kept: a preview runs exactly this and rolls back, so what it promises is
what saving does."""

from collections.abc import Callable

from django.db import DatabaseError

from grants.awards.models import Award
from grants.awards.services import AwardError, award_create_historic
from grants.awards.services.historic import (
    CREATED,
    UPDATED,
    award_update_historic,
    historic_fund_return_put,
    historic_return_put,
    historic_tranche_put,
)

from . import creating, matching
from .reading import Sheet
from .result import ImportResult, RowResult

# Service field -> the column its refusal is shown against.
COLUMNS = {
    "amount": "amount", "title": "title", "match_funding": "match funding", "status": "status",
    "planned_end": "planned end", "reference": "reference", "paid_on": "paid on", "period_end": "period end",
    "outputs": "output", "reason": "reason", "lead": "lead", "partnership": "lead",
}  # fmt: skip


def refused(result: RowResult, exc: AwardError) -> None:
    """A service's refusal on the row, against the column it is about."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for message in errors:
                result.error(COLUMNS.get(name, name), message[:1].lower() + message[1:])
    else:
        for message in exc.messages:
            result.error(None, message)


def _run(result: RowResult, write: Callable[[], str]) -> None:
    """One row through a service. Every service is atomic (its own savepoint here), so a refused
    row leaves nothing behind without a second savepoint around it."""
    try:
        result.done(write())
    except AwardError as exc:
        refused(result, exc)
    except DatabaseError:
        result.error(None, "this row could not be saved (it clashes with something already saved)")


def apply_all(sheets: dict[str, Sheet], *, actor, result: ImportResult, progress: Callable[[int], None]) -> None:
    """Every row of every sheet, awards first (the other sheets refer to them). New awards and
    their new returns go the bulk path (creating.py: the services' rules, saved many at a time);
    every other row goes through the services one by one, after the rows queued before it are
    saved, so each row sees what it would have seen row by row."""
    finder = matching.Finder(actor)
    known: dict[str, Award] = {}
    new: set[int] = set()  # awards this file creates: their first tranche and returns are new too
    done = 0
    seen: set[str] = set()
    known.update(_saved_awards(sheets["awards"]))
    awards = creating.Awards(
        actor, lambda line, item: _run(line, lambda: _award(item["data"], actor, known, new)), known=known, new=new
    )
    for number, row in sheets["awards"].rows:
        line = RowResult(sheet="Awards", row=number)
        result.rows.append(line)
        data = matching.award_row(line, row, finder)
        if data is not None and data["reference"].lower() in seen:
            line.error("reference", f"'{data['reference']}' is on an earlier row of this file")
        elif data is not None and data["reference"].lower() not in known:
            seen.add(data["reference"].lower())
            if (refusal := awards.check(line, data)) is not None:
                refused(line, refusal)
        elif data is not None:
            seen.add(data["reference"].lower())
            awards.flush()
            _run(line, lambda data=data: _award(data, actor, known, new))
            awards.forget(data["round"].pk)
        done += 1
        progress(done)
    awards.flush()
    returns = creating.Returns(
        actor,
        lambda line, item: _run(line, lambda: _fresh(item["award"], _return(item["award"], item["data"], actor), new)),
    )
    writers = {"payments": _payment, "returns": _return, "returnedfunds": _fund_return}
    readers = {
        "payments": matching.payment_row,
        "returns": matching.return_row,
        "returnedfunds": matching.fund_return_row,
    }
    for key, write in writers.items():
        sheet = sheets.get(key)
        for number, row in sheet.rows if sheet else ():
            line = RowResult(sheet=sheet.title, row=number)
            result.rows.append(line)
            award = matching.award_for(line, row, finder, known)
            data = readers[key](line, row)
            if award is not None and not line.errors:
                if key == "returns" and returns.fresh(award, data, new):
                    if (refusal := returns.check(line, award, data)) is not None:
                        refused(line, refusal)
                else:
                    returns.flush()
                    _run(
                        line, lambda award=award, data=data, write=write: _fresh(award, write(award, data, actor), new)
                    )
            done += 1
            progress(done)
        returns.flush()


def _saved_awards(sheet: Sheet) -> dict[str, Award]:
    """The awards already saved under the file's references, in one query per thousand rows
    rather than one per row."""
    refs = [str(row["reference"]).strip() for _, row in sheet.rows if row.get("reference")]
    found: dict[str, Award] = {}
    for start in range(0, len(refs), 1000):
        chunk = {r.upper() for r in refs[start : start + 1000]} | set(refs[start : start + 1000])
        for award in Award.objects.filter(reference__in=chunk).select_related("round__programme"):
            found[award.reference.lower()] = award
    return found


def _fresh(award: Award, outcome: str, new: set[int]) -> str:
    """Filling in what creating the award scheduled (its first tranche, its due returns) is, to
    the person reading the preview, creating that row."""
    return CREATED if award.pk in new and outcome == UPDATED else outcome


def _award(data: dict, actor, known: dict[str, Award], new: set[int]) -> str:
    existing = known.get(data["reference"].lower())
    if existing is None:
        award = award_create_historic(actor=actor, **data)
        award.round = data["round"]  # the file's round, its programme read once for the file
        known[award.reference.lower()] = award
        new.add(award.pk)
        return CREATED
    known[existing.reference.lower()] = existing
    if not existing.is_historic:
        raise AwardError(
            {"reference": f"{existing.reference} was awarded through the service, so an import cannot change it"}
        )
    if existing.round_id != data["round"].pk:
        raise AwardError(
            {"reference": f"{existing.reference} is an award in {existing.round.name}; an import cannot move it"}
        )
    values = {k: v for k, v in data.items() if k not in ("reference", "round", "partners")}
    return award_update_historic(award=existing, actor=actor, partners=data["partners"], **values)


def _payment(award: Award, data: dict, actor) -> str:
    return historic_tranche_put(award=award, actor=actor, **data)


def _return(award: Award, data: dict, actor) -> str:
    return historic_return_put(award=award, actor=actor, **data)


def _fund_return(award: Award, data: dict, actor) -> str:
    return historic_fund_return_put(award=award, actor=actor, **data)


def count_rows(sheets: dict[str, Sheet]) -> int:
    return sum(len(s.rows) for s in sheets.values())
