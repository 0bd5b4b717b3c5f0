"""Writes for benefits after closure (issue 17): the round's number of benefit years, an award's
projected benefits, the schedule of benefits returns made at completion, and each return sent by
the lead council and reviewed by the programme manager.

The schedule rule, in one place (`benefits_periods`): year n runs from the day after the
(n-1)th anniversary of the completion date to the nth anniversary (29 February falls back to 28
February in a year without one), and its return is due eight weeks after the year ends.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grants.awards.models import Award, AwardStatus, BenefitsProjection, BenefitsReturn, ReturnStatus
from grants.awards.models.benefits import BENEFIT_KINDS, BENEFIT_LABELS
from grants.core.audit import audit_record
from grants.core.money import pounds, to_pounds
from grants.core.transitions import transition
from grants.models import Round
from grants.permissions import can_manage_programme

from .. import permissions as perms
from .common import AwardError, lead_officers, notify_people, programme_managers

R = ReturnStatus
BENEFITS_DUE_AFTER = timedelta(weeks=8)
MAX_BENEFITS_YEARS = 10
# A projection can be set while the award may still complete: never on one that ended otherwise.
PROJECTABLE = (AwardStatus.OFFERED, *Award.LIVE, AwardStatus.COMPLETED)


def anniversary(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def benefits_periods(*, completed_on: date, years: int) -> list[tuple[int, date, date, date]]:
    """(year, period start, period end, due) for each benefit year after `completed_on`."""
    rows = []
    for n in range(1, years + 1):
        start = anniversary(completed_on, n - 1) + timedelta(days=1)
        end = anniversary(completed_on, n)
        rows.append((n, start, end, end + BENEFITS_DUE_AFTER))
    return rows


def completed_on(award: Award) -> date | None:
    """The day the award completed: when it was closed (London time)."""
    when = award.closed_at or (award.status_changed_at if award.status == AwardStatus.COMPLETED else None)
    return timezone.localdate(when) if when else None


def benefits_schedule_create(*, award: Award) -> int:
    """Give a completed award one benefits return per year its round asks for; returns how many
    were made. Safe to call again: years already there are kept as they are, and the unique
    constraint (award, year) keeps a second writer from doubling them. Nothing for an award that
    did not complete (withdrawn, terminated...) or a round that asks for no benefits."""
    years = award.round.benefits_years
    day = completed_on(award)
    if award.status != AwardStatus.COMPLETED or not years or day is None:
        return 0
    have = set(BenefitsReturn.objects.filter(award=award).values_list("year", flat=True))
    rows = [
        BenefitsReturn(award=award, year=n, period_start=start, period_end=end, due_on=due)
        for n, start, end, due in benefits_periods(completed_on=day, years=years)
        if n not in have
    ]
    BenefitsReturn.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def benefits_years_set(*, round: Round, actor, years) -> Round:
    """The programme manager sets how many years of benefits returns the round asks for. Awards
    that have completed keep the schedule they were given. `actor` None is the system (the demo seed)."""
    if actor is not None and not can_manage_programme(actor, round.programme):
        raise AwardError("Only the programme's manager can change the round's benefits returns")
    if years is None or not 0 <= int(years) <= MAX_BENEFITS_YEARS:
        raise AwardError({"benefits_years": f"Enter a number of years from 0 to {MAX_BENEFITS_YEARS}"})
    old = round.benefits_years
    if old == int(years):
        return round  # nothing changed: nothing to record (and the demo seed can run twice)
    Round.objects.filter(pk=round.pk).update(benefits_years=int(years))
    round.benefits_years = int(years)
    audit_record(
        actor=actor,
        action="round.benefits_years",
        target=round,
        summary=f"Benefits returns for {years} years after completion",
        data={"previous": old},
    )
    return round


def _amounts(values: dict, *, required: bool) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    out, errors = {}, {}
    for kind in BENEFIT_KINDS:
        raw = values.get(kind)
        if raw in (None, ""):
            if required:
                errors[kind] = f"Enter {BENEFIT_LABELS[kind].lower()} in pounds, or 0"
            out[kind] = None
            continue
        value = to_pounds(raw)
        if value < 0:
            errors[kind] = f"{BENEFIT_LABELS[kind]} must be £0 or more"
        out[kind] = value
    return out, errors


@transaction.atomic
def benefits_projection_set(*, award: Award, actor, savings, income, costs_avoided) -> BenefitsProjection:
    """The programme manager records the award's projected benefits over all its benefit years.
    `actor` None is the system (the demo seed)."""
    award = Award.objects.select_for_update().select_related("round__programme").get(pk=award.pk)
    if actor is not None and not perms.can_manage(actor, award):
        raise AwardError("Only the programme's manager can set projected benefits")
    if award.status not in PROJECTABLE:
        raise AwardError("Projected benefits can only be set on an award that may still complete")
    if not award.round.benefits_years:
        raise AwardError("This round asks for no benefits returns: set its years of benefits first")
    return benefits_projection_record(
        award=award, actor=actor, savings=savings, income=income, costs_avoided=costs_avoided
    )


def benefits_projection_record(
    *, award: Award, actor, savings, income, costs_avoided, source: str = ""
) -> BenefitsProjection:
    """Store the projection once the caller has checked who may give it (the manager, or the lead
    council with its end-of-project report). Every kind is needed: 0 for none."""
    amounts, errors = _amounts({"savings": savings, "income": income, "costs_avoided": costs_avoided}, required=True)
    if errors:
        raise AwardError(errors)
    current = BenefitsProjection.objects.filter(award=award).first()
    if current and all(getattr(current, k) == amounts[k] for k in BENEFIT_KINDS):
        return current  # the same figures again: nothing to record (and the demo seed can run twice)
    projection, _ = BenefitsProjection.objects.update_or_create(
        award=award,
        defaults={
            **amounts,
            "set_by": actor if getattr(actor, "is_authenticated", False) else None,
            "set_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="award.benefits_projected",
        target=award,
        summary=f"Projected benefits{' from ' + source if source else ''}: "
        + ", ".join(f"{BENEFIT_LABELS[k]} {pounds(amounts[k])}" for k in BENEFIT_KINDS),
    )
    return projection


def benefits_send_refusal(*, breturn: BenefitsReturn, today: date | None = None) -> str:
    """Why the return cannot be sent yet ("" when it can): its year must be over first."""
    today = today or timezone.localdate()
    if today < breturn.sendable_from:
        return f"You can send this return from {breturn.sendable_from:%-d %B %Y}"
    return ""


def benefits_return_url(breturn: BenefitsReturn) -> str:
    return reverse("awards:benefits_return", args=[breturn.award_id, breturn.pk])


def _period(b: BenefitsReturn) -> str:
    return f"{b.title} ({b.period_start:%-d %b %Y} to {b.period_end:%-d %b %Y})"


@transaction.atomic
def benefits_return_submit(
    *, breturn: BenefitsReturn, actor, savings, income, costs_avoided, commentary: str = ""
) -> BenefitsReturn:
    """The lead council sends (or resends) a year's benefits, once the year is over."""
    breturn = BenefitsReturn.objects.select_for_update().select_related("award__round").get(pk=breturn.pk)
    award = breturn.award
    if not perms.can_edit(actor, award):
        raise AwardError("Only the lead council can send this return")
    if award.status != AwardStatus.COMPLETED:
        raise AwardError("Benefits returns are sent once the award has completed")
    if refusal := benefits_send_refusal(breturn=breturn):
        raise AwardError(refusal)
    amounts, errors = _amounts({"savings": savings, "income": income, "costs_avoided": costs_avoided}, required=True)
    if errors:
        raise AwardError(errors)
    transition(
        breturn,
        to=R.SUBMITTED,
        actor=actor,
        action="benefits.submitted",
        target=award,
        summary=f"{breturn.title}: " + ", ".join(f"{BENEFIT_LABELS[k]} {pounds(amounts[k])}" for k in BENEFIT_KINDS),
        data={"benefits_return": breturn.pk},
        fields={
            **amounts,
            "commentary": commentary.strip(),
            "submitted_by": actor,
            "submitted_at": timezone.now(),
            "submission_count": breturn.submission_count + 1,
        },
        error=AwardError,
    )
    notify_people(
        people=programme_managers(award),
        event="return_submitted",
        award=award,
        key=f"benefits:{breturn.pk}:{breturn.submission_count}",
        url=benefits_return_url(breturn),
        title=_period(breturn),
        submission_count=breturn.submission_count,
    )
    return breturn


