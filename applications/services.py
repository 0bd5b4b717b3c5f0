"""Writes for bids: start, answer, partners, evidence, submit, return, withdraw, ineligible, extensions.

Each function checks the rule, changes rows inside one transaction, leaves an audit event and
queues any notification, so views stay thin and the rules are tested in one place.
"""

import logging
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from grants.dates import govuk_when
from grants.models import Organisation, Round, User
from grants.services import audit_record

from .answers import clean_answer
from .models import (
    PARTNER_KINDS,
    Answer,
    Bid,
    BidPartner,
    BidStatus,
    EvidenceFile,
    Extension,
    PartnerStatus,
    Question,
    Section,
)
from .uploads import check_upload

S = BidStatus
logger = logging.getLogger(__name__)


class BidError(ValidationError):
    """A rule refused the change. The message is written for the council or officer to read."""


def _notify(*, recipients, event: str, context: dict, dedupe_key: str, url: str = "", programme: int | None) -> None:
    """One message per officer; the dedupe key carries the user so each gets it once. The
    programme lets its managers see and resend the email if it fails."""
    from notifications.services import notify

    for user in recipients:
        notify(
            recipient=user,
            event=event,
            context=context,
            dedupe_key=f"{dedupe_key}:{user.pk}",
            url=url,
            programme=programme,
        )


def _officers(organisation_id: int):
    """The council's officers and signatories (not, say, an assessor who works there)."""
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, org_role__in=["officer", "signatory"]
    ).order_by("pk")


def _bid_editors(bid: Bid) -> list[User]:
    """The lead council's officers and the bid's collaborators: whoever acts on news about the bid."""
    people = {u.pk: u for u in _officers(bid.lead_id)}
    people.update({u.pk: u for u in bid.collaborators.filter(is_active=True, organisation_id=bid.lead_id)})
    return [people[pk] for pk in sorted(people)]


def _bid_url(bid: Bid) -> str:
    return reverse("applications:bid_detail", args=[bid.pk])


def _bid_facts(bid: Bid) -> dict[str, str]:
    """What a message about a bid names it by: reference (none for a draft), round, lead, title."""
    return {
        "reference": bid.reference or "",
        "round_name": bid.round.name,
        "organisation_name": bid.lead.short_name,
        "title": bid.title,
    }


# -- Transitions -----------------------------------------------------------------------------


def apply_transition(*, bid: Bid, to: str, actor: User | None, reason: str = "", action: str | None = None) -> Bid:
    """The one place a bid's status changes; Bid.TRANSITIONS says what may follow what."""
    if not bid.can_transition(to):
        raise BidError(f"A bid that is {bid.get_status_display().lower()} cannot become {S(to).label.lower()}.")
    previous = bid.status
    bid.status = to
    bid.status_reason = reason
    bid.status_changed_at = timezone.now()
    bid.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=action or f"bid.{to}",
        target=bid,
        summary=f"{S(previous).label} to {S(to).label}" + (f": {reason}" if reason else ""),
        data={"from": previous, "to": to, "reason": reason},
    )
    return bid


# -- Eligibility and deadlines ----------------------------------------------------------------


def extension_for(*, round: Round, organisation_id: int | None) -> Extension | None:
    if organisation_id is None:
        return None
    return Extension.objects.filter(round=round, organisation_id=organisation_id).first()


def bid_eligibility(*, round: Round, organisation: Organisation | None, now=None) -> list[str]:
    """Round rules from grants plus bidding's own: one live bid per lead, deadlines with extensions."""
    from grants.selectors import round_eligibility

    now = now or timezone.now()
    reasons = round_eligibility(round=round, organisation=organisation, now=now)
    if organisation is None:
        return reasons
    ext = extension_for(round=round, organisation_id=organisation.pk)
    closed_msg = "This round is not open for bids."
    if ext and closed_msg in reasons and round.published and round.opens_at <= now < ext.new_deadline:
        if not round.assessment_started_at and not round.decided_at:
            reasons.remove(closed_msg)
    live = Bid.objects.live().filter(round=round, lead=organisation).first()
    if live:
        reasons.append(
            f"{organisation.short_name} already has a bid in this round ({live.reference or live.title}). "
            "A council may lead one bid per round; withdraw it first to start another."
        )
    return reasons


