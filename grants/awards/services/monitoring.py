"""Writes for monitoring: milestones and returns (RAG, outputs, review).

Keyword-only, atomic; every status moves through `grants.core.transitions.transition` (the
model's TRANSITIONS table, an audit row), and a notification goes where someone must act.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grants.awards.models import (
    Award,
    AwardStatus,
    Milestone,
    MilestoneStatus,
    MonitoringReturn,
    OutputValue,
    Rag,
    ReturnPeriod,
    ReturnStatus,
    RoundOutput,
)
from grants.core.audit import audit_record
from grants.core.transitions import next_statuses, transition
from grants.core.upload_scan import ScanStatus

from .. import permissions as perms
from .common import AwardError, lead_officers, notify_people, programme_managers
from .spend import spend_parse, spend_required_fields

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
    if not next_statuses(milestone):  # confirmed complete: final in Milestone.TRANSITIONS
        raise AwardError("This milestone has been confirmed complete and cannot change")
    if status not in MilestoneStatus.values:
        raise AwardError("Choose a status")
    if status in (MilestoneStatus.COMPLETE, MilestoneStatus.MISSED) and not (
        evidence.strip() or milestone.evidence_files.exclude(scan_status=ScanStatus.INFECTED).exists()
    ):
        raise AwardError({"evidence": "Enter the evidence, or attach a file, for a complete or missed milestone"})
    transition(
        milestone,
        to=status,
        actor=actor,
        action="milestone.update",
        target=milestone.award,
        summary=f"{milestone}: {milestone.status} to {status}",
        data={"milestone": milestone.pk},
        fields={"evidence": evidence.strip(), "updated_by": actor, "status_updated_at": timezone.now()},
        error=AwardError,
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


def return_send_refusal(*, period: ReturnPeriod, today: date | None = None) -> str:
    """Why a return for `period` cannot be sent yet ("" when it can): it reports on a period that
    must be over first (`ReturnPeriod.sendable_from`). The service refuses with it and the return
    page shows it above the form, so the two never disagree."""
    today = today or timezone.localdate()
    if today < period.sendable_from:
        return f"You can send this return from {period.sendable_from:%-d %B %Y}"
    return ""


def _return_for_council(mreturn: MonitoringReturn, actor, verb: str, done: str) -> MonitoringReturn:
    """The return locked, once the actor is known to be the lead council of a live award."""
    mreturn = MonitoringReturn.objects.select_for_update().select_related("award__round", "period").get(pk=mreturn.pk)
    if not perms.can_edit(actor, mreturn.award):
        raise AwardError(f"Only the lead council can {verb} this return")
    if mreturn.award.status not in Award.LIVE:
        raise AwardError(f"Returns can be {done} while the award is live")
    return mreturn


def _parse_values(award: Award, values: dict[int, object]) -> dict[int, Decimal]:
    outputs = {o.pk: o for o in RoundOutput.objects.filter(round_id=award.round_id)}
    parsed = {}
    for output_id, raw in values.items():
        if output_id not in outputs:
            raise AwardError("That output is not reported in this round")
        if raw in (None, ""):
            continue
        parsed[output_id] = _parse_value(raw, outputs[output_id].name)
    return parsed


def values_store(mreturn: MonitoringReturn, parsed: dict[int, Decimal]) -> None:
    mreturn.values.exclude(output_id__in=parsed).delete()
    for output_id, value in parsed.items():
        OutputValue.objects.update_or_create(monitoring_return=mreturn, output_id=output_id, defaults={"value": value})


@transaction.atomic
def return_save_draft(
    *,
    mreturn: MonitoringReturn,
    actor,
    rag: str = "",
    commentary: str = "",
    evidence: str = "",
    values: dict[int, object],
    spend: dict | None = None,
) -> MonitoringReturn:
    """The lead council keeps what it has written so far without sending it, whatever the date:
    a return can be started before its period ends but sent only after. Only a return never sent
    takes a draft: a sent one (even one sent back for changes) is counted in the board's figures,
    which a half-written change must not move."""
    mreturn = _return_for_council(mreturn, actor, "save", "saved")
    if mreturn.status != R.DUE:
        raise AwardError("This return has been sent: send it again with your changes")
    if rag and rag not in Rag.values:
        raise AwardError({"rag": "Choose a RAG status"})
    parsed = _parse_values(mreturn.award, values)
    amounts = spend_parse(spend)
    mreturn.rag, mreturn.commentary, mreturn.evidence = rag, commentary.strip(), evidence.strip()
    for field, amount in amounts.items():
        setattr(mreturn, field, amount)
    mreturn.save(update_fields=["rag", "commentary", "evidence", *amounts])
    values_store(mreturn, parsed)
    audit_record(actor=actor, action="return.draft", target=mreturn.award, summary=f"{mreturn.period}: draft saved")
    return mreturn


@transaction.atomic
def return_submit(
    *,
    mreturn: MonitoringReturn,
    actor,
    rag: str,
    commentary: str,
    evidence: str = "",
    values: dict[int, object],
    spend: dict | None = None,
) -> MonitoringReturn:
    """The lead council sends (or resends) a return: RAG, commentary, evidence, output values and
    spend. Not before its period has ended (`return_send_refusal`). Where the round asks for
    certification it goes to the council's certifier first (certification.py), not to the funder."""
    mreturn = _return_for_council(mreturn, actor, "send", "sent")
    award = mreturn.award
    refusal = return_send_refusal(period=mreturn.period)
    if refusal:
        raise AwardError(refusal)
    errors = return_validate(rag=rag, commentary=commentary)
    if errors:
        raise AwardError(errors)
    parsed = _parse_values(award, values)
    amounts = spend_parse(spend, required=spend_required_fields(award))
    if award.round.returns_need_certifying:
        from .certification import send_for_certification

        return send_for_certification(
            mreturn=mreturn,
            actor=actor,
            rag=rag,
            commentary=commentary,
            evidence=evidence,
            values=parsed,
            spend=amounts,
        )
    transition(
        mreturn,
        to=R.SUBMITTED,
        actor=actor,
        action="return.submitted",
        target=award,
        summary=f"{mreturn.period}: {rag}",
        data={"return": mreturn.pk},
        fields={
            **sent_fields(actor, rag, commentary, evidence, amounts),
            "submission_count": mreturn.submission_count + 1,
        },
        error=AwardError,
    )
    values_store(mreturn, parsed)
    notify_submitted(mreturn)
    return mreturn


