"""Submission and what follows it: return for changes, withdrawal, ineligibility, extensions."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from grants.core.audit import audit_record
from grants.core.dates import govuk_when, govuk_when_exact
from grants.core.transitions import transition
from grants.models import Organisation, Round, User
from grants.people_selectors import council_officers, programme_managers

from .. import selectors
from ..models import Bid, BidPartner, BidStage, BidStatus, Extension, OtherPartner, PartnerStatus
from .bids import details_errors
from .common import BidError, bid_facts, bid_notify, bid_url, officers_of
from .eligibility import ensure_before_deadline, partner_problems

S = BidStatus

# -- Submission and afterwards ---------------------------------------------------------------------


def submission_problems(
    *,
    bid: Bid,
    now=None,
    tasks: list[selectors.SectionProgress] | None = None,
    partners: list[BidPartner] | None = None,
    other_partners: list[OtherPartner] | None = None,
) -> list[str]:
    """Everything that stops this bid being submitted now, in plain words.

    A page showing the bid has already read its task list (`selectors.task_list(bid=bid)`), its
    partners (with their organisations) and its other partners, and passes them in so they are
    not read again. Whatever acts on the answer (submit_bid, under the bid's lock) passes none:
    what it judges is read here, fresh."""
    if partners is None:
        partners = list(bid.partners.select_related("organisation"))
    problems = []
    try:
        ensure_before_deadline(bid, now)
    except BidError as exc:
        problems.append(exc.messages[0])
    errors = details_errors(
        round=bid.round,
        amount_requested=bid.amount_requested,
        match_funding=bid.match_funding,
        planned_start=bid.planned_start,
        planned_end=bid.planned_end,
    )
    problems += list(errors.values())
    if not bid.planned_start or not bid.planned_end:
        problems.append("Enter the planned start and end dates in the bid details")
    for partner in partners:
        if partner.status == PartnerStatus.REQUESTED:
            problems.append(
                f"{partner.organisation.short_name} has not yet confirmed it is a partner: wait, or remove it"
            )
        elif partner.status == PartnerStatus.DECLINED:
            problems.append(f"{partner.organisation.short_name} declined to be a partner: remove it")
    problems += partner_problems(
        round=bid.round,
        lead_id=bid.lead_id,
        organisations=[p.organisation for p in partners],
        others=bid.other_partners.count() if other_partners is None else len(other_partners),
    )
    for section in selectors.task_list(bid=bid) if tasks is None else tasks:
        for question in section.missing:
            problems.append(f"Answer '{question.text}' in {section.section.title}")
    return problems


def _allocate_reference(bid: Bid) -> None:
    """Number bids in submission order within the round. Locking the round row serialises
    concurrent submitters (PostgreSQL); the unique constraints are the backstop."""
    Round.objects.select_for_update().filter(pk=bid.round_id).first()
    last = Bid.objects.filter(round_id=bid.round_id).aggregate(m=Max("reference_number"))["m"] or 0
    bid.reference_number = last + 1
    bid.reference = f"{bid.round.reference_prefix}-{bid.reference_number:06d}"


def _repeat_of_a_submission(bid: Bid, seen_submissions: int | None) -> bool:
    """Whether this submit repeats one that already went through: a double click, two tabs, or a
    browser or load balancer retrying after the connection dropped before the confirmation came
    back (on deadline day, an app server lost mid-request). Judged on the locked, fresh bid, so
    of two submits racing only the first submits. A repeat is answered with the bid as it is: the
    same reference and receipt, no second email, and no deadline check (the first was judged when
    it arrived). `seen_submissions` is the form's idempotency key (the bid's submission count
    when the page was shown): if the bid was submitted since and is no longer submitted (returned
    for changes meanwhile), the page is stale and is refused rather than submitting what it did not show."""
    if bid.status == S.SUBMITTED:
        return True
    if seen_submissions is not None and bid.submission_count > seen_submissions:
        raise BidError("This bid has changed since this page was opened. Check your answers and submit again.")
    return False


@transaction.atomic
def submit_bid(
    *,
    bid: Bid,
    actor: User,
    declaration_name: str,
    declaration_role: str,
    now=None,
    seen_submissions: int | None = None,
) -> Bid:
    now = now or timezone.now()
    Bid.objects.select_for_update().filter(pk=bid.pk).first()  # one submitter at a time for this bid
    bid.refresh_from_db()
    from ..permissions import is_bid_editor

    if not is_bid_editor(actor, bid):
        raise BidError("Only the officers working on this bid can submit it.")
    if _repeat_of_a_submission(bid, seen_submissions):
        from notifications.services import requeue_queued

        # The first may have committed on a server that died before queuing the receipt's task.
        requeue_queued(dedupe_prefix=f"{_receipt_key(bid)}:")  # bid_notify adds ":<recipient>"
        return bid
    errors = {}
    if not declaration_name.strip():
        errors["declaration_name"] = "Enter the name of the senior officer who approved this bid"
    if not declaration_role.strip():
        errors["declaration_role"] = "Enter the senior officer's job title"
    if errors:
        raise BidError(errors)
    problems = submission_problems(bid=bid, now=now)
    if problems:
        raise BidError(problems)
    if bid.reference is None:
        _allocate_reference(bid)
    bid.submitted_at = now
    if bid.stage == BidStage.EOI:
        bid.eoi_submitted_at = now
    bid.submission_count += 1
    bid.declaration_name, bid.declaration_role, bid.declared_by = (
        declaration_name.strip(),
        declaration_role.strip(),
        actor,
    )
    bid.save()
    # The moment received is what the deadline was judged on, and what an appeal would be judged
    # on: kept in the history to the second, beside when the service recorded it.
    transition(
        bid,
        to=S.SUBMITTED,
        actor=actor,
        error=BidError,
        summary=f"Submitted, received {govuk_when_exact(now)}",
        data={"received_at": now.isoformat()},
    )
    bid_notify(
        bid=bid,
        programme=bid.round.programme_id,
        recipients=officers_of(bid.lead_id),
        event="bid_submitted",
        context={
            "reference": bid.reference,
            "round_name": bid.round.name,
            "organisation_name": bid.lead.short_name,
            "submitted_at": govuk_when_exact(now),
            "is_eoi": bid.stage == BidStage.EOI,
        },
        dedupe_key=_receipt_key(bid),
        url=bid_url(bid),
    )
    return bid


def _receipt_key(bid: Bid) -> str:
    """The receipt's dedupe key: one receipt per submission of the bid."""
    return f"bid_submitted:{bid.pk}:{bid.submission_count}"


