"""Variations: a council asks to change an award's dates, amount or scope; a manager decides.

An increase is refused past the round budget; a cut larger than the unpaid tranches is refused.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grants.awards.models import (
    Award,
    OutputTarget,
    PaymentTranche,
    TrancheStatus,
    Variation,
    VariationKind,
    VariationStatus,
)
from grants.core.audit import audit_record
from grants.core.money import in_unit, pounds
from grants.core.transitions import transition
from grants.services import round_lock

from .. import permissions as perms
from ..selectors import round_committed
from .common import AwardError, lead_officers, notify_people, programme_managers
from .forecasts import rebaseline_apply, rebaseline_check
from .payments import paid_total


def _variation_summary(v: Variation) -> str:
    if v.kind == VariationKind.DATES:
        parts = [f"start {v.new_planned_start:%-d %B %Y}"] if v.new_planned_start else []
        parts += [f"end {v.new_planned_end:%-d %B %Y}"] if v.new_planned_end else []
        return "new " + " and ".join(parts)
    if v.kind == VariationKind.AMOUNT:
        return f"new amount {pounds(v.new_amount)}"
    if v.kind == VariationKind.REBASELINE:
        output = v.output_target.output
        return f"new baseline for {output.name}: {in_unit(v.new_baseline, output.unit)}"
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
    output_target: OutputTarget | None = None,
    new_baseline: Decimal | None = None,
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
    rebaseline = kind == VariationKind.REBASELINE
    if rebaseline:
        new_baseline = rebaseline_check(award=award, target=output_target, new_baseline=new_baseline)
    dates = kind == VariationKind.DATES
    v = Variation.objects.create(
        award=award,
        kind=kind,
        reason=reason.strip(),
        new_planned_start=new_planned_start if dates else None,
        new_planned_end=new_planned_end if dates else None,
        new_amount=new_amount if kind == VariationKind.AMOUNT else None,
        new_scope=new_scope.strip() if kind == VariationKind.SCOPE else "",
        output_target=output_target if rebaseline else None,
        new_baseline=new_baseline if rebaseline else None,
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
    rnd = round_lock(award.round_id)  # one writer of committed money at a time per round
    committed = round_committed(round=rnd)
    if delta > 0 and committed + delta > rnd.budget:
        raise AwardError(
            f"Approving this would commit {pounds(committed + delta)} in {rnd.name}, more than its budget of "
            f"{pounds(rnd.budget)} ({pounds(committed)} is already committed). "
            "Refuse it, or make room in the budget first"
        )
    paid = paid_total(award)
    if v.new_amount < paid:
        raise AwardError(f"The new amount is less than the {pounds(paid)} already paid")
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
            f"The cut of {pounds(-delta)} is more than the last unpaid tranche"
            + (f" (tranche {last.number}, {pounds(last.amount)})" if last else "")
            + f". Plan payments first so that the last unpaid tranche is more than {pounds(-delta)}, "
            "then approve the variation"
        )
    award.amount = v.new_amount
    return previous


def _apply_variation(v: Variation, award: Award, actor) -> dict:
    if v.kind == VariationKind.REBASELINE:
        return rebaseline_apply(variation=v, actor=actor)
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
    previous = _apply_variation(v, award, actor) if approve else v.previous
    to = VariationStatus.APPROVED if approve else VariationStatus.REFUSED
    removed = previous.get("removed_tranches") if approve else None
    transition(
        v,
        to=to,
        actor=actor,
        action=f"variation.{to}",
        target=award,
        summary=f"{v.get_kind_display()} {to}: {reason.strip()}"
        + (
            f" (unpaid tranches {', '.join(str(t[0]) for t in removed)} removed: nothing more is due)"
            if removed
            else ""
        ),
        data={"variation": v.pk, "previous": previous},
        fields={
            "previous": previous,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decision_reason": reason.strip(),
        },
        error=AwardError,
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