def _locked_for_review(breturn: BenefitsReturn, actor, verb: str) -> BenefitsReturn:
    breturn = BenefitsReturn.objects.select_for_update().select_related("award__round").get(pk=breturn.pk)
    if not perms.can_manage(actor, breturn.award):
        raise AwardError(f"Only the programme's manager can {verb}")
    return breturn


@transaction.atomic
def benefits_return_approve(*, breturn: BenefitsReturn, actor) -> BenefitsReturn:
    breturn = _locked_for_review(breturn, actor, "approve a benefits return")
    return _reviewed(breturn, actor, to=R.APPROVED, event="return_approved", reason="")


@transaction.atomic
def benefits_return_request_changes(*, breturn: BenefitsReturn, actor, reason: str) -> BenefitsReturn:
    breturn = _locked_for_review(breturn, actor, "ask for changes")
    if not reason.strip():
        raise AwardError({"reason": "Enter what the council needs to change"})
    return _reviewed(breturn, actor, to=R.CHANGES_REQUESTED, event="return_changes_requested", reason=reason.strip())


def _reviewed(breturn: BenefitsReturn, actor, *, to: str, event: str, reason: str) -> BenefitsReturn:
    transition(
        breturn,
        to=to,
        actor=actor,
        action=f"benefits.{to}",
        target=breturn.award,
        summary=f"{breturn.title}: {reason}" if reason else f"{breturn.title} approved",
        data={"benefits_return": breturn.pk},
        fields={"reviewed_by": actor, "reviewed_at": timezone.now(), "review_reason": reason},
        error=AwardError,
    )
    people = lead_officers(breturn.award) + ([breturn.submitted_by] if breturn.submitted_by else [])
    notify_people(
        people=people,
        event=event,
        award=breturn.award,
        key=f"benefits:{breturn.pk}:{breturn.submission_count}",
        url=benefits_return_url(breturn),
        title=_period(breturn),
        **({"reason": reason} if reason else {}),
    )
    return breturn
