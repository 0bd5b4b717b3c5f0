"""What every award service shares: the error it raises, who hears about an award, and how."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from grants.awards.models import (
    Award,
)
from grants.models import StaffRole, User


class AwardError(ValidationError):
    """A refused change, with a message fit to show the user."""



def lead_officers(award: Award) -> list[User]:
    return list(User.objects.filter(organisation_id=award.lead_id, is_active=True).exclude(org_role=""))


def programme_managers(award: Award) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            staff_roles__role=StaffRole.Role.PROGRAMME_MANAGER,
            staff_roles__programme_id=award.round.programme_id,
        ).distinct()
    )


def award_context(award: Award, **extra) -> dict:
    """Notification context: JSON-safe, money as a string."""
    return {
        "reference": award.reference,
        "title": award.title,
        "round_name": award.round.name,
        "organisation_name": award.lead.name,
        "amount": f"{award.amount:,.2f}",
        **{k: (str(v) if isinstance(v, Decimal | date) else v) for k, v in extra.items()},
    }


def notify_people(*, people, event: str, award: Award, key: str, url: str = "", **extra) -> None:
    """Every award message goes through here, so every one names the award's programme: its
    managers see (and may resend) the emails that fail."""
    from notifications.services import notify

    context = award_context(award, **extra)
    programme_id = award.round.programme_id
    for person in {p.pk: p for p in people}.values():
        notify(
            recipient=person,
            event=event,
            context=context,
            dedupe_key=f"{event}:{key}",
            url=url or award.get_absolute_url(),
            programme=programme_id,
        )


