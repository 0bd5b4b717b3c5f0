"""Factories for awards and monitoring. Built on the shared factories and personas."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from applications.models import Bid, BidStatus
from grants.awards.models import Award, AwardStatus, Milestone, PaymentTranche, ReturnPeriod, RoundOutput
from tests import factories as f
from tests.totp import user_code


class FundedBidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bid

    round = factory.SubFactory(f.RoundFactory)
    lead = factory.SubFactory(f.OrganisationFactory)
    title = factory.Sequence(lambda n: f"Nudging recycling {n}")
    summary = "Letters that nudge residents to recycle more."
    amount_requested = Decimal("40000.00")
    status = BidStatus.FUNDED
    reference = factory.Sequence(lambda n: f"TB-{n:06d}")
    reference_number = factory.Sequence(lambda n: n + 1)
    planned_start = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    planned_end = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=400))
    submitted_at = factory.LazyFunction(timezone.now)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award
        skip_postgeneration_save = True

    round = factory.SubFactory(f.RoundFactory)
    lead = factory.SubFactory(f.OrganisationFactory)
    reference = factory.Sequence(lambda n: f"AWT-{n:06d}")
    title = factory.Sequence(lambda n: f"Award project {n}")
    amount = Decimal("30000.00")
    status = AwardStatus.OFFERED
    award_date = factory.LazyFunction(timezone.localdate)
    planned_start = factory.LazyFunction(timezone.localdate)
    planned_end = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))

    @factory.post_generation
    def tranche(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            PaymentTranche.objects.create(award=obj, number=1, amount=obj.amount, due_on=obj.planned_start)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    award = factory.SubFactory(AwardFactory)
    description = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))


class ReturnPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnPeriod

    round = factory.SubFactory(f.RoundFactory)
    title = factory.Sequence(lambda n: f"Quarter {n}")
    period_start = date(2026, 1, 1)
    period_end = date(2026, 3, 31)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class RoundOutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundOutput

    round = factory.SubFactory(f.RoundFactory)
    kind = "savings"
    unit = "pounds"


def totp_code(user) -> str:
    """A current TOTP code for a user whose MFA is on (as the personas' staff are)."""
    return user_code(user)


def signed_in_request(user, *, method: str = "post", address: str = "127.0.0.1"):
    """A request from `user` at a browser (with a session), as the payment service needs: the code
    re-authenticates them through allauth, which counts wrong codes by user and by address."""
    from importlib import import_module

    from django.conf import settings
    from django.test import RequestFactory

    request = getattr(RequestFactory(), method)("/", REMOTE_ADDR=address)
    request.user = user
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    return request
