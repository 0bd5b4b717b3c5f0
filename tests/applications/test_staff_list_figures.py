"""The staff bid list's figures and count (issue 19): counts by status and the live total come
from one pass over the round's bids, and the unfiltered list's count is taken from them rather
than counted again; filtered, the list is counted as it is. The numbers stay the same."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import BidStatus
from applications.staff_selectors import round_bid_figures
from applications.views.staff import PAGE_SIZE
from tests import factories as f
from tests.scoring.factories import SubmittedBidFactory

pytestmark = pytest.mark.django_db


def _bid(rnd, status, amount):
    return SubmittedBidFactory(round=rnd, lead=f.OrganisationFactory(), status=status, amount_requested=amount)


def test_figures_count_every_status_and_sum_only_live_bids(personas):
    rnd = personas.round
    for status, amount in [
        (BidStatus.SUBMITTED, "40000.00"),
        (BidStatus.SUBMITTED, "1000.50"),
        (BidStatus.DRAFT, "7.00"),
        (BidStatus.WITHDRAWN, "11.00"),
        (BidStatus.INELIGIBLE, "13.00"),
    ]:
        _bid(rnd, status, Decimal(amount))
    figures = round_bid_figures(round=rnd)
    counts = {s.value: n for s, _, n in figures["by_status"]}
    assert counts[BidStatus.SUBMITTED] == 2 and counts[BidStatus.DRAFT] == 1 and counts[BidStatus.WITHDRAWN] == 1
    assert figures["total"] == 5
    # Each status the round has, in the statuses' order, with no comma after the last.
    assert figures["by_status_text"] == "Draft 1, Submitted 2, Withdrawn 1, Ineligible 1"
    assert figures["requested"] == Decimal("41000.50")  # drafts, withdrawn and ineligible bids left out
    assert figures["ratio"] == (Decimal("41000.50") / rnd.budget).quantize(Decimal("0.01"))
    empty = f.RoundFactory(programme=rnd.programme)
    assert round_bid_figures(round=empty)["requested"] == Decimal("0.00")


def test_the_unfiltered_list_is_counted_once_and_says_the_true_count(personas, client_for, data_cache_off):
    """With nothing kept (`data_cache_off`): what working the figures out costs."""
    rnd = personas.round
    for _ in range(PAGE_SIZE + 3):
        _bid(rnd, BidStatus.SUBMITTED, Decimal("100.00"))
    _bid(rnd, BidStatus.DRAFT, Decimal("100.00"))
    client = client_for(personas.programme_manager)
    url = reverse("applications:staff_bid_list", args=[rnd.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = [q["sql"] for q in ctx.captured_queries]  # now: the next request clears the log
    page = response.context["page"]
    assert page.paginator.count == PAGE_SIZE + 4 == response.context["figures"]["total"]
    assert page.paginator.num_pages == 2 and len(page.object_list) == PAGE_SIZE
    assert client.get(url + "?page=2").context["page"].object_list.__len__() == 4
    # One aggregate over the round's bids (counts and sum by status), no second COUNT for the list.
    aggregates = [q for q in queries if '"applications_bid"' in q and ("COUNT(" in q or "SUM(" in q)]
    assert len(aggregates) == 1, aggregates
    # Filtered, the list is counted as filtered.
    filtered = client.get(url + "?status=draft").context["page"]
    assert filtered.paginator.count == 1 and len(filtered.object_list) == 1