def _require_reason(reason: str, what: str) -> str:
    if not reason.strip():
        raise BidError({"reason": f"Enter the reason {what}"})
    return reason.strip()


@transaction.atomic
def return_bid(*, bid: Bid, actor: User, reason: str) -> Bid:
    return _refuse_with_reason(
        bid=bid,
        actor=actor,
        reason=reason,
        to=S.RETURNED,
        refused="Only the programme's managers can return a bid.",
        asking="for returning the bid",
        event="bid_returned",
        dedupe_key=f"bid_returned:{bid.pk}:{bid.submission_count}",
    )


def _refuse_with_reason(
    *, bid: Bid, actor: User, reason: str, to: str, refused: str, asking: str, event: str, dedupe_key: str
) -> Bid:
    """Returning a bid and marking it ineligible are one act in different words: only the
    programme's managers may do it, they must say why, and the lead council is told the reason."""
    from ..permissions import can_manage_bid

    if not can_manage_bid(actor, bid):
        raise BidError(refused)
    reason = _require_reason(reason, asking)
    transition(bid, to=to, actor=actor, action=f"bid.{to}", reason=reason, error=BidError)
    bid_notify(
        bid=bid,
        programme=bid.round.programme_id,
        recipients=officers_of(bid.lead_id),
        event=event,
        context={
            "reference": bid.reference,
            "round_name": bid.round.name,
            "reason": reason,
        },
        dedupe_key=dedupe_key,
        url=bid_url(bid),
    )
    return bid


