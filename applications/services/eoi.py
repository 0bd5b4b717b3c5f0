"""Two-stage rounds: an expression of interest is invited to a full bid or declined.

The same bid carries on: an invitation moves it to the full-bid stage as a draft, keeping its
reference, answers and partners, so the council starts from what it sent. Programme staff decide
(the triage in `scoring` proposes and confirms in a batch, then calls these), and the council is
told either way, with the reason.
"""

from django.db import transaction
from django.utils import timezone

from grants.core.dates import govuk_when
from grants.core.transitions import transition
from grants.models import User

from ..models import Bid, BidStage, BidStatus
from .common import BidError, bid_facts, bid_notify, bid_url, officers_of

S = BidStatus


def _locked_eoi(bid: Bid, actor: User) -> Bid:
    from ..permissions import can_manage_bid

    bid = Bid.objects.select_for_update().select_related("round", "lead").get(pk=bid.pk)
    if not can_manage_bid(actor, bid):
        raise BidError("Only the programme's managers can invite or decline an expression of interest.")
    if bid.stage != BidStage.EOI or bid.status != S.SUBMITTED:
        raise BidError(f"{bid} is not a submitted expression of interest.")
    return bid


@transaction.atomic
def eoi_invite(*, bid: Bid, actor: User, feedback: str = "", now=None) -> Bid:
    """Invite the council to a full bid, due when the round's full bids close."""
    bid = _locked_eoi(bid, actor)
    now = now or timezone.now()
    feedback = feedback.strip()
    transition(
        bid,
        to=S.DRAFT,
        actor=actor,
        action="bid.invited",
        reason=feedback,
        summary="Invited to a full bid",
        fields={"stage": BidStage.FULL, "invited_at": now, "eoi_feedback": feedback},
        error=BidError,
    )
    bid_notify(
        bid=bid,
        programme=bid.round.programme_id,
        recipients=officers_of(bid.lead_id),
        event="eoi_invited",
        context={**bid_facts(bid), "deadline": govuk_when(bid.deadline), "feedback": feedback},
        dedupe_key=f"eoi_invited:{bid.pk}",
        url=bid_url(bid),
    )
    return bid


@transaction.atomic
def eoi_decline(*, bid: Bid, actor: User, reason: str) -> Bid:
    """Not invited: final for this round. The council is told why."""
    bid = _locked_eoi(bid, actor)
    if not reason.strip():
        raise BidError({"reason": "Enter the reason the council is not invited to a full bid"})
    transition(bid, to=S.NOT_INVITED, actor=actor, reason=reason.strip(), error=BidError)
    bid_notify(
        bid=bid,
        programme=bid.round.programme_id,
        recipients=officers_of(bid.lead_id),
        event="eoi_declined",
        context={**bid_facts(bid), "reason": reason.strip()},
        dedupe_key=f"eoi_declined:{bid.pk}",
        url=bid_url(bid),
    )
    return bid
