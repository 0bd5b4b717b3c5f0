"""What every bid service shares: the error it raises and who hears about a bid. A bid's status
changes through `grants.core.transitions.transition`, which applies `Bid.TRANSITIONS`."""

import logging

from django.core.exceptions import ValidationError
from django.urls import reverse

from grants.models import User
from grants.people_selectors import council_officers

from ..models import Bid

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
    """The council's officers and signatories (`grants.people_selectors`), oldest account first."""
    return council_officers(organisation_ids=[organisation_id]).order_by("pk")


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