def partner_problems(*, round: Round, lead_id: int, organisations: list[Organisation]) -> list[str]:
    problems = []
    if organisations and not round.joint_bids_allowed:
        problems.append("This round does not accept joint bids. Remove the partners to apply alone.")
    elif len(organisations) > round.max_partners:
        problems.append(f"This round allows at most {round.max_partners} partners.")
    if any(o.pk == lead_id for o in organisations):
        problems.append("Your own council cannot also be a partner.")
    for org in organisations:
        if org.end_date is not None:
            problems.append(f"{org.short_name} no longer exists as a council.")
        elif org.kind not in PARTNER_KINDS:
            problems.append(
                f"{org.short_name} cannot be a partner: partners must be councils or other public bodies, "
                "such as a fire and rescue service or a police force."
            )
        elif round.england_only and org.nation != "England":
            problems.append(f"{org.short_name} cannot be a partner: this round is for organisations in England only.")
    return problems


def ensure_before_deadline(bid: Bid, now=None) -> None:
    """Drafts change only before the deadline; returned bids stay open until resubmitted."""
    now = now or timezone.now()
    if bid.status == S.DRAFT and now >= bid.deadline:
        raise BidError(
            f"This round closed at {govuk_when(bid.deadline)}, so the bid can no longer be changed or submitted. "
            "Your draft, as last saved, has been kept. Contact the programme team if you need an extension."
        )


def ensure_editable(bid: Bid, actor: User, now=None) -> None:
    from .permissions import can_edit_bid

    if not can_edit_bid(actor, bid):
        raise BidError("This bid cannot be changed.")
    ensure_before_deadline(bid, now)


def lock_editable(bid: Bid, actor: User, now=None) -> Bid:
    """The bid's row as it is now, locked until the transaction ends, and still editable.

    The bid a view loaded may be stale: a colleague may have submitted it (or a manager returned
    it) since. Locking the row serialises this change with submit_bid, and checking the fresh
    row means a change never lands on, or undoes, a submission. Call inside a transaction.
    """
    fresh = (
        Bid.objects.select_for_update(of=("self",)).select_related("round", "round__programme", "lead").get(pk=bid.pk)
    )
    ensure_editable(fresh, actor, now)
    return fresh


# -- Details ----------------------------------------------------------------------------------


def details_errors(
    *,
    round: Round,
    amount_requested: Decimal,
    match_funding: Decimal,
    planned_start: date | None,
    planned_end: date | None,
) -> dict[str, str]:
    errors = {}
    if amount_requested is not None and not (round.min_award <= amount_requested <= round.max_award):
        errors["amount_requested"] = (
            f"Amount requested must be between £{round.min_award:,.2f} and £{round.max_award:,.2f}"
        )
    if amount_requested is not None and match_funding is not None and round.match_funding_percent:
        least = (amount_requested * round.match_funding_percent / 100).quantize(Decimal("0.01"))
        if match_funding < least:
            errors["match_funding"] = (
                f"Match funding must be at least £{least:,.2f} ({round.match_funding_percent:g}% of the amount requested)"
            )
    if planned_start and planned_end and planned_end < planned_start:
        errors["planned_end"] = "Planned end must be the same as or after the planned start"
    return errors


DETAIL_FIELDS = ("title", "summary", "amount_requested", "match_funding", "planned_start", "planned_end")


def details_complete(bid: Bid) -> bool:
    """The task list's "Bid details" is completed only when submission would accept them."""
    if not (bid.title and bid.summary and bid.planned_start and bid.planned_end):
        return False
    return not details_errors(round=bid.round, **{k: getattr(bid, k) for k in DETAIL_FIELDS[2:]})


@transaction.atomic
def start_bid(*, round: Round, actor: User, partners: list[Organisation] = (), now=None, **details) -> Bid:
    now = now or timezone.now()
    organisation = actor.organisation
    reasons = bid_eligibility(round=round, organisation=organisation, now=now)
    reasons += partner_problems(
        round=round, lead_id=organisation.pk if organisation else 0, organisations=list(partners)
    )
    if reasons:
        raise BidError(reasons)
    errors = details_errors(round=round, **{k: details.get(k) for k in DETAIL_FIELDS[2:]})
    if errors:
        raise BidError(errors)
    ext = extension_for(round=round, organisation_id=organisation.pk)
    try:
        with transaction.atomic():
            bid = Bid.objects.create(
                round=round,
                lead=organisation,
                created_by=actor,
                extended_deadline=ext.new_deadline if ext else None,
                **{k: details[k] for k in DETAIL_FIELDS if k in details},
            )
    except IntegrityError as exc:
        raise BidError(f"{organisation.short_name} already has a bid in this round.") from exc
    audit_record(actor=actor, action="bid.started", target=bid, summary=f"Started {bid.title}")
    for org in partners:
        _add_partner(bid=bid, actor=actor, organisation=org)
    return bid


