"""Factories for assessment tests: submitted bids, criteria, assignments and scores."""

from decimal import Decimal

import factory
from django.utils import timezone

from applications.models import Bid, BidStatus
from scoring.models import Criterion, Declaration, Scale
from tests import factories as f


class SubmittedBidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bid

    round = factory.SubFactory(f.RoundFactory)
    lead = factory.SubFactory(f.OrganisationFactory)
    title = factory.Sequence(lambda n: f"Nudging residents {n}")
    summary = "Use behavioural insights to reduce demand."
    amount_requested = Decimal("40000.00")
    status = BidStatus.SUBMITTED
    reference_number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda o: f"{o.round.reference_prefix}-{o.reference_number:06d}")
    submitted_at = factory.LazyFunction(timezone.now)
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
