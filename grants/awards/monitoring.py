"""Writes for monitoring: milestones, return schedules and returns, outputs, and variations.

Same rules as `services.py`: keyword-only, atomic, the transition checked against the model's
TRANSITIONS table, an audit row, and a notification where someone must act.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grants.models import (
    Award,
    AwardStatus,
    Milestone,
    MilestoneStatus,
    MonitoringReturn,
    OutputValue,
    PaymentTranche,
    Rag,
    ReturnStatus,
    Round,
    RoundOutput,
    TrancheStatus,
    Variation,
    VariationKind,
    VariationStatus,
)
from grants.services import audit_record

from . import permissions as perms
from .payments import paid_total
from .selectors import round_committed
from .services import AwardError, lead_officers, notify_people, programme_managers

R = ReturnStatus
LIVE_OR_OFFERED = (AwardStatus.OFFERED, *Award.LIVE)


# Milestones ---------------------------------------------------------------------------------


@transaction.atomic
def milestone_add(*, award: Award, actor, description: str, due_on: date) -> Milestone:
    if not perms.can_manage(actor, award):
        raise AwardError("Only the programme's manager can set milestones")
    if award.status not in LIVE_OR_OFFERED:
        raise AwardError("Milestones can only be added to an offered or live award")
    if not description.strip():
        raise AwardError("Enter a description of the milestone")
    m = Milestone.objects.create(award=award, description=description.strip()[:300], due_on=due_on)
    audit_record(actor=actor, action="milestone.add", target=award, summary=f"{m.description}, due {due_on}")
    return m


@transaction.atomic
def milestone_update(*, milestone: Milestone, actor, status: str, evidence: str = "") -> Milestone:
    """The lead council reports progress. A confirmed milestone cannot be changed. Files attached
    (evidence.py) count as evidence as much as the text does."""
    milestone = Milestone.objects.select_for_update().select_related("award").get(pk=milestone.pk)
    if not perms.can_edit(actor, milestone.award):
        raise AwardError("Only the lead council can update this milestone")
    if milestone.award.status not in Award.LIVE:
        raise AwardError("Milestones can be updated once the offer is accepted")
    if milestone.confirmed_at:
        raise AwardError("This milestone has been confirmed complete and cannot change")
    if status not in MilestoneStatus.values:
        raise AwardError("Choose a status")
    if status in (MilestoneStatus.COMPLETE, MilestoneStatus.MISSED) and not (
        evidence.strip() or milestone.evidence_files.exists()
    ):
        raise AwardError({"evidence": "Enter the evidence, or attach a file, for a complete or missed milestone"})
    old = milestone.status
    milestone.status = status
    milestone.evidence = evidence.strip()
    milestone.updated_by = actor
    milestone.status_updated_at = timezone.now()
    milestone.save()
    audit_record(
        actor=actor, action="milestone.update", target=milestone.award, summary=f"{milestone}: {old} to {status}"
    )
    return milestone


@transaction.atomic
def milestone_confirm(*, milestone: Milestone, actor) -> Milestone:
    """The programme manager confirms a completed milestone (which may release a tranche)."""
    milestone = Milestone.objects.select_for_update().select_related("award__round").get(pk=milestone.pk)
    if not perms.can_manage(actor, milestone.award):
        raise AwardError("Only the programme's manager can confirm a milestone")
    if milestone.status != MilestoneStatus.COMPLETE:
        raise AwardError("Only a milestone the council has marked complete can be confirmed")
    if milestone.confirmed_at:
        raise AwardError("This milestone is already confirmed")
    milestone.confirmed_by = actor
    milestone.confirmed_at = timezone.now()
    milestone.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(actor=actor, action="milestone.confirm", target=milestone.award, summary=f"Confirmed {milestone}")
    return milestone


# Returns ------------------------------------------------------------------------------------


def _return_transition(*, mreturn: MonitoringReturn, to: str, actor, summary: str) -> None:
    if not mreturn.can_transition(to):
        raise AwardError(
            f"A return that is {mreturn.get_status_display().lower()} cannot become {ReturnStatus(to).label.lower()}"
        )
    old = mreturn.status
    mreturn.status = to
    audit_record(
        actor=actor,
        action=f"return.{to}",
        target=mreturn.award,
        summary=summary,
        data={"return": mreturn.pk, "from": old},
    )


def _parse_value(raw, name: str) -> Decimal:
    try:
        value = Decimal(str(raw).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        raise AwardError(f"{name}: enter a number, like 8500")
    if value < 0 or value != value.quantize(Decimal("0.01")):
        raise AwardError(f"{name}: enter 0 or more, with at most 2 decimal places")
    return value


def return_validate(*, rag: str, commentary: str) -> dict[str, str]:
    """Field errors for a return's RAG and commentary (also used by the form)."""
    errors = {}
    if rag not in Rag.values:
        errors["rag"] = "Choose a RAG status"
    elif rag in (Rag.AMBER, Rag.RED) and not commentary.strip():
        errors["commentary"] = "Enter commentary: it is required for an Amber or Red status"
    return errors


