"""API list pages are kept, written out, until the data changes (issue 19, endpoints._kept):
the kept answer is byte for byte what working it out gives, a change by any route shows on the
next call, and one token's owner is never given the page kept for another. Transactional, so on
PostgreSQL the kept page really is read back."""

from decimal import Decimal

import pytest

from grants.awards.models import Award
from tests.reporting import factories as rf
from tests.scoring.factories import SubmittedBidFactory

from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db(transaction=True)

LISTS = ["/api/v1/programmes", "/api/v1/bids", "/api/v1/awards", "/api/v1/payments", "/api/v1/returns"]


@pytest.fixture
def award(personas):
    rounds = rf.make_rounds([personas.programme])
    SubmittedBidFactory(round=rounds[0])
    return rf.make_award(rounds[0], rf.AwardSpec(0, "active", 40000, paid=[10000], rag="green"))


@pytest.mark.parametrize("path", LISTS)
def test_a_kept_page_is_what_working_it_out_gives(personas, award, settings, path):
    api = ApiClient(token_for(personas.programme_manager))
    settings.DATA_CACHE = False
    fresh = api.get(path, page_size=10)
    settings.DATA_CACHE = True
    api.get(path, page_size=10)
    kept = api.get(path, page_size=10)
    assert fresh.status_code == kept.status_code == 200
    assert kept.content == fresh.content and kept["Content-Type"] == fresh["Content-Type"]
    assert kept.json()["count"] >= 1


def test_a_change_by_any_route_shows_on_the_next_call(personas, award):
    api = ApiClient(token_for(personas.programme_manager))
    api.get("/api/v1/awards")
    assert api.get("/api/v1/awards").json()["results"][0]["amount"]["amount"] == "40000.00"  # kept
    Award.objects.filter(pk=award.pk).update(amount=Decimal("43210.00"))
    assert api.get("/api/v1/awards").json()["results"][0]["amount"]["amount"] == "43210.00"


def test_each_owner_gets_their_own_reach_and_page_not_one_kept_for_another(personas, award):
    other = rf.make_rounds([personas.other_programme])[0]
    rf.make_award(other, rf.AwardSpec(0, "active", 77000))
    admin = ApiClient(token_for(personas.administrator)).get("/api/v1/awards").json()
    mine = ApiClient(token_for(personas.programme_manager)).get("/api/v1/awards").json()
    assert admin["count"] == 2 and mine["count"] == 1
    second = ApiClient(token_for(personas.administrator)).get("/api/v1/awards", page=2, page_size=1).json()
    assert second["page"] == 2 and len(second["results"]) == 1
