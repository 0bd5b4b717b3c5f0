"""Every English council, current and former, from mySociety's register copied into grants/data.

The register's `alt-names` column is a comma-joined list whose names may hold commas of their
own ("Bristol, City of"; "Newcastle Upon Tyne, North Tyneside and Northumberland Combined
Authority"), so a plain split leaves fragments that are not names: "City of" on its own, or a
combined authority answering to the name of one of its member councils. `alias_names` puts such
names back together and drops what is left over. The loader keeps councils' other names exactly as
the register gives them, removing fragments an earlier version stored, so loading again (the data
migrations, `load_councils`, `seed_demo`) always ends in the same place.
"""

import csv
from datetime import date
from pathlib import Path

from django.db import transaction

from .models import Organisation, OrganisationAlias
from .models.organisations import REGISTER_TYPE_TO_KIND

DATA_DIR = Path(__file__).resolve().parent / "data"
GROUPINGS = {"COMB", "SRA"}  # combined and strategic authorities: groups of councils
DANGLING = ("city of", "county of", "city and county of")
SHORTEST_NAME = 4


def _parse_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def is_real_name(name: str) -> bool:
    """A fragment worth searching by: not a stub of a longer name."""
    lowered = name.strip().lower()
    return len(lowered) >= SHORTEST_NAME and lowered not in DANGLING


def alias_names(raw: str, *, grouping: bool = False, council_names: frozenset[str] = frozenset()) -> set[str]:
    """The real names in one register `alt-names` cell.

    "X, City of" is one name, the inverted form of "City of X". For a grouping of councils, a
    fragment that is a member council's name starts a longer name ("Newcastle Upon Tyne, North
    Tyneside and ..."), so it joins the fragment after it and never stands alone.
    """
    names: list[str] = []
    pending = ""
    for fragment in (part.strip() for part in raw.split(",")):
        if not fragment:
            continue
        lowered = fragment.lower()
        if lowered in DANGLING and names and not pending:
            names[-1] = f"{names[-1]}, {fragment}"
            continue
        if pending:
            fragment, pending = f"{pending}, {fragment}", ""
        elif grouping and lowered in council_names:
            pending = fragment
            continue
        names.append(fragment)
    return {n for n in names if is_real_name(n) and not (grouping and n.lower() in council_names)}


@transaction.atomic
def councils_load(
    *, data_dir: Path = DATA_DIR, org_model=Organisation, alias_model=OrganisationAlias
) -> dict[str, int]:
    """Load or refresh every English council and its other names. Safe to run again.

    The data migrations pass their historical models, so later schema changes cannot break them.
    """
    created = updated = 0
    with open(data_dir / "english_councils.csv", newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["local-authority-type"] in REGISTER_TYPE_TO_KIND]
    council_names = frozenset(
        name.lower()
        for row in rows
        if row["local-authority-type"] not in GROUPINGS
        for name in (row["nice-name"], row["official-name"])
    )
    by_code: dict[str, Organisation] = {}
    names_for: dict[str, set[str]] = {}
    for row in rows:
        org, was_created = org_model.objects.update_or_create(
            code=row["local-authority-code"],
            defaults={
                "name": row["official-name"],
                "short_name": row["nice-name"],
                "gss_code": row["gss-code"],
                "kind": REGISTER_TYPE_TO_KIND[row["local-authority-type"]],
                "region": row["region"],
                "nation": "England",
                "start_date": _parse_date(row["start-date"]),
                "end_date": _parse_date(row["end-date"]),
                "replaced_by": row["replaced-by"],
                "former_gss_codes": row["former-gss-codes"],
            },
        )
        by_code[org.code] = org
        created += was_created
        updated += not was_created
        grouping = row["local-authority-type"] in GROUPINGS
        names_for[org.code] = alias_names(row["alt-names"], grouping=grouping, council_names=council_names)
    with open(data_dir / "english_council_names.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["la-name"].strip()
            if row["local-authority-code"] in names_for and is_real_name(name):
                names_for[row["local-authority-code"]].add(name)
    # The register owns councils' other names (staff edit other bodies only): anything it no
    # longer gives, such as fragments an earlier loader stored, goes.
    wanted = {code: {n.lower() for n in names} for code, names in names_for.items()}
    stale = [
        pk
        for pk, code, name in alias_model.objects.filter(organisation__code__in=list(by_code)).values_list(
            "pk", "organisation__code", "name"
        )
        if name.lower() not in wanted[code]
    ]
    alias_model.objects.filter(pk__in=stale).delete()
    for code, names in names_for.items():
        _aliases_add(by_code[code], names, alias_model)
    return {"created": created, "updated": updated, "aliases_removed": len(stale)}


def _aliases_add(org: Organisation, names: set[str], alias_model=OrganisationAlias) -> None:
    known = {a.lower() for a in alias_model.objects.filter(organisation=org).values_list("name", flat=True)}
    known |= {org.name.lower(), org.short_name.lower()}
    rows, seen = [], set()
    for name in sorted(names, key=lambda n: (n.lower(), n)):
        if name.lower() in known or name.lower() in seen:
            continue
        seen.add(name.lower())
        rows.append(alias_model(organisation=org, name=name[:200]))
    alias_model.objects.bulk_create(rows, ignore_conflicts=True)
