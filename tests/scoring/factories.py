"""Factories for assessment tests: submitted bids, criteria, assignments and scores."""

from datetime import datetime, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from applications.models import Bid, BidStatus
from grants.models import Round
from scoring.models import Criterion, Declaration, Scale
from tests import factories as f


class ClosedRoundFactory(f.RoundFactory):
    """A round that closed yesterday: assessment starts after the round closes."""

    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=35))
    closes_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


def close_round(round: Round) -> Round:
    """Close an open round (it opened a month ago and closed yesterday), so its bids can be assessed."""
    now = timezone.now()
    Round.objects.filter(pk=round.pk).update(opens_at=now - timedelta(days=35), closes_at=now - timedelta(days=1))
    round.refresh_from_db()
    return round


def _submitted_at(bid) -> datetime:
    """On time: before the round closes (now, for a round still open)."""
    return min(timezone.now(), bid.round.closes_at - timedelta(hours=1))


class SubmittedBidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bid

    round = factory.SubFactory(ClosedRoundFactory)
    lead = factory.SubFactory(f.OrganisationFactory)
    title = factory.Sequence(lambda n: f"Nudging residents {n}")
    summary = "Use behavioural insights to reduce demand."
    amount_requested = Decimal("40000.00")
    status = BidStatus.SUBMITTED
    reference_number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda o: f"{o.round.reference_prefix}-{o.reference_number:06d}")
    submitted_at = factory.LazyAttribute(_submitted_at)
    submission_count = 1


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(f.RoundFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    guidance = "Look for evidence."
    weight = 10
    scale = Scale.ZERO_FOUR
    order = factory.Sequence(lambda n: n)


def declare(user, round):
    return Declaration.objects.get_or_create(round=round, user=user, defaults={"confirmed_at": timezone.now()})[0]