@transaction.atomic
def update_bid_details(*, bid: Bid, actor: User, now=None, **details) -> Bid:
    bid = lock_editable(bid, actor, now)
    merged = {k: details.get(k, getattr(bid, k)) for k in DETAIL_FIELDS}
    errors = details_errors(round=bid.round, **{k: merged[k] for k in DETAIL_FIELDS[2:]})
    if errors:
        raise BidError(errors)
    changed = [k for k in DETAIL_FIELDS if getattr(bid, k) != merged[k]]
    for k in DETAIL_FIELDS:
        setattr(bid, k, merged[k])
    bid.save(update_fields=[*DETAIL_FIELDS, "updated_at"])
    if changed:
        audit_record(actor=actor, action="bid.details_changed", target=bid, summary=f"Changed {', '.join(changed)}")
    return bid


# -- Partners and collaborators -------------------------------------------------------------------


def _add_partner(*, bid: Bid, actor: User, organisation: Organisation) -> BidPartner:
    partner, created = BidPartner.objects.get_or_create(bid=bid, organisation=organisation)
    if not created and partner.status == PartnerStatus.DECLINED:
        partner.status = PartnerStatus.REQUESTED
        partner.decline_reason = ""
        partner.save()
    audit_record(
        actor=actor, action="bid.partner_added", target=bid, summary=f"Asked {organisation.short_name} to partner"
    )
    url = reverse("applications:partner_respond", args=[bid.pk])
    _notify(
        programme=bid.round.programme_id,
        recipients=_officers(organisation.pk),
        event="partner_confirmation_requested",
        context={
            "bid_title": bid.title,
            "round_name": bid.round.name,
            "organisation_name": organisation.short_name,
            "partner_name": organisation.short_name,
            "lead_name": bid.lead.short_name,
        },
        dedupe_key=f"partner_confirmation_requested:{partner.pk}:{partner.requested_at:%s}",
        url=url,
    )
    return partner


@transaction.atomic
def add_partner(*, bid: Bid, actor: User, organisation: Organisation, now=None) -> BidPartner:
    bid = lock_editable(bid, actor, now)
    current = [
        p.organisation for p in bid.partners.select_related("organisation") if p.organisation_id != organisation.pk
    ]
    problems = partner_problems(round=bid.round, lead_id=bid.lead_id, organisations=[*current, organisation])
    if problems:
        raise BidError(problems)
    return _add_partner(bid=bid, actor=actor, organisation=organisation)


@transaction.atomic
def remove_partner(*, bid: Bid, actor: User, partner: BidPartner, now=None) -> None:
    bid = lock_editable(bid, actor, now)
    if partner.bid_id != bid.pk:
        raise BidError("That partner is not on this bid.")
    name = partner.organisation.short_name
    partner.delete()
    audit_record(actor=actor, action="bid.partner_removed", target=bid, summary=f"Removed partner {name}")


@transaction.atomic
def respond_to_partner(*, partner: BidPartner, actor: User, confirm: bool, reason: str = "") -> BidPartner:
    """A partner council's officer confirms or declines; the lead's officers hear either way."""
    if actor.organisation_id != partner.organisation_id:
        raise BidError("Only an officer of the partner council can answer this request.")
    if not partner.bid.is_editable_status:
        raise BidError("This bid has been submitted or closed, so its partners cannot change.")
    if not confirm and not reason.strip():
        raise BidError({"reason": "Enter why your council is declining"})
    partner.status = PartnerStatus.CONFIRMED if confirm else PartnerStatus.DECLINED
    partner.confirmed_by = actor
    partner.confirmed_at = timezone.now()
    partner.decline_reason = "" if confirm else reason.strip()
    partner.save()
    verb = "confirmed" if confirm else "declined"
    bid = partner.bid
    audit_record(
        actor=actor,
        action=f"bid.partner_{verb}",
        target=bid,
        summary=f"{partner.organisation.short_name} {verb}" + (f": {reason}" if reason else ""),
    )
    _notify(
        programme=bid.round.programme_id,
        recipients=_bid_editors(bid),
        event="partner_responded",
        context={
            **_bid_facts(bid),
            "partner_name": partner.organisation.short_name,
            "response": verb,
            "reason": partner.decline_reason,
        },
        dedupe_key=f"partner_responded:{partner.pk}:{verb}:{partner.confirmed_at.timestamp():.6f}",
        url=_bid_url(bid),
    )
    return partner