@transaction.atomic
def return_submit(
    *, mreturn: MonitoringReturn, actor, rag: str, commentary: str, evidence: str = "", values: dict[int, object]
) -> MonitoringReturn:
    """The lead council sends (or resends) a return: RAG, commentary, evidence, output values."""
    mreturn = MonitoringReturn.objects.select_for_update().select_related("award__round", "period").get(pk=mreturn.pk)
    award = mreturn.award
    if not perms.can_edit(actor, award):
        raise AwardError("Only the lead council can send this return")
    if award.status not in Award.LIVE:
        raise AwardError("Returns can be sent while the award is live")
    errors = return_validate(rag=rag, commentary=commentary)
    if errors:
        raise AwardError(errors)
    outputs = {o.pk: o for o in RoundOutput.objects.filter(round_id=award.round_id)}
    parsed = {}
    for output_id, raw in values.items():
        if output_id not in outputs:
            raise AwardError("That output is not reported in this round")
        if raw in (None, ""):
            continue
        parsed[output_id] = _parse_value(raw, outputs[output_id].name)
    _return_transition(mreturn=mreturn, to=R.SUBMITTED, actor=actor, summary=f"{mreturn.period}: {rag}")
    mreturn.rag = rag
    mreturn.commentary = commentary.strip()
    mreturn.evidence = evidence.strip()
    mreturn.submitted_by = actor
    mreturn.submitted_at = timezone.now()
    mreturn.submission_count += 1
    mreturn.save()
    mreturn.values.exclude(output_id__in=parsed).delete()
    for output_id, value in parsed.items():
        OutputValue.objects.update_or_create(monitoring_return=mreturn, output_id=output_id, defaults={"value": value})
    notify_people(
        people=programme_managers(award),
        event="return_submitted",
        award=award,
        key=f"{mreturn.pk}:{mreturn.submission_count}",
        url=_return_url(mreturn),
        title=mreturn.period.title,
        rag=mreturn.get_rag_display(),
        submission_count=mreturn.submission_count,
    )
    return mreturn


def _return_url(mreturn: MonitoringReturn) -> str:
    return reverse("awards:return", args=[mreturn.award_id, mreturn.pk])


@transaction.atomic
def return_approve(*, mreturn: MonitoringReturn, actor) -> MonitoringReturn:
    mreturn = MonitoringReturn.objects.select_for_update().select_related("award__round", "period").get(pk=mreturn.pk)
    if not perms.can_manage(actor, mreturn.award):
        raise AwardError("Only the programme's manager can approve a return")
    _return_transition(mreturn=mreturn, to=R.APPROVED, actor=actor, summary=f"{mreturn.period} approved")
    return _reviewed(mreturn, actor, event="return_approved")


@transaction.atomic
def return_request_changes(*, mreturn: MonitoringReturn, actor, reason: str) -> MonitoringReturn:
    mreturn = (
        MonitoringReturn.objects.select_for_update()
        .select_related("award__round", "award__lead", "period")
        .get(pk=mreturn.pk)
    )
    if not perms.can_manage(actor, mreturn.award):
        raise AwardError("Only the programme's manager can ask for changes")
    if not reason.strip():
        raise AwardError({"reason": "Enter what the council needs to change"})
    _return_transition(
        mreturn=mreturn, to=R.CHANGES_REQUESTED, actor=actor, summary=f"{mreturn.period}: {reason.strip()}"
    )
    return _reviewed(mreturn, actor, event="return_changes_requested", reason=reason.strip())


