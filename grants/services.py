"""Writes for reference data, programmes and rounds. Views, commands and the admin call these."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from grants.core.audit import audit_record
from grants.core.money import pounds

from .councils import councils_load  # noqa: F401  (the data migration and commands import it from here)
from .models import Organisation, OrganisationAlias, Programme, Round, StaffRole, User
from .models.organisations import COUNCIL_KINDS
from .permissions import is_administrator
from .selectors import round_committed_total


def _duplicate_body_name(name: str, exclude_pk: int | None = None) -> bool:
    others = Organisation.objects.exclude(kind__in=COUNCIL_KINDS).filter(name__iexact=name.strip())
    return others.exclude(pk=exclude_pk).exists() if exclude_pk else others.exists()


def _aliases_set(org: Organisation, aliases: list[str]) -> None:
    wanted = {a.strip().lower(): a.strip()[:200] for a in aliases if a.strip()}
    wanted.pop(org.name.lower(), None)
    org.aliases.exclude(name__in=list(wanted.values())).delete()
    have = {a.lower() for a in org.aliases.values_list("name", flat=True)}
    OrganisationAlias.objects.bulk_create(
        [OrganisationAlias(organisation=org, name=n) for key, n in sorted(wanted.items()) if key not in have]
    )


@transaction.atomic
def organisation_create(*, actor: User, aliases: list[str] | None = None, **fields: Any) -> Organisation:
    """Add a public body that is not a council (councils come from the register)."""
    org = Organisation(**fields)
    if org.is_council:
        raise ValidationError({"kind": "Councils come from the register: choose another type of organisation"})
    if _duplicate_body_name(org.name):
        raise ValidationError({"name": "An organisation with this name already exists"})
    org.full_clean()
    org.save()
    _aliases_set(org, aliases or [])
    audit_record(actor=actor, action="organisation.create", target=org, summary=f"Added {org.name}")
    return org


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, aliases: list[str] | None = None, **fields: Any
) -> Organisation:
    """Change a public body other than a council; councils change only with the register."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if org.is_council:
        raise ValidationError("Councils come from the register and cannot be changed here")
    if "name" in fields and _duplicate_body_name(fields["name"], exclude_pk=org.pk):
        raise ValidationError({"name": "An organisation with this name already exists"})
    changes = _changed(org, fields)
    for name, value in fields.items():
        setattr(org, name, value)
    if not org.org_id_360 and (cofunded := list(org.programmes_cofunded.order_by("name")[:1])):
        raise ValidationError(
            {
                "other_identifier": f"Enter the identifier: {org.short_name} co-funds {cofunded[0].name}, "
                "and open data names every funder by its identifier"
            }
        )
    if org.is_council:
        raise ValidationError({"kind": "Councils come from the register: choose another type of organisation"})
    org.full_clean()
    org.save()
    if aliases is not None:
        before = sorted(org.aliases.values_list("name", flat=True), key=str.lower)
        _aliases_set(org, aliases)
        after = sorted(org.aliases.values_list("name", flat=True), key=str.lower)
        if before != after:
            changes["aliases"] = [before, after]
    audit_record(
        actor=actor,
        action="organisation.update",
        target=org,
        summary=f"Changed organisation {org.name}",
        data={"changes": changes},
    )
    return org


def _changed(instance: Model, fields: dict[str, Any]) -> dict[str, list]:
    changes = {}
    for name, value in fields.items():
        old = getattr(instance, name)
        if old != value:
            changes[name] = [str(old), str(value)]
    return changes


def _labels(orgs) -> list[str]:
    """Organisations as the codes people know them by, for before/after lists in the audit."""
    return sorted(o.code or o.short_name for o in orgs)


def _save_audited(*, actor: User, instance: Model, noun: str, fields: dict[str, Any], m2m: dict[str, Any]) -> Model:
    """Validate, save and audit one create-or-change, recording each field's old and new value,
    many-to-many lists included (as before and after lists of codes)."""
    creating = instance.pk is None
    changes = {} if creating else _changed(instance, fields)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, values in m2m.items():
        if values is None:
            continue
        before = [] if creating else _labels(getattr(instance, name).all())
        getattr(instance, name).set(values)
        after = _labels(values)
        if before != after:
            changes[name] = [before, after]
    audit_record(
        actor=actor,
        action=f"{noun}.{'create' if creating else 'update'}",
        target=instance,
        summary=f"{'Created' if creating else 'Changed'} {noun} {instance}",
        data={"changes": changes},
    )
    return instance