@transaction.atomic
def add_collaborator(*, bid: Bid, actor: User, user: User) -> None:
    bid = lock_editable(bid, actor)
    if user.organisation_id != bid.lead_id:
        raise BidError({"email": "Collaborators must work for the lead council"})
    bid.collaborators.add(user)
    audit_record(actor=actor, action="bid.collaborator_added", target=bid, summary=f"Added {user.email}")


@transaction.atomic
def remove_collaborator(*, bid: Bid, actor: User, user: User) -> None:
    bid = lock_editable(bid, actor)
    if not bid.collaborators.filter(pk=user.pk).exists():
        raise BidError("That person is not a collaborator on this bid.")
    bid.collaborators.remove(user)
    audit_record(actor=actor, action="bid.collaborator_removed", target=bid, summary=f"Removed {user.email}")


# -- Answers and evidence --------------------------------------------------------------------------


@transaction.atomic
def save_section_answers(*, bid: Bid, actor: User, section: Section, data: dict[int, object], now=None) -> int:
    """Store every answer of one section, blank ones included (a cleared answer is cleared).

    Any invalid answer refuses the whole section so the page can show all errors at once;
    nothing saved earlier is touched. Returns how many answers changed.
    """
    bid = lock_editable(bid, actor, now)
    if section.round_id != bid.round_id:
        raise BidError("That section is not part of this round.")
    questions = [q for q in section.questions.all() if q.type != "file_upload"]
    errors, cleaned = {}, {}
    for q in questions:
        try:
            cleaned[q.pk] = clean_answer(q, data.get(q.pk))
        except ValidationError as exc:
            errors[f"q_{q.pk}"] = exc.messages[0]
    if errors:
        raise BidError(errors)
    existing = {a.question_id: a for a in Answer.objects.filter(bid=bid, question__in=questions)}
    changed = 0
    for q in questions:
        answer = existing.get(q.pk)
        if answer is None:
            Answer.objects.create(bid=bid, question=q, value=cleaned[q.pk], updated_by=actor)
            changed += 1
        elif answer.value != cleaned[q.pk]:
            answer.value, answer.updated_by = cleaned[q.pk], actor
            answer.save()
            changed += 1
    if changed:
        audit_record(actor=actor, action="bid.answers_saved", target=bid, summary=f"Saved {section.title}")
    return changed


@transaction.atomic
def upload_evidence(*, bid: Bid, actor: User, upload, question: Question | None = None, now=None) -> EvidenceFile:
    bid = lock_editable(bid, actor, now)
    if question is not None and (question.section.round_id != bid.round_id or question.type != "file_upload"):
        raise BidError("That question does not take files.")
    checked = check_upload(upload)
    evidence = EvidenceFile(
        bid=bid,
        question=question,
        original_name=upload.name[:255],
        content_type=checked.content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    try:
        evidence.file.save(upload.name, upload, save=False)
    except Exception as exc:  # the store is down or refused it (S3, disk): say so, keep no record
        logger.exception("Evidence upload for bid %s could not be stored", bid.pk)
        raise BidError("The file could not be stored just now. Nothing else was lost: try again later.") from exc
    evidence.save()
    audit_record(actor=actor, action="bid.evidence_uploaded", target=bid, summary=f"Uploaded {evidence.original_name}")
    return evidence


@transaction.atomic
def delete_evidence(*, bid: Bid, actor: User, evidence: EvidenceFile, now=None) -> None:
    bid = lock_editable(bid, actor, now)
    if evidence.bid_id != bid.pk:
        raise BidError("That file is not part of this bid.")
    name = evidence.original_name
    stored = evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: evidence.file.storage.delete(stored))
    audit_record(actor=actor, action="bid.evidence_deleted", target=bid, summary=f"Deleted {name}")


# Submission, return, withdrawal, ineligibility and extensions live in lifecycle.py.
from .lifecycle import (  # noqa: E402
    grant_extension,
    mark_ineligible,
    return_bid,
    submission_problems,
    submit_bid,
    withdraw_bid,
)

__all__ = [
    "grant_extension",
    "mark_ineligible",
    "return_bid",
    "submission_problems",
    "submit_bid",
    "withdraw_bid",
]
