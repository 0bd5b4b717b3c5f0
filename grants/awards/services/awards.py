"""Writes for awards: issue, the status table, acceptance, the payment schedule, payments,
returned funds and closure. Monitoring (milestones, returns) and variations have modules of their own.

Every function is keyword-only, atomic, checks who may act and what may follow what, writes an
audit row and tells the people concerned through `notifications.services.notify`.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from grants import permissions as gperms
from grants.awards.models import (
    Award,
    AwardStatus,
    MonitoringReturn,
    PaymentTranche,
    Variation,
    VariationStatus,
)
from grants.core.audit import audit_event, audit_record
from grants.core.money import pounds, to_pounds
from grants.core.transitions import transition
from grants.models import User
from grants.services import round_lock

from .. import permissions as perms
from .. import terms as offer_terms
from ..selectors import HOLDING, round_committed
from .benefits import benefits_projection_record, benefits_schedule_create
from .common import AwardError, lead_officers, notify_people, programme_managers
from .partnerships import partnership_awards_sync

A = AwardStatus
RESPOND_WITHIN = timedelta(days=28)


def _next_historic_reference() -> str:
    n = Award.objects.filter(reference__startswith="AWD-").count() + 1
    while Award.objects.filter(reference=f"AWD-{n:06d}").exists():
        n += 1
    return f"AWD-{n:06d}"


@transaction.atomic
def award_issue(*, bid, amount: Decimal, actor, conditions: str = "") -> Award:
    """Create the award (status offered) for a funded bid, audit it, and notify the lead's officers
    (event "award_offered").

    Calling it again for a bid that already has an award returns that award unchanged, so a
    decision confirmed twice cannot offer twice.
    """
    from applications.models import BidStatus, PartnerStatus

    existing = Award.objects.filter(bid=bid).first()
    if existing is not None:
        return existing
    if bid.status != BidStatus.FUNDED:
        raise AwardError(f"Only a funded bid can receive an award; {bid} is {bid.get_status_display().lower()}")
    amount = to_pounds(amount)
    if amount <= 0:
        raise AwardError("The award amount must be more than £0")
    today = timezone.localdate()
    award = Award.objects.create(
        reference=bid.reference or _next_historic_reference(),
        round=bid.round,
        bid=bid,
        lead=bid.lead,
        title=bid.title,
        scope=bid.summary,
        amount=amount,
        match_funding=bid.match_funding,  # the council's contribution as its bid stated it
        conditions=conditions,
        status=A.OFFERED,
        status_changed_at=timezone.now(),
        award_date=today,
        respond_by=today + RESPOND_WITHIN,
        planned_start=bid.planned_start,
        planned_end=bid.planned_end,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    partner_ids = bid.partners.filter(status=PartnerStatus.CONFIRMED).values_list("organisation_id", flat=True)
    award.partners.set(list(partner_ids))
    # One tranche for the whole amount to start with; the programme manager may re-plan it.
    PaymentTranche.objects.create(award=award, number=1, amount=amount, due_on=bid.planned_start or today)
    audit_record(actor=actor, action="award.offered", target=award, summary=f"Offered {pounds(amount)} for {bid}")
    notify_people(
        people=lead_officers(award),
        event="award_offered",
        award=award,
        key=str(award.pk),
        respond_by=f"{award.respond_by:%-d %B %Y}",
    )
    return award


@transaction.atomic
def award_create_historic(
    *,
    round,
    lead,
    title: str,
    amount: Decimal,
    award_date: date,
    actor,
    reference: str = "",
    partners=(),
    status: str = A.ACTIVE,
    scope: str = "",
    planned_start: date | None = None,
    planned_end: date | None = None,
    match_funding: Decimal | None = None,
    partnership=None,
) -> Award:
    """Enter an award made before the service existed (no bid). No notification: it is history.

    An award to a standing `partnership` takes its lead and partners from the partnership (the
    members on the award date), whatever `lead` and `partners` say.

    `actor` None is the system (the demo seed); a person must manage the round's programme.
    Returns are scheduled only for a live award: a completed one reported outside the service.
    It commits money like any award, so it is refused past the round's budget (under the round lock).
    """
    if actor is not None and not gperms.can_manage_programme(actor, round.programme):
        raise AwardError("Only the programme's manager or an administrator can enter an award")
    amount, match_funding = to_pounds(amount), to_pounds(match_funding or 0)
    if partnership is not None:
        lead, partners = partnership.lead, []
    partners = [p for p in partners if p.pk != lead.pk]
    errors = historic_award_refusals(
        round=round, title=title, amount=amount, match_funding=match_funding, status=status,
        planned_start=planned_start, planned_end=planned_end, partnership=partnership,
    )  # fmt: skip
    if reference and Award.objects.filter(reference=reference).exists():
        errors["reference"] = f"An award with the reference {reference} already exists"
    round = round_lock(round.pk)  # one writer of committed money at a time per round
    holds = historic_holds(amount, status)
    if "amount" not in errors and (refusal := budget_refusal(round, round_committed(round=round), holds)):
        errors["amount"] = refusal
    if errors:
        raise AwardError(errors)
    award = historic_award_new(
        round=round, lead=lead, title=title, scope=scope, amount=amount, match_funding=match_funding, status=status,
        award_date=award_date, planned_start=planned_start, planned_end=planned_end, partnership=partnership,
        actor=actor, reference=reference or _next_historic_reference(),
    )  # fmt: skip
    award.save(force_insert=True)
    if partners:  # a new award has none to remove: no query when there are none to add
        award.partners.set(partners)
    if partnership is not None:
        partnership_awards_sync(partnership)
    historic_first_tranche(award).save(force_insert=True)
    if status in Award.LIVE:
        returns_create(award=award)
    historic_award_audit(award).save(force_insert=True)
    return award


# The rules of a historic award, shared by award_create_historic (one award) and the history
# import's bulk path (grants.awards.imports.creating), so the two can never disagree.


def historic_award_refusals(
    *, round, title: str, amount: Decimal, match_funding: Decimal, status: str, planned_start, planned_end, partnership
) -> dict[str, str]:
    """What is wrong with a historic award's own values (amounts in pounds), by field: the checks
    that need no query. The reference and the budget are checked by the caller."""
    errors = {}
    if amount <= 0:
        errors["amount"] = "The award amount must be more than £0"
    if not title.strip():
        errors["title"] = "Enter the project title"
    if match_funding < 0:
        errors["match_funding"] = "Match funding must be £0 or more"
    if status not in AwardStatus.values:
        errors["status"] = "Choose the award's status"
    if planned_start and planned_end and planned_end < planned_start:
        errors["planned_end"] = "The planned end must be the same as or after the planned start"
    if partnership is not None and partnership.programme_id != round.programme_id:
        errors["partnership"] = f"{partnership} is a partnership of another programme"
    return errors


def historic_holds(amount: Decimal, status: str) -> Decimal:
    """What a new historic award commits: its amount while it stands; terminated: nothing paid yet,
    so nothing kept."""
    return amount if status in HOLDING else Decimal("0.00")


def budget_refusal(round, committed: Decimal, holds: Decimal) -> str:
    """Why adding `holds` to the round's `committed` money (read under the round lock) is refused,
    or "" when the budget allows it."""
    if holds and committed + holds > round.budget:
        return (
            f"This award would commit {pounds(committed + holds)} in {round.name}, more than its budget of "
            f"{pounds(round.budget)} ({pounds(committed)} is already committed)"
        )
    return ""


def historic_award_new(*, round, lead, title: str, actor, status: str, **values) -> Award:
    """The historic award to save (unsaved), the values checked."""
    return Award(
        round=round, lead=lead, title=title.strip(), status=status, status_changed_at=timezone.now(),
        is_historic=True, created_by=actor if getattr(actor, "is_authenticated", False) else None, **values,
    )  # fmt: skip


def historic_first_tranche(award: Award) -> PaymentTranche:
    """A new historic award's one tranche for its whole amount (unsaved)."""
    return PaymentTranche(award=award, number=1, amount=award.amount, due_on=award.planned_start or award.award_date)


