"""Who may bid, with which partners, and until when: eligibility, extensions and the deadline."""

from datetime import datetime

from django.utils import timezone

from grants.core.dates import govuk_when
from grants.core.words import counted
from grants.models import Organisation, Round, User

from ..models import (
    PARTNER_KINDS,
    Bid,
    BidStage,
    BidStatus,
    Extension,
)
from ..models.bids import stage_deadline
from .common import BidError

S = BidStatus


def extension_for(*, round: Round, organisation_id: int | None) -> Extension | None:
    if organisation_id is None:
        return None
    return Extension.objects.filter(round=round, organisation_id=organisation_id).first()


def deadline_for(*, round: Round, organisation_id: int | None) -> datetime:
    """When a council's bid in this round must be in, before it has one (a bid carries its own
    copy: `Bid.deadline`). An extension for another council changes nothing here.

    In a two-stage round a council without a bid can only send an expression of interest, so
    its deadline is when expressions of interest close (extensions are for full bids)."""
    if round.two_stage:
        return stage_deadline(round=round, stage=BidStage.EOI, extended=None)
    ext = extension_for(round=round, organisation_id=organisation_id)
    return stage_deadline(round=round, stage=BidStage.FULL, extended=ext.new_deadline if ext else None)


def submission_in_time(*, bid: Bid, at: datetime) -> bool:
    """Whether a draft changed or submitted at `at` beats its deadline: the deadline itself is
    late, so a round closing at midday takes a bid sent at 11:59:59 and refuses one at 12:00:00.
    A bid returned for changes stays open until resubmitted, whatever the clock says: the
    programme asked for it. Callers pass the moment to judge rather than this reading the clock,
    so it can be the moment a request arrived instead of the moment it is processed."""
    return bid.status != S.DRAFT or at < bid.deadline


def bid_eligibility(*, round: Round, organisation: Organisation | None, now=None) -> list[str]:
    """Round rules from grants plus bidding's own: one live bid per lead, deadlines with extensions."""
    from grants.selectors import round_eligibility

    now = now or timezone.now()
    reasons = round_eligibility(round=round, organisation=organisation, now=now)
    if organisation is None:
        return reasons
    closed_msg = "This round is not open for bids."
    # Closed for everyone else, but not yet for a council with an extension.
    if (
        closed_msg in reasons
        and round.published
        and round.opens_at <= now < deadline_for(round=round, organisation_id=organisation.pk)
    ):
        if not round.assessment_started_at and not round.decided_at:
            reasons.remove(closed_msg)
    live = Bid.objects.live().filter(round=round, lead=organisation).first()
    if round.two_stage:
        return reasons + _two_stage_reasons(
            round=round, organisation=organisation, live=live, now=now, closed=closed_msg in reasons
        )
    if live:
        reasons.append(
            f"{organisation.short_name} already has a bid in this round ({live.reference or live.title}). "
            "A council may lead one bid per round; withdraw it first to start another."
        )
    return reasons


def _two_stage_reasons(*, round: Round, organisation: Organisation, live: Bid | None, now, closed: bool) -> list[str]:
    """What a two-stage round tells a council: it can send an expression of interest until they
    close; then only invited councils carry on, with the bid they already have."""
    name = organisation.short_name
    if live and live.status == S.NOT_INVITED:
        return [f"{name}'s expression of interest was not invited to a full bid in this round."]
    if live and live.stage == BidStage.EOI:
        if live.status == S.DRAFT:
            return [f"{name} has already started an expression of interest in this round ({live.title}): continue it."]
        return [
            f"{name} has sent an expression of interest ({live.reference}). "
            "The programme will tell you whether you are invited to send a full bid."
        ]
    if live:
        return [f"{name} is invited to send a full bid ({live.reference or live.title}): continue it from your bids."]
    deadline = deadline_for(round=round, organisation_id=organisation.pk)  # expressions of interest close
    if not closed and now >= deadline:
        return [f"Expressions of interest closed on {govuk_when(deadline)}; full bids are by invitation."]
    return []


NO_COUNCIL_ROLE = (
    "Only your council's officers and authorised signatories can start a bid for it. "
    "Ask your administrator to give you a council role."
)


def start_eligibility(*, round: Round, user: User, now=None) -> list[str]:
    """Why this person may not start a bid in this round: they must act for their council (hold
    a council role there), then their council must be eligible."""
    from ..permissions import can_start_bid

    if user.organisation_id and not can_start_bid(user):
        return [NO_COUNCIL_ROLE]
    return bid_eligibility(round=round, organisation=user.organisation, now=now)


def partner_problems(*, round: Round, lead_id: int, organisations: list[Organisation], others: int = 0) -> list[str]:
    """The round's partner rules. `others` is the number of other partners (bodies named by the
    lead council, OtherPartner): they count towards the round's maximum like partner councils."""
    problems = []
    if (organisations or others) and not round.joint_bids_allowed:
        problems.append("This round does not accept joint bids. Remove the partners to apply alone.")
    elif len(organisations) + others > round.max_partners:
        problems.append(f"This round allows at most {counted(round.max_partners, 'partner')}.")
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
    if not submission_in_time(bid=bid, at=now or timezone.now()):
        raise BidError(
            f"Expressions of interest closed at {govuk_when(bid.deadline)}, so this one can no longer be changed "
            "or sent. Your draft, as last saved, has been kept."
            if bid.stage == BidStage.EOI
            else f"This round closed at {govuk_when(bid.deadline)}, so the bid can no longer be changed or submitted. "
            "Your draft, as last saved, has been kept. Contact the programme team if you need an extension."
        )


def ensure_editable(bid: Bid, actor: User, now=None) -> None:
    from ..permissions import can_edit_bid

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