def co_funder_errors(*, funder: Organisation | None, co_funders) -> str:
    """Why these bodies cannot be declared as co-funders ('' when they can). 360Giving names every
    funding organisation by an organisation id, so each needs one (a council's code, or another
    body's org-id.guide identifier, set on its organisation page); the funder is declared first
    already, so it is not its own co-funder."""
    for org in co_funders:
        if funder is not None and org.pk == funder.pk:
            return f"{org.short_name} is the funder: choose only the bodies that fund the grants with it"
        if org.is_council:
            return f"{org.short_name} is a council: co-funders are other public bodies"
        if not org.org_id_360:
            return (
                f"{org.short_name} has no organisation identifier: add one on its organisation page "
                "(for example GB-GOR-D2 for the Cabinet Office) before choosing it as a co-funder"
            )
    return ""


@transaction.atomic
def programme_save(
    *, actor: User, programme: Programme | None = None, partner_bodies=None, co_funders=None, **fields: Any
) -> Programme:
    """Create or change a programme. A programme manager who creates one manages it from then on
    (administrators manage every programme already, so they are not added). Co-funders are checked
    by `co_funder_errors` (None leaves them as they are)."""
    creating = programme is None
    if co_funders is not None:
        funder = fields.get("funder") or (programme.funder if programme is not None else None)
        if error := co_funder_errors(funder=funder, co_funders=co_funders):
            raise ValidationError({"co_funders": error})
    programme = _save_audited(
        actor=actor,
        instance=programme or Programme(),
        noun="programme",
        fields=fields,
        m2m={"partner_bodies": partner_bodies, "co_funders": co_funders},
    )
    if creating and actor is not None and actor.is_authenticated and not is_administrator(actor):
        from .people import staff_role_grant

        staff_role_grant(actor=actor, user=actor, role=StaffRole.Role.PROGRAMME_MANAGER, programme=programme)
    return programme


def _round_guard_rails(round: Round, fields: dict[str, Any]) -> None:
    """Changes that would pull the ground from under bids, references or money already promised."""
    if round.pk is None:
        return
    errors: dict[str, str] = {}
    if round.published and fields.get("published") is False and round.bids.exists():
        errors["published"] = "You cannot unpublish this round because councils have started bids in it"
    prefix = fields.get("reference_prefix")
    if prefix is not None and prefix != round.reference_prefix and round.bids.filter(reference__isnull=False).exists():
        errors["reference_prefix"] = (
            f"You cannot change the bid reference prefix because bids already have references starting "
            f"{round.reference_prefix}"
        )
    budget = fields.get("budget")
    if budget is not None and budget < round.budget:
        committed = round_committed_total(round=round)
        if budget < committed:
            errors["budget"] = f"Budget must be at least {pounds(committed)}, the amount already committed"
    if errors:
        raise ValidationError(errors)


def round_lock(round_id: int) -> Round:
    """The round, its row locked until the transaction ends. Every writer that checks or changes
    money committed against a round (decisions, variations, historic awards, the budget) takes
    this lock first, so two of them never both read the same committed total and both pass.
    Outside a transaction Django refuses it (TransactionManagementError)."""
    return Round.objects.select_for_update().get(pk=round_id)


# What else must be in place when a round is published (opened to councils). Each step belongs to
# a layer above, which registers it at start-up (grants.awards: the default return schedule), so
# this layer asks without importing it. Every way of opening a round goes through round_save.
_OPENING_STEPS: list[Callable[..., Any]] = []


def round_opening_step_register(step: Callable[..., Any]) -> None:
    if step not in _OPENING_STEPS:
        _OPENING_STEPS.append(step)


@transaction.atomic
def round_save(*, actor: User, round: Round | None = None, eligible_organisations=None, **fields: Any) -> Round:
    """Create or change a round; model validation (dates, amounts) and the guard-rails on bids,
    references and committed money run before anything is saved. Publishing it runs the opening
    steps (a round opens with its return schedule), in the same transaction."""
    was_published = False
    if round is not None and round.pk:
        round = round_lock(round.pk)
        was_published = round.published
        _round_guard_rails(round, fields)
    saved = _save_audited(
        actor=actor,
        instance=round or Round(),
        noun="round",
        fields=fields,
        m2m={"eligible_organisations": eligible_organisations},
    )
    if saved.published and not was_published:
        for step in _OPENING_STEPS:
            step(round=saved, actor=actor)
    return saved