def historic_award_audit(award: Award):
    """The audit row (unsaved, `audit_event`) of a new historic award (saved)."""
    return audit_event(
        actor=award.created_by,
        action="award.historic",
        target=award,
        summary=f"Entered historic award {award.reference}: {pounds(award.amount)}, "
        f"{award.get_status_display().lower()}",
        data={"status": award.status, "amount": str(award.amount), "award_date": str(award.award_date)},
    )


def award_transition(*, award: Award, to: str, actor, reason: str = "", action: str | None = None) -> Award:
    """Move an award along `Award.TRANSITIONS` (through `transition`), refusing any variation
    still waiting when the award ends. Callers hold a transaction and the award's row lock."""
    transition(award, to=to, actor=actor, reason=reason, action=action, error=AwardError)
    if not award.TRANSITIONS.get(to):
        _refuse_pending_variations(award=award, actor=actor, status=AwardStatus(to).label.lower())
    return award


def _refuse_pending_variations(*, award: Award, actor, status: str) -> None:
    """An award that has ended cannot change, so a request still waiting is refused, not left open."""
    pending = Variation.objects.select_for_update().filter(award=award, status=VariationStatus.PENDING)
    reason = f"The award was {status} before a decision"
    for v in pending:
        transition(
            v,
            to=VariationStatus.REFUSED,
            actor=actor,
            action="variation.refused",
            target=award,
            summary=f"{v.get_kind_display()}: {reason}",
            data={"variation": v.pk},
            fields={"decided_by": None, "decided_at": timezone.now(), "decision_reason": reason},
            error=AwardError,
        )


