"""What every bid service shares: the error it raises, who hears about a bid, and the one place
a bid's status changes."""

import logging

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.models import User
from grants.services import audit_record

from ..models import (
    Bid,
    BidStatus,
)

S = BidStatus
logger = logging.getLogger(__name__)


class BidError(ValidationError):
    """A rule refused the change. The message is written for the council or officer to read."""


def bid_notify(*, recipients, event: str, context: dict, dedupe_key: str, url: str = "", programme: int | None) -> None:
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


def officers_of(organisation_id: int):
    """The council's officers and signatories (not, say, an assessor who works there)."""
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, org_role__in=["officer", "signatory"]
    ).order_by("pk")


def bid_editors(bid: Bid) -> list[User]:
    """The lead council's officers and the bid's collaborators: whoever acts on news about the bid."""
    people = {u.pk: u for u in officers_of(bid.lead_id)}
    people.update({u.pk: u for u in bid.collaborators.filter(is_active=True, organisation_id=bid.lead_id)})
    return [people[pk] for pk in sorted(people)]


def bid_url(bid: Bid) -> str:
    return reverse("applications:bid_detail", args=[bid.pk])


def bid_facts(bid: Bid) -> dict[str, str]:
    """What a message about a bid names it by: reference (none for a draft), round, lead, title."""
    return {
        "reference": bid.reference or "",
        "round_name": bid.round.name,
        "organisation_name": bid.lead.short_name,
        "title": bid.title,
    }




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
