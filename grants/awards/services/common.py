"""What every award service shares: the error it raises, who hears about an award, and how."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from grants import people_selectors
from grants.awards.models import (
    Award,
)
from grants.models import User
from grants.people_selectors import council_officers


class AwardError(ValidationError):
    """A refused change, with a message fit to show the user."""


def lead_officers(award: Award) -> list[User]:
    return list(council_officers(organisation_ids=[award.lead_id]))


def programme_managers(award: Award) -> list[User]:
    return list(people_selectors.programme_managers(programme_id=award.round.programme_id))


def award_context(award: Award, **extra) -> dict:
    """Notification context: JSON-safe, money as a string."""
    return {
        "reference": award.reference,
        "title": award.title,
        "round_name": award.round.name,
        "organisation_name": award.lead.name,
        "amount": str(award.amount),
        **{k: (str(v) if isinstance(v, Decimal | date) else v) for k, v in extra.items()},
    }


def notify_people(*, people, event: str, award: Award, key: str, url: str = "", **extra) -> None:
    """Every award message goes through here, so every one names the award's programme: its
    managers see (and may resend) the emails that fail. Nobody barred from the award (a conflict
    of interest on its bid) hears about it."""
    from notifications.services import notify

    from ..permissions import who_may_hear

    context = award_context(award, **extra)
    programme_id = award.round.programme_id
    for person in who_may_hear(award, {p.pk: p for p in people}.values()):
        notify(
            recipient=person,
            event=event,
            context=context,
            dedupe_key=f"{event}:{key}",
            url=url or award.get_absolute_url(),
            programme=programme_id,
        )
