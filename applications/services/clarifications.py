"""Clarification questions on a submitted bid: asked by the programme's managers or an assigned
panel member (scoring registers that check), answered once by the lead council, or closed by staff
without an answer. Each step is in the bid's history and tells the other side; nobody barred from
the bid (a conflict of interest) hears of it."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from grants.core.audit import audit_record
from grants.models import User
from grants.people_selectors import programme_managers

from ..models import Bid, Clarification
from .common import BidError, bid_facts, bid_notify, bid_url, officers_of

DEFAULT_REPLY_WORKING_DAYS = 5


def default_reply_by(today: date) -> date:
    """Five working days on (Monday to Friday; bank holidays not counted)."""
    day, left = today, DEFAULT_REPLY_WORKING_DAYS
    while left:
        day = date.fromordinal(day.toordinal() + 1)
        if day.weekday() < 5:
            left -= 1
    return day


def _today(now: datetime) -> date:
    return timezone.localdate(now)


def _context(c: Clarification) -> dict:
    return {**bid_facts(c.bid), "question": c.question, "reply_by": date_format(c.reply_by, "j F Y")}


@transaction.atomic
def ask_clarification(*, bid: Bid, actor: User, question: str, reply_by: date, now: datetime | None = None):
    """Put a question to the lead council. The reply-by date may not be in the past."""
    from ..permissions import can_ask_clarification

    now = now or timezone.now()
    bid = Bid.objects.select_for_update().select_related("round", "round__programme", "lead").get(pk=bid.pk)
    if not can_ask_clarification(actor, bid):
        raise BidError("You cannot ask a question about this bid.")
    errors = {}
    if not question.strip():
        errors["question"] = "Enter the question for the council"
    if reply_by is None or reply_by < _today(now):
        errors["reply_by"] = "The reply-by date must be today or in the future"
    if errors:
        raise BidError(errors)
    c = Clarification.objects.create(
        bid=bid, asked_by=actor, question=question.strip(), reply_by=reply_by, asked_at=now
    )
    audit_record(actor=actor, action="bid.clarification_asked", target=bid, summary="Clarification question asked")
    bid_notify(
        bid=bid,
        programme=bid.round.programme_id,
        recipients=officers_of(bid.lead_id),
        event="clarification_asked",
        context=_context(c),
        dedupe_key=f"clarification_asked:{c.pk}",
        url=bid_url(bid),
    )
    return c


def _locked(c: Clarification) -> Clarification:
    c = Clarification.objects.select_for_update().select_related("bid__round__programme", "bid__lead").get(pk=c.pk)
    if not c.is_open:
        raise BidError("This question is closed.")
    return c


@transaction.atomic
def answer_clarification(*, clarification: Clarification, actor: User, answer: str, now: datetime | None = None):
    """The lead council's one answer. It closes the question; whoever asked and the programme's
    managers are told."""
    from ..permissions import can_answer_clarification

    now = now or timezone.now()
    c = _locked(clarification)
    if not can_answer_clarification(actor, c.bid):
        raise BidError("Only the lead council can answer this question.")
    if not answer.strip():
        raise BidError({"answer": "Enter your answer"})
    c.answer, c.answered_by, c.answered_at, c.closed_at = answer.strip(), actor, now, now
    c.save(update_fields=["answer", "answered_by", "answered_at", "closed_at"])
    audit_record(actor=actor, action="bid.clarification_answered", target=c.bid, summary="Clarification answered")
    managers = list(programme_managers(programme_id=c.bid.round.programme_id).order_by("pk"))
    recipients = [c.asked_by, *(m for m in managers if m.pk != c.asked_by_id)]
    bid_notify(
        bid=c.bid,
        programme=c.bid.round.programme_id,
        recipients=recipients,
        event="clarification_answered",
        context={**_context(c), "answer": c.answer},
        dedupe_key=f"clarification_answered:{c.pk}",
        url=bid_url(c.bid),
    )
    return c


@transaction.atomic
def close_clarification(*, clarification: Clarification, actor: User, now: datetime | None = None):
    """Staff close a question the council need no longer answer."""
    from ..permissions import can_manage_bid

    c = _locked(clarification)
    if not can_manage_bid(actor, c.bid):
        raise BidError("Only the programme's managers can close a question.")
    c.closed_at = now or timezone.now()
    c.save(update_fields=["closed_at"])
    audit_record(actor=actor, action="bid.clarification_closed", target=c.bid, summary="Clarification question closed")
    return c
