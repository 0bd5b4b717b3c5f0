"""Pages that keep their figures (grants.core.datacache) show a change at once, whatever route
wrote it: here a bulk queryset update, which no service, signal or save() hook sees. Each test
commits its writes (transactional), so on PostgreSQL the kept figure really is read back, and
it fails if the version stopped changing for that table."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.awards.models import Award
from grants.core.money import pounds

from . import factories as rf

pytestmark = pytest.mark.django_db(transaction=True)

AS_AT = date(2020, 3, 31)


@pytest.fixture
def award(personas):
    rounds = rf.make_rounds([personas.programme])
    return rf.make_award(rounds[0], rf.AwardSpec(0, "active", 40000, paid=[10000], rag="green"))


def _changed(award) -> Decimal:
    Award.objects.filter(pk=award.pk).update(amount=Decimal("43210.00"))
    return Decimal("43210.00")


@pytest.mark.parametrize(
    "url",
    [
        reverse("reporting:dashboard"),
        reverse("reporting:board_report") + f"?as_at={AS_AT.isoformat()}",
        reverse("awards:portfolio"),
    ],
)
def test_a_change_by_any_route_shows_on_the_next_view(personas, award, client_for, url):
    c = client_for(personas.programme_manager)
    assert pounds(Decimal("40000")) in c.get(url).content.decode()
    c.get(url)  # kept
    new = _changed(award)
    body = c.get(url).content.decode()
    assert pounds(new) in body and pounds(Decimal("40000")) not in body


def test_each_person_sees_their_own_reach_not_the_figures_kept_for_another(personas, award, client_for):
    """The administrator sees every programme; a manager of another programme must not be
    given the administrator's kept dashboard, nor the other way round."""
    other_rounds = rf.make_rounds([personas.other_programme])
    rf.make_award(other_rounds[0], rf.AwardSpec(0, "active", 77000))
    url = reverse("reporting:dashboard")
    everyone = client_for(personas.administrator).get(url).content.decode()
    mine = client_for(personas.programme_manager).get(url).content.decode()
    assert pounds(Decimal("117000")) in everyone
    assert pounds(Decimal("40000")) in mine and pounds(Decimal("117000")) not in mine


def test_the_staff_bid_lists_kept_figures_show_a_bulk_change_on_the_next_view(personas, client_for):
    """The round's counts by status and requested total are kept (issue 19); a bid withdrawn by
    a bulk update, which no service sees, leaves both at once."""
    from applications.models import Bid, BidStatus
    from tests.scoring.factories import SubmittedBidFactory

    bid = SubmittedBidFactory(round=personas.round, amount_requested=Decimal("43210.00"))
    c = client_for(personas.programme_manager)
    url = reverse("applications:staff_bid_list", args=[personas.round.slug])
    c.get(url)
    assert c.get(url).context["figures"]["requested"] == Decimal("43210.00")  # kept
    Bid.objects.filter(pk=bid.pk).update(status=BidStatus.WITHDRAWN)
    figures = c.get(url).context["figures"]
    assert figures["requested"] == Decimal("0.00")
    assert {s: n for s, _, n in figures["by_status"]}[BidStatus.WITHDRAWN] == 1