def _reviewed(mreturn: MonitoringReturn, actor, *, event: str, reason: str = "") -> MonitoringReturn:
    """Record the manager's review and tell the lead council's officers and whoever sent it."""
    mreturn.reviewed_by = actor
    mreturn.reviewed_at = timezone.now()
    mreturn.review_reason = reason
    mreturn.save()
    people = lead_officers(mreturn.award) + ([mreturn.submitted_by] if mreturn.submitted_by else [])
    notify_people(
        people=people,
        event=event,
        award=mreturn.award,
        key=f"{mreturn.pk}:{mreturn.submission_count}",
        url=_return_url(mreturn),
        title=mreturn.period.title,
        **({"reason": reason} if reason else {}),
    )
    return mreturn


# Variations ---------------------------------------------------------------------------------


def _variation_summary(v: Variation) -> str:
    if v.kind == VariationKind.DATES:
        parts = [f"start {v.new_planned_start:%-d %B %Y}"] if v.new_planned_start else []
        parts += [f"end {v.new_planned_end:%-d %B %Y}"] if v.new_planned_end else []
        return "new " + " and ".join(parts)
    if v.kind == VariationKind.AMOUNT:
        return f"new amount £{v.new_amount:,.2f}"
    return "new scope"


@transaction.atomic
def variation_request(
    *,
    award: Award,
    actor,
    kind: str,
    reason: str,
    new_planned_start: date | None = None,
    new_planned_end: date | None = None,
    new_amount: Decimal | None = None,
    new_scope: str = "",
) -> Variation:
    award = Award.objects.select_related("round", "lead").get(pk=award.pk)
    if not perms.can_edit(actor, award):
        raise AwardError("Only the lead council can ask for a variation")
    if award.status not in Award.LIVE:
        raise AwardError("A variation can be asked for while the award is live")
    if kind not in VariationKind.values:
        raise AwardError({"kind": "Choose what you want to change"})
    if not reason.strip():
        raise AwardError({"reason": "Enter why you need the change"})
    if kind == VariationKind.DATES:
        if not new_planned_start and not new_planned_end:
            raise AwardError({"new_planned_end": "Enter the new start date, the new end date or both"})
        start = new_planned_start or award.planned_start
        end = new_planned_end or award.planned_end
        if start and end and end < start:
            field = "new_planned_end" if new_planned_end else "new_planned_start"
            raise AwardError({field: "The project must end on or after the day it starts"})
    if kind == VariationKind.AMOUNT and (new_amount is None or new_amount <= 0):
        raise AwardError({"new_amount": "Enter the new amount, more than £0"})
    if kind == VariationKind.SCOPE and not new_scope.strip():
        raise AwardError({"new_scope": "Describe the new scope"})
    dates = kind == VariationKind.DATES
    v = Variation.objects.create(
        award=award,
        kind=kind,
        reason=reason.strip(),
        new_planned_start=new_planned_start if dates else None,
        new_planned_end=new_planned_end if dates else None,
        new_amount=new_amount if kind == VariationKind.AMOUNT else None,
        new_scope=new_scope.strip() if kind == VariationKind.SCOPE else "",
        requested_by=actor,
    )
    audit_record(actor=actor, action="variation.request", target=award, summary=f"{v.get_kind_display()}: {v.reason}")
    notify_people(
        people=programme_managers(award),
        event="variation_requested",
        award=award,
        key=str(v.pk),
        url=reverse("awards:variation_decide", args=[award.pk, v.pk]),
        summary=_variation_summary(v),
        reason=v.reason,
    )
    return v


def _apply_dates(v: Variation, award: Award) -> dict:
    previous = {"planned_start": str(award.planned_start or ""), "planned_end": str(award.planned_end or "")}
    start = v.new_planned_start or award.planned_start
    end = v.new_planned_end or award.planned_end
    if start and end and end < start:
        raise AwardError("With this change the project would end before it starts: refuse it, or ask for new dates")
    award.planned_start, award.planned_end = start, end
    return previous


