"""Writes for reference data, programmes and rounds. Views, commands and the admin call these."""

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model

from .models import AuditEvent, Organisation, OrganisationAlias, Programme, Round, User
from .models.organisations import REGISTER_TYPE_TO_KIND

DATA_DIR = Path(__file__).resolve().parent / "data"


def audit_record(
    *, actor: User | None, action: str, target: Model, summary: str = "", data: dict | None = None
) -> AuditEvent:
    """Every state change leaves one row, so 'who changed what, when' is always answerable."""
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:500],
        data=data or {},
    )


def _parse_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def councils_load(
    *, data_dir: Path = DATA_DIR, org_model=Organisation, alias_model=OrganisationAlias
) -> dict[str, int]:
    """Load or refresh every English council and its other names. Safe to run again.

    The data migration passes its historical models, so later schema changes cannot break it.
    """
    created = updated = 0
    by_code: dict[str, Organisation] = {}
    with open(data_dir / "english_councils.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            kind = REGISTER_TYPE_TO_KIND.get(row["local-authority-type"])
            if kind is None:
                continue
            org, was_created = org_model.objects.update_or_create(
                code=row["local-authority-code"],
                defaults={
                    "name": row["official-name"],
                    "short_name": row["nice-name"],
                    "gss_code": row["gss-code"],
                    "kind": kind,
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
            names = {n.strip() for n in row["alt-names"].split(",") if n.strip()}
            _aliases_add(org, names, alias_model)
    with open(data_dir / "english_council_names.csv", newline="", encoding="utf-8") as handle:
        extra: dict[str, set[str]] = {}
        for row in csv.DictReader(handle):
            extra.setdefault(row["local-authority-code"], set()).add(row["la-name"].strip())
    for code, names in extra.items():
        if code in by_code:
            _aliases_add(by_code[code], names, alias_model)
    return {"created": created, "updated": updated}


def _aliases_add(org: Organisation, names: set[str], alias_model=OrganisationAlias) -> None:
    known = {a.lower() for a in alias_model.objects.filter(organisation=org).values_list("name", flat=True)}
    known |= {org.name.lower(), org.short_name.lower()}
    new = sorted({n for n in names if n.lower() not in known}, key=str.lower)
    seen: set[str] = set()
    rows = []
    for name in new:
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        rows.append(alias_model(organisation=org, name=name[:200]))
    alias_model.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def organisation_create(*, actor: User, **fields: Any) -> Organisation:
    org = Organisation(**fields)
    org.full_clean()
    org.save()
    audit_record(actor=actor, action="organisation.create", target=org, summary=f"Added {org.name}")
    return org


def _changed(instance: Model, fields: dict[str, Any]) -> dict[str, list[str]]:
    changes = {}
    for name, value in fields.items():
        old = getattr(instance, name)
        if old != value:
            changes[name] = [str(old), str(value)]
    return changes


def _save_audited(*, actor: User, instance: Model, noun: str, fields: dict[str, Any], m2m: dict[str, Any]) -> Model:
    """Validate, save and audit one create-or-change, recording each field's old and new value."""
    creating = instance.pk is None
    changes = {} if creating else _changed(instance, fields)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, values in m2m.items():
        if values is not None:
            getattr(instance, name).set(values)
    audit_record(
        actor=actor,
        action=f"{noun}.{'create' if creating else 'update'}",
        target=instance,
        summary=f"{'Created' if creating else 'Changed'} {noun} {instance}",
        data={"changes": changes},
    )
    return instance


@transaction.atomic
def programme_save(*, actor: User, programme: Programme | None = None, partner_bodies=None, **fields: Any) -> Programme:
    return _save_audited(
        actor=actor,
        instance=programme or Programme(),
        noun="programme",
        fields=fields,
        m2m={"partner_bodies": partner_bodies},
    )


@transaction.atomic
def round_save(*, actor: User, round: Round | None = None, eligible_organisations=None, **fields: Any) -> Round:
    """Create or change a round; model validation (dates, amounts) runs before anything is saved."""
    return _save_audited(
        actor=actor,
        instance=round or Round(),
        noun="round",
        fields=fields,
        m2m={"eligible_organisations": eligible_organisations},
    )
