"""factory_boy factories shared by every app's tests."""

from datetime import timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from grants.models import Organisation, OrgKind, OrgRole, Programme, Round, StaffRole, User
from scoring.models import Panel, PanelMember

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testshire District Council {n}")
    short_name = factory.Sequence(lambda n: f"Testshire {n}")
    code = factory.Sequence(lambda n: f"T{n:02d}")
    gss_code = factory.Sequence(lambda n: f"E07{n:06d}")
    kind = OrgKind.DISTRICT
    region = "South East"
    nation = "England"


class FunderFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Funding Body {n}")
    short_name = factory.Sequence(lambda n: f"Funder {n}")
    code = None
    gss_code = ""
    kind = OrgKind.OTHER
    region = ""


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name", locale="en_GB")
    organisation = None
    org_role = ""

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class CouncilOfficerFactory(UserFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    org_role = OrgRole.OFFICER


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    code = factory.Sequence(lambda n: f"P{n}")
    funder = factory.SubFactory(FunderFactory)


class RoundFactory(factory.django.DjangoModelFactory):
    """An open round by default: opened a week ago, closes in three weeks."""

    class Meta:
        model = Round

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    slug = factory.Sequence(lambda n: f"round-{n}")
    reference_prefix = factory.Sequence(lambda n: f"R{n}")
    financial_year = 2026
    budget = Decimal("500000.00")
    min_award = Decimal("10000.00")
    max_award = Decimal("50000.00")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))
    published = True
    eligible_kinds = factory.LazyFunction(list)
    eligible_regions = factory.LazyFunction(list)


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    role = StaffRole.Role.FINANCE_OFFICER


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    round = factory.SubFactory(RoundFactory)


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember

    panel = factory.SubFactory(PanelFactory)
    user = factory.SubFactory(UserFactory)
