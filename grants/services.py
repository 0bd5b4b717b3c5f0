"""Writes for reference data, programmes and rounds. Views, commands and the admin call these."""

from typing import Any

from django.db import transaction
from django.db.models import Model

from .councils import councils_load  # noqa: F401  (the data migration and commands import it from here)
from .models import AuditEvent, Organisation, Programme, Round, User


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
