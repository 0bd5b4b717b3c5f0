"""The staff bid list shows each bid's stage (expression of interest or full bid), filters by it,
stays flat in queries with EOIs included, and the bid export carries the stage."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import BidStage
from grants.models import Round
from tests import factories as f
from tests.scoring.factories import SubmittedBidFactory

pytestmark = pytest.mark.django_db


def _two_stage(rnd):
    now = timezone.now()
    Round.objects.filter(pk=rnd.pk).update(
        opens_at=now - timedelta(days=40), eoi_closes_at=now - timedelta(days=1), closes_at=now + timedelta(days=30)
    )
    rnd.refresh_from_db()
    return rnd


def _bids(rnd, n, stage):
    return [SubmittedBidFactory(round=rnd, lead=f.OrganisationFactory(), stage=stage) for _ in range(n)]


def test_stage_column_and_filter(personas, client_for):
    rnd = _two_stage(personas.round)
    (eoi,), (full,) = _bids(rnd, 1, BidStage.EOI), _bids(rnd, 1, BidStage.FULL)
    client = client_for(personas.programme_manager)
    url = reverse("applications:staff_bid_list", args=[rnd.slug])
    page = client.get(url).content.decode()
    assert "Expression of interest" in page and 'id="f-stage"' in page
    page = client.get(url + "?stage=eoi").content.decode()
    assert eoi.reference in page and full.reference not in page


def test_staff_bid_list_is_flat_in_queries_with_eois(
    personas, client_for, django_assert_max_num_queries, data_cache_off
):
    """With nothing kept (`data_cache_off`): what working the figures out costs."""
    rnd = _two_stage(personas.round)
    client = client_for(personas.programme_manager)
    url = reverse("applications:staff_bid_list", args=[rnd.slug])
    _bids(rnd, 1, BidStage.FULL)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    _bids(rnd, 6, BidStage.EOI)
    _bids(rnd, 3, BidStage.FULL)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("Expression of interest") >= 6


def test_bid_export_has_a_stage_column(personas, client_for):
    rnd = _two_stage(personas.round)
    (eoi,) = _bids(rnd, 1, BidStage.EOI)
    client = client_for(personas.programme_manager)
    response = client.get(reverse("applications:staff_bid_export", args=[rnd.slug, "csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = body.splitlines()[:2]
    assert header.split(",")[:3] == ["Reference", "Status", "Stage"]
    assert eoi.reference in row and "Expression of interest" in row
