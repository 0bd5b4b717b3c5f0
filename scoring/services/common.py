"""Shared pieces of the scoring services."""

from django.core.exceptions import ValidationError

from grants.models import Round, User
from grants.people_selectors import programme_managers


class AssessmentError(ValidationError):
    """A rule of assessment was broken; the message is shown to the user as it is."""


def round_managers(round: Round) -> list[User]:
    """The programme's managers: they hear about conflicts and decisions."""
    return list(programme_managers(programme_id=round.programme_id))


def live_bids(round: Round):
    """Bids that are assessed: submitted (or already decided), never drafts, withdrawn or ineligible."""
    from applications.models import Bid, BidStatus

    return Bid.objects.filter(
        round=round, status__in=[BidStatus.SUBMITTED, BidStatus.FUNDED, BidStatus.NOT_FUNDED, BidStatus.RESERVE]
    )


def confirmed_outcome(bid) -> bool:
    """A confirmed funded or not-funded decision settles the bid's scores; a reserve can still move."""
    from ..models import Decision, DecisionStatus, Outcome

    return (
        Decision.objects.filter(bid_id=bid.pk, status=DecisionStatus.CONFIRMED)
        .exclude(outcome=Outcome.RESERVE)
        .exists()
    )