def _apply_amount(v: Variation, award: Award) -> dict:
    """Change the award and land the difference on the last unpaid tranche (or a new one).

    Refused when it would pass the round's budget, or when a cut is more than the last unpaid
    tranche: dropping tranches (and the milestones they wait for) is the manager's call, made
    on the payment plan. Only a cut to exactly what is paid removes the unpaid tranches, since
    nothing is left to pay, and the removed tranches are recorded.
    """
    delta = v.new_amount - award.amount
    rnd = Round.objects.select_for_update().get(pk=award.round_id)  # one budget change at a time per round
    committed = round_committed(round=rnd)
    if delta > 0 and committed + delta > rnd.budget:
        raise AwardError(
            f"Approving this would commit £{committed + delta:,.2f} in {rnd.name}, more than its budget of "
            f"£{rnd.budget:,.2f} (£{committed:,.2f} is already committed). Refuse it, or make room in the budget first"
        )
    paid = paid_total(award)
    if v.new_amount < paid:
        raise AwardError(f"The new amount is less than the £{paid:,.2f} already paid")
    previous = {"amount": str(award.amount)}
    unpaid = list(award.tranches.exclude(status=TrancheStatus.PAID).order_by("-number"))
    if v.new_amount == paid:
        if unpaid:
            previous["removed_tranches"] = [
                [t.number, str(t.amount), str(t.due_on or ""), t.milestone_id] for t in unpaid
            ]
            PaymentTranche.objects.filter(pk__in=[t.pk for t in unpaid]).delete()
    elif unpaid and unpaid[0].amount + delta > 0:
        unpaid[0].amount += delta
        unpaid[0].save(update_fields=["amount"])
    elif not unpaid and delta > 0:
        number = (award.tranches.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        award.tranches.create(number=number, amount=delta, due_on=award.planned_end or timezone.localdate())
    else:
        last = unpaid[0] if unpaid else None
        raise AwardError(
            f"The cut of £{-delta:,.2f} is more than the last unpaid tranche"
            + (f" (tranche {last.number}, £{last.amount:,.2f})" if last else "")
            + f". Plan payments first so that the last unpaid tranche is more than £{-delta:,.2f}, "
            "then approve the variation"
        )
    award.amount = v.new_amount
    return previous


def _apply_variation(v: Variation, award: Award) -> dict:
    if v.kind == VariationKind.DATES:
        previous = _apply_dates(v, award)
    elif v.kind == VariationKind.SCOPE:
        previous = {"scope": award.scope}
        award.scope = v.new_scope
    else:
        previous = _apply_amount(v, award)
    award.save()
    return previous


@transaction.atomic
def variation_decide(*, variation: Variation, actor, approve: bool, reason: str = "") -> Variation:
    """The programme manager approves (the change is applied) or refuses, with a reason."""
    v = Variation.objects.select_for_update().get(pk=variation.pk)
    award = Award.objects.select_for_update().get(pk=v.award_id)
    if not perms.can_manage(actor, award):
        raise AwardError("Only the programme's manager can decide a variation")
    if v.status != VariationStatus.PENDING:
        raise AwardError("This variation has already been decided")
    if award.status not in Award.LIVE:
        raise AwardError(f"The award is {award.get_status_display().lower()}: it can no longer change")
    if not approve and not reason.strip():
        raise AwardError({"decision_reason": "Enter why the variation is refused"})
    if approve:
        v.previous = _apply_variation(v, award)
    v.status = VariationStatus.APPROVED if approve else VariationStatus.REFUSED
    v.decided_by = actor
    v.decided_at = timezone.now()
    v.decision_reason = reason.strip()
    v.save()
    removed = v.previous.get("removed_tranches") if approve else None
    audit_record(
        actor=actor,
        action=f"variation.{v.status}",
        target=award,
        summary=f"{v.get_kind_display()} {v.status}: {v.decision_reason}"
        + (
            f" (unpaid tranches {', '.join(str(t[0]) for t in removed)} removed: nothing more is due)"
            if removed
            else ""
        ),
        data={"variation": v.pk, "previous": v.previous},
    )
    people = lead_officers(award) + ([v.requested_by] if v.requested_by else [])
    notify_people(
        people=people,
        event="variation_decided",
        award=award,
        key=str(v.pk),
        approved=approve,
        reason=v.decision_reason,
    )
    return v
