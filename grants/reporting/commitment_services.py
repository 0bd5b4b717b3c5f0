"""Writes for commitments and deliverables. Only the programme's managers make them, and each
leaves an audit record; a deliverable's RAG also keeps its own history (who, when, why)."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from grants.awards.models import Rag
from grants.core.audit import audit_record
from grants.models import Programme, Round, User
from grants.permissions import can_manage_programme

from .commitment_measures import MEASURES
from .commitments import MANUAL, Commitment, CommitmentUnit, Deliverable, DeliverableRagChange
from .services import ReportingError

FIELDS = ("financial_year", "text", "target", "unit", "measure", "manual_value", "manual_as_at")


def _check_manager(user: User, programme: Programme) -> None:
    if not can_manage_programme(user, programme):
        raise ReportingError("Only the programme's managers can change its commitments and deliverables")


def commitment_errors(data: dict) -> dict[str, str]:
    """What is wrong with a commitment's fields, by field: the form shows these, the service refuses them."""
    errors = {}
    measure, unit = data.get("measure") or MANUAL, data.get("unit")
    if unit not in CommitmentUnit.values:
        errors["unit"] = "Choose the unit of the target"
    if measure == MANUAL:
        if (data.get("manual_value") is None) != (data.get("manual_as_at") is None):
            field = "manual_as_at" if data.get("manual_as_at") is None else "manual_value"
            errors[field] = "Enter both the value reached and the date it was true, or neither"
    elif (m := MEASURES.get(measure)) is None:
        errors["measure"] = "Choose how progress is measured"
    else:
        if unit in CommitmentUnit.values and unit not in m.units:
            names = " or ".join(CommitmentUnit(u).label.lower() for u in m.units)
            errors["unit"] = f"{m.label} is counted in {names}: choose that unit or another measure"
        if m.whole_programme_only and data.get("financial_year"):
            errors["measure"] = f"{m.label} is counted for the whole programme: leave the year empty"
    return errors


def commitment_save(
    *, user: User, programme: Programme, data: dict, commitment: Commitment | None = None
) -> Commitment:
    """Add a commitment, or change one; a value entered by hand records who entered it."""
    _check_manager(user, programme)
    if commitment is not None and commitment.programme_id != programme.pk:
        raise ReportingError("That commitment belongs to another programme")
    if errors := commitment_errors(data):
        raise ReportingError(errors)
    data = {k: data.get(k) for k in FIELDS}
    data["measure"] = data["measure"] or MANUAL
    if data["measure"] != MANUAL:
        data["manual_value"] = data["manual_as_at"] = None
    with transaction.atomic():
        created = commitment is None
        obj = commitment or Commitment(programme=programme)
        before = {k: str(getattr(obj, k)) for k in FIELDS} if not created else {}
        if (data["manual_value"], data["manual_as_at"]) != (obj.manual_value, obj.manual_as_at):
            obj.manual_by = user if data["manual_value"] is not None else None
        for k, v in data.items():
            setattr(obj, k, v)
        obj.save()
        audit_record(
            actor=user,
            action="commitment.added" if created else "commitment.changed",
            target=obj,
            summary=f"{programme.code}: {obj.text}",
            data={"before": before, "after": {k: str(getattr(obj, k)) for k in FIELDS}},
        )
    return obj


def commitment_remove(*, user: User, commitment: Commitment) -> None:
    _check_manager(user, commitment.programme)
    with transaction.atomic():
        audit_record(
            actor=user,
            action="commitment.removed",
            target=commitment,
            summary=f"{commitment.programme.code}: {commitment.text}",
            data={k: str(getattr(commitment, k)) for k in FIELDS},
        )
        commitment.delete()


def deliverable_add(
    *, user: User, programme: Programme, financial_year: int, title: str, round: Round | None = None
) -> Deliverable:
    """Add a deliverable at the end of the year's list."""
    _check_manager(user, programme)
    if round is not None and round.programme_id != programme.pk:
        raise ReportingError({"round": "Choose a round of this programme"})
    if not title.strip():
        raise ReportingError({"title": "Enter the deliverable"})
    with transaction.atomic():
        # Lock the programme so two managers adding at once cannot take the same number.
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        last = Deliverable.objects.filter(programme=programme, financial_year=financial_year).aggregate(n=Max("number"))
        obj = Deliverable.objects.create(
            programme=programme,
            financial_year=financial_year,
            number=(last["n"] or 0) + 1,
            title=title.strip(),
            round=round,
        )
        audit_record(
            actor=user,
            action="deliverable.added",
            target=obj,
            summary=f"{programme.code} {obj.year_label}: {obj}",
            data={"round": round.slug if round else ""},
        )
    return obj


def deliverable_rag_set(
    *, user: User, deliverable: Deliverable, rag: str, reason: str, at: datetime | None = None
) -> DeliverableRagChange:
    """The manager's RAG for a deliverable, with why; kept in its history and the audit trail.
    `at` records a historic assessment (the demo's 2017/18 year end); the board report as at a
    date reads the RAG set by then."""
    _check_manager(user, deliverable.programme)
    if rag not in Rag.values:
        raise ReportingError({"rag": "Choose Green, Amber or Red"})
    if not reason.strip():
        raise ReportingError({"reason": "Enter why the deliverable has this RAG status"})
    now = at or timezone.now()
    with transaction.atomic():
        locked = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        previous = locked.rag
        if locked.rag_set_at is None or now >= locked.rag_set_at:  # a historic entry never hides a later one
            locked.rag, locked.reason, locked.rag_set_by, locked.rag_set_at = rag, reason.strip(), user, now
            locked.save(update_fields=["rag", "reason", "rag_set_by", "rag_set_at"])
        change = DeliverableRagChange.objects.create(
            deliverable=locked, rag=rag, reason=reason.strip(), set_by=user, set_at=now
        )
        audit_record(
            actor=user,
            action="deliverable.rag_set",
            target=locked,
            summary=f"{locked.programme.code} {locked.year_label} {locked.number}: {Rag(rag).label}",
            data={"previous": previous, "rag": rag, "reason": reason.strip()},
        )
    deliverable.refresh_from_db()
    return change