@transaction.atomic
def withdraw_bid(*, bid: Bid, actor: User, reason: str) -> Bid:
    from ..permissions import can_withdraw_bid

    if not can_withdraw_bid(actor, bid):
        raise BidError("This bid cannot be withdrawn now.")
    reason = _require_reason(reason, "for withdrawing")
    transition(bid, to=S.WITHDRAWN, actor=actor, reason=reason, error=BidError)
    bid_notify(
        bid=bid,
        programme=bid.round.programme_id,
        recipients=_withdrawal_audience(bid),
        event="bid_withdrawn",
        context={**bid_facts(bid), "reason": reason},
        dedupe_key=f"bid_withdrawn:{bid.pk}",
        url=bid_url(bid),
    )
    return bid


def _withdrawal_audience(bid: Bid) -> list[User]:
    """Confirmed partners' officers (their council's part ends) and the programme's managers
    (the round's figures change); the lead council withdrew, so it already knows."""
    partner_orgs = bid.partners.filter(status=PartnerStatus.CONFIRMED).values("organisation_id")
    partners = council_officers(organisation_ids=partner_orgs)
    managers = programme_managers(programme_id=bid.round.programme_id)
    return list((partners | managers).distinct().order_by("pk"))


@transaction.atomic
def mark_ineligible(*, bid: Bid, actor: User, reason: str) -> Bid:
    return _refuse_with_reason(
        bid=bid,
        actor=actor,
        reason=reason,
        to=S.INELIGIBLE,
        refused="Only the programme's managers can mark a bid ineligible.",
        asking="the bid is ineligible",
        event="bid_ineligible",
        dedupe_key=f"bid_ineligible:{bid.pk}",
    )


@transaction.atomic
def grant_extension(
    *, round: Round, organisation: Organisation, new_deadline: datetime, reason: str, actor: User
) -> Extension:
    from grants.permissions import can_manage_programme

    if not can_manage_programme(actor, round.programme):
        raise BidError("Only the programme's managers can grant an extension.")
    reason = _require_reason(reason, "for the extension")
    if new_deadline <= round.closes_at:
        raise BidError({"new_deadline": "The new deadline must be after the round's closing time"})
    ext, _ = Extension.objects.update_or_create(
        round=round,
        organisation=organisation,
        defaults={"new_deadline": new_deadline, "reason": reason, "granted_by": actor},
    )
    Bid.objects.filter(round=round, lead=organisation).update(extended_deadline=new_deadline)
    audit_record(
        actor=actor,
        action="round.extension_granted",
        target=round,
        summary=f"{organisation.short_name} until {govuk_when(new_deadline)}: {reason}",
        data={"organisation": organisation.pk, "new_deadline": new_deadline.isoformat()},
    )
    for bid in Bid.objects.filter(round=round, lead=organisation).order_by("pk"):
        audit_record(
            actor=actor,
            action="bid.extension_granted",
            target=bid,
            summary=f"Deadline extended to {govuk_when(new_deadline)}",
        )
    _notify_extension(ext=ext, round=round, organisation=organisation)
    return ext


def _notify_extension(*, ext: Extension, round: Round, organisation: Organisation) -> None:
    """One message per live bid, naming it (reference, or title for a draft) and linking to it;
    a council with no bid yet is sent to the round's start page. The deadline is in the dedupe
    key, so granting the same extension twice sends nothing new but a later deadline does."""
    stamp = f"{ext.new_deadline.timestamp():.0f}"
    common = {
        "round_name": round.name,
        "new_deadline": govuk_when(ext.new_deadline),
    }
    bids = Bid.objects.live().filter(round=round, lead=organisation).order_by("pk")
    messages = [(bid, {**common, "reference": bid.reference or bid.title}, bid.pk, bid_url(bid)) for bid in bids] or [
        (None, common, "start", reverse("applications:bid_start", args=[round.slug]))
    ]
    officers = list(officers_of(organisation.pk))
    for bid, context, about, url in messages:
        bid_notify(
            bid=bid,
            programme=round.programme_id,
            recipients=officers,
            event="extension_granted",
            context=context,
            dedupe_key=f"extension_granted:{ext.pk}:{about}:{stamp}",
            url=url,
        )
