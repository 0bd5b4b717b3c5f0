"""The ranking page keeps what it shows (grants.core.datacache): a conflict of interest declared
after the page was kept must hide the bid at once, and a budget changed by any route must show.
Transactional, so on PostgreSQL the kept page really is read back between commits."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.core.money import pounds
from grants.models import Round
from scoring.models import Interest
from tests import factories as f

from .factories import SubmittedBidFactory, declare
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ranked(personas, gated_round):
    rnd, quality, gate, second = gated_round
    declare(personas.assessor, rnd)
    bids = []
    for lead, score in ((personas.lead_org, 4), (personas.other_org, 2)):
        b = SubmittedBidFactory(round=rnd, lead=lead, amount_requested=Decimal("30000.00"))
        for person in (personas.assessor, second):
            assign_and_submit(bid=b, assessor=person, criteria=[quality, gate], scores={quality: score, gate: 1})
        bids.append(b)
    return rnd, bids


def test_a_conflict_declared_after_the_page_was_kept_hides_the_bid_at_once(personas, ranked, client_for):
    rnd, (top, other) = ranked
    manager = personas.programme_manager
    f.PanelMemberFactory(panel=rnd.panel, user=manager)
    c = client_for(manager)
    url = reverse("scoring:ranking", args=[rnd.slug])
    assert top.reference in c.get(url).content.decode()
    c.get(url)  # kept
    Interest.objects.create(round=rnd, user=manager, bid=top, nature="My partner wrote this bid")
    body = c.get(url).content.decode()
    assert top.reference not in body and other.reference in body


def test_a_budget_changed_by_any_route_shows_on_the_next_view(personas, ranked, client_for):
    rnd, _ = ranked
    c = client_for(personas.programme_manager)
    url = reverse("scoring:ranking", args=[rnd.slug])
    assert pounds(Decimal("100000")) in c.get(url).content.decode()
    Round.objects.filter(pk=rnd.pk).update(budget=Decimal("123456.00"))
    assert pounds(Decimal("123456")) in c.get(url).content.decode()
