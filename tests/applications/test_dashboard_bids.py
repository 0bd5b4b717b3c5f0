"""The dashboard reads its bids by its own two queries (applications/dashboard_bids.py), not
through `bids_for_council`; these hold the two together, so the page lists exactly the bids that
selector allows, in its order, with the same partner status, for every kind of person: lead and
partner officers, a council officer barred by a conflict of interest, someone with no council role."""

import pytest

from applications import selectors
from applications.dashboard_bids import DashboardBids
from applications.models import BidPartner, PartnerStatus
from grants.models import OrgRole
from tests import factories as f

from .factories import BidFactory

pytestmark = pytest.mark.django_db


def _listed(user) -> list[tuple[int, str | None]]:
    rows = DashboardBids(user=user)
    return [(b.pk, b.my_partner_status) for b in rows[0 : len(rows)]]


def _allowed(user) -> list[tuple[int, str | None]]:
    return [(b.pk, b.my_partner_status) for b in selectors.bids_for_council(user=user)]


@pytest.fixture
def bids(personas):
    """Lead bids in the panel's round and in another; partner bids in each partner status."""
    mine = BidFactory(round=personas.round, lead=personas.lead_org, title="Kent in the panel's round")
    BidPartner.objects.create(bid=mine, organisation=personas.partner_org, status=PartnerStatus.CONFIRMED)
    BidFactory(round=f.RoundFactory(), lead=personas.lead_org, title="Kent elsewhere")
    for status in PartnerStatus.values:
        theirs = BidFactory(round=f.RoundFactory(), lead=personas.other_org, title=f"Leeds, Kent {status}")
        BidPartner.objects.create(bid=theirs, organisation=personas.lead_org, status=status)
    BidFactory(round=personas.round, lead=personas.other_org, title="Leeds alone")
    return mine


@pytest.mark.parametrize(
    "who", ["lead_officer", "partner_officer", "other_officer", "conflicted_assessor", "assessor", "programme_manager"]
)
def test_the_dashboard_lists_what_bids_for_council_allows(personas, bids, who):
    personas.conflicted_assessor.org_role = OrgRole.OFFICER  # a Kent officer on the round's panel
    personas.conflicted_assessor.save()
    user = getattr(personas, who)
    assert _listed(user) == _allowed(user)


def test_a_conflict_of_interest_leaves_the_bid_off_the_page(personas, bids, client_for):
    personas.conflicted_assessor.org_role = OrgRole.OFFICER
    personas.conflicted_assessor.save()
    listed = {pk for pk, _ in _listed(personas.conflicted_assessor)}
    assert bids.pk not in listed and len(listed) == 1 + len(PartnerStatus.values)
    assert bids.pk in {pk for pk, _ in _listed(personas.lead_officer)}
    page = client_for(personas.conflicted_assessor).get("/bids/").content.decode()
    assert "Kent elsewhere" in page and "Kent in the panel&#x27;s round" not in page
    assert f"({len(listed)})" in page  # the count leaves it out too


def test_no_council_role_no_bids_and_no_query(personas, bids, django_assert_num_queries):
    with django_assert_num_queries(0):
        rows = DashboardBids(user=personas.assessor)
        assert len(rows) == 0 and rows[0:25] == []