def returns_create(*, award: Award) -> int:
    """Give a live award one return per period in its round's schedule (idempotent)."""
    have = set(award.returns.values_list("period_id", flat=True))
    rows = due_returns(award=award, periods=award.round.return_periods.all(), have=have)
    MonitoringReturn.objects.bulk_create(rows)
    return len(rows)


def due_returns(*, award: Award, periods, have=frozenset()) -> list[MonitoringReturn]:
    """The returns (unsaved) a live award is owed for `periods` (its round's schedule), but for
    those it `have`s (period ids): returns_create's rows, and the history import's for many awards."""
    return [MonitoringReturn(award=award, period=p) for p in periods if p.pk not in have]


def acceptance_overdue(award: Award, today: date | None = None) -> bool:
    """An offer still open after its reply-by date: the manager must extend the date first."""
    today = today or timezone.localdate()
    return award.status == A.OFFERED and award.respond_by is not None and award.respond_by < today


@transaction.atomic
def award_accept(
    *, award: Award, actor: User, name: str, role: str, confirm_terms: bool, terms_digest: str = ""
) -> Award:
    """An authorised signatory of the lead council accepts the offer and its terms.

    Refused after the reply-by date (deadlines are the server's). The terms as they stand are
    stored on the award; `terms_digest`, when given, must match them, so terms the programme
    manager changed while the signatory was reading are never accepted unseen.
    """
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not perms.can_accept(actor, award):
        raise AwardError("Only an authorised signatory of the lead council can accept this offer")
    if acceptance_overdue(award):
        raise AwardError(
            f"The offer had to be accepted by {award.respond_by:%-d %B %Y}. "
            "Ask the programme manager to extend the reply-by date"
        )
    if not confirm_terms:
        raise AwardError({"confirm_terms": "Confirm that your council accepts the terms of the offer"})
    if not name.strip():
        raise AwardError({"name": "Enter your full name"})
    if not role.strip():
        raise AwardError({"role": "Enter your job title"})
    accepted = offer_terms.snapshot(award)
    if terms_digest and terms_digest != offer_terms.digest(accepted):
        raise AwardError("The terms of the offer changed while you were reading them. Read them again, then accept")
    award_transition(award=award, to=A.ACCEPTED, actor=actor, reason=f"Accepted by {name.strip()}, {role.strip()}")
    award.accepted_by = actor
    award.accepted_at = timezone.now()
    award.accepted_name = name.strip()[:150]
    award.accepted_role = role.strip()[:150]
    award.accepted_terms = accepted
    award.save(
        update_fields=["accepted_by", "accepted_at", "accepted_name", "accepted_role", "accepted_terms", "updated_at"]
    )
    returns_create(award=award)
    notify_people(
        people=[*lead_officers(award), *programme_managers(award)],
        event="award_accepted",
        award=award,
        key=str(award.pk),
        accepted_by=award.accepted_name,
    )
    return award