def sent_fields(actor, rag: str, commentary: str, evidence: str, spend: dict) -> dict:
    """What the council's send writes on the return, whether it goes to the funder or first to the
    council's certifier."""
    return {
        "rag": rag,
        "commentary": commentary.strip(),
        "evidence": evidence.strip(),
        "submitted_by": actor,
        "submitted_at": timezone.now(),
        **spend,
    }


def notify_submitted(mreturn: MonitoringReturn) -> None:
    """Tell the programme's managers a return has reached them (sent, or certified)."""
    award = mreturn.award
    notify_people(
        people=programme_managers(award),
        event="return_submitted",
        award=award,
        key=f"{mreturn.pk}:{mreturn.submission_count}",
        url=return_url(mreturn),
        title=mreturn.period.title,
        rag=mreturn.get_rag_display(),
        submission_count=mreturn.submission_count,
    )


def return_url(mreturn: MonitoringReturn) -> str:
    return reverse("awards:return", args=[mreturn.award_id, mreturn.pk])


@transaction.atomic
def return_approve(*, mreturn: MonitoringReturn, actor) -> MonitoringReturn:
    mreturn = MonitoringReturn.objects.select_for_update().select_related("award__round", "period").get(pk=mreturn.pk)
    if not perms.can_manage(actor, mreturn.award):
        raise AwardError("Only the programme's manager can approve a return")
    return _reviewed(mreturn, actor, to=R.APPROVED, summary=f"{mreturn.period} approved", event="return_approved")


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
    return _reviewed(
        mreturn,
        actor,
        to=R.CHANGES_REQUESTED,
        summary=f"{mreturn.period}: {reason.strip()}",
        event="return_changes_requested",
        reason=reason.strip(),
    )


def _reviewed(
    mreturn: MonitoringReturn, actor, *, to: str, summary: str, event: str, reason: str = ""
) -> MonitoringReturn:
    """Record the manager's review (approved, or changes asked for) and tell the lead council's
    officers and whoever sent it."""
    transition(
        mreturn,
        to=to,
        actor=actor,
        action=f"return.{to}",
        target=mreturn.award,
        summary=summary,
        data={"return": mreturn.pk},
        fields={"reviewed_by": actor, "reviewed_at": timezone.now(), "review_reason": reason},
        error=AwardError,
    )
    people = lead_officers(mreturn.award) + ([mreturn.submitted_by] if mreturn.submitted_by else [])
    notify_people(
        people=people,
        event=event,
        award=mreturn.award,
        key=f"{mreturn.pk}:{mreturn.submission_count}",
        url=return_url(mreturn),
        title=mreturn.period.title,
        **({"reason": reason} if reason else {}),
    )
    return mreturn
