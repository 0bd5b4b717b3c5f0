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


def bid_notify(
    *, bid: Bid | None, recipients, event: str, context: dict, dedupe_key: str, url: str = "", programme: int | None
) -> None:
    """One message per officer; the dedupe key carries the user so each gets it once. The
    programme lets its managers see and resend the email if it fails. Nobody barred from the bid
    (a conflict of interest) hears about it, whatever their role (`bid` is None only for news
    about no bid yet, such as an extension for a council that has not started one)."""
    from notifications.services import notify

    from ..permissions import who_may_hear

    for user in who_may_hear(bid, recipients) if bid is not None else recipients:
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
    """The lead council's officers and signatories: whoever acts on news about the bid. A
    collaborator edits only while they are one of them, so is among them already; one who has
    lost their council role hears nothing more."""
    return list(officers_of(bid.lead_id))


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