@transaction.atomic
def offer_terms_set(
    *, award: Award, actor: User, conditions: str, respond_by: date, match_funding: Decimal | None = None
) -> Award:
    """The programme manager sets the offer's conditions, match funding and reply-by date while it
    is offered (extending the date re-opens acceptance of an overdue offer). Match funding left
    out keeps what the award has (the bid's figure, when it came from a bid)."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not perms.can_manage(actor, award):
        raise AwardError("Only the programme's manager can change the terms of the offer")
    if award.status != A.OFFERED:
        raise AwardError("The terms can only be changed while the award is offered")
    if respond_by is None:
        raise AwardError({"respond_by": "Enter the reply-by date"})
    if respond_by != award.respond_by and respond_by < timezone.localdate():
        raise AwardError({"respond_by": "The reply-by date must be today or in the future"})
    if respond_by < award.award_date:
        raise AwardError({"respond_by": "The reply-by date must be on or after the award date"})
    if match_funding is not None and match_funding < 0:
        raise AwardError({"match_funding": "Match funding must be £0 or more"})
    old = {
        "conditions": award.conditions,
        "respond_by": str(award.respond_by or ""),
        "match_funding": str(award.match_funding),
    }
    award.conditions = conditions.strip()
    award.respond_by = respond_by
    if match_funding is not None:
        award.match_funding = to_pounds(match_funding)
    award.save(update_fields=["conditions", "respond_by", "match_funding", "updated_at"])
    audit_record(
        actor=actor,
        action="award.offer_terms",
        target=award,
        summary=f"Offer terms changed; reply by {respond_by:%-d %B %Y}",
        data={"previous": old},
    )
    return award


@transaction.atomic
def award_decline(*, award: Award, actor: User, reason: str) -> Award:
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not perms.can_accept(actor, award):
        raise AwardError("Only an authorised signatory of the lead council can decline this offer")
    return _end_with_reason(
        award=award,
        actor=actor,
        to=A.DECLINED,
        reason=reason,
        missing="Enter why your council is declining the offer",
        tell=programme_managers,
        event="award_declined",
        key=str(award.pk),
    )


@transaction.atomic
def award_end(*, award: Award, actor: User, to: str, reason: str) -> Award:
    """The programme manager withdraws an offer or terminates an award, with a reason."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not perms.can_manage(actor, award):
        raise AwardError("Only the programme's manager can do this")
    if to not in (A.WITHDRAWN, A.TERMINATED):
        raise AwardError({"to": "Choose withdraw or terminate"})
    return _end_with_reason(
        award=award,
        actor=actor,
        to=to,
        reason=reason,
        missing="Enter a reason",
        tell=lead_officers,
        event="award_ended",
        key=f"{award.pk}:{to}",
        status=AwardStatus(to).label.lower(),
    )


def _end_with_reason(
    *, award: Award, actor: User, to: str, reason: str, missing: str, tell, event: str, key: str, **extra
) -> Award:
    """Ending an award is never silent: the other side is told why, in the words recorded with
    the change, so a blank reason is refused. Callers hold the award's row lock."""
    if not reason.strip():
        raise AwardError({"reason": missing})
    award_transition(award=award, to=to, actor=actor, reason=reason.strip())
    notify_people(people=tell(award), event=event, award=award, key=key, reason=reason.strip(), **extra)
    return award


@transaction.atomic
def closure_submit(
    *, award: Award, actor: User, closure_report: str, case_study: str, projected: dict | None = None
) -> Award:
    """The lead council sends its end-of-project report and case study; in a round that asks for
    benefits returns, with the benefits it expects (`projected`: savings, income, costs_avoided)."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not perms.can_edit(actor, award):
        raise AwardError("Only the lead council can send the end-of-project report")
    if award.status != A.ACTIVE:
        raise AwardError("The end-of-project report can be sent once the award is active")
    if not closure_report.strip():
        raise AwardError("Enter the end-of-project report")
    if projected is not None and award.round.benefits_years:
        benefits_projection_record(award=award, actor=actor, **projected, source="the end-of-project report")
    award.closure_report = closure_report.strip()
    award.case_study = case_study.strip()
    award.closure_report_count += 1
    award.save(update_fields=["closure_report", "case_study", "closure_report_count", "updated_at"])
    audit_record(actor=actor, action="award.closure_report", target=award, summary="End-of-project report sent")
    notify_people(
        people=programme_managers(award),
        event="closure_report_sent",
        award=award,
        key=f"{award.pk}:{award.closure_report_count}",
    )
    return award


@transaction.atomic
def award_close(*, award: Award, actor: User) -> Award:
    """The programme manager closes an award whose report is in: completed. The one place an
    award completes, so the one place its benefits returns are scheduled."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not perms.can_manage(actor, award):
        raise AwardError("Only the programme's manager can close an award")
    if not award.closure_report:
        raise AwardError("The council has not sent its end-of-project report yet")
    award_transition(award=award, to=A.COMPLETED, actor=actor, reason="Closed after the end-of-project report")
    award.closed_at = timezone.now()
    award.save(update_fields=["closed_at", "updated_at"])
    benefits_schedule_create(award=award)  # the years of benefits returns the round asks for
    notify_people(people=lead_officers(award), event="award_closed", award=award, key=str(award.pk))
    return award
