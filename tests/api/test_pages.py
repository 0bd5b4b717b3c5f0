"""Pages in id order, updated_since, money as strings of pounds, and a fixed query count a page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Bid, BidPartner, PartnerStatus
from grants.awards.models import Award, MonitoringReturn, OutputValue, PaymentTranche, ReturnPeriod
from grants.models import StaffRole
from tests import factories as f
from tests.awards.factories import AwardFactory, FundedBidFactory, ReturnPeriodFactory, RoundOutputFactory

from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    user = f.UserFactory()
    rnd = f.RoundFactory()
    StaffRole.objects.create(user=user, role="programme_manager", programme=rnd.programme)
    return user, rnd


def _grow(rnd, n: int) -> None:
    """n awards of the round, each from a bid with a partner, a paid tranche and a return with an output."""
    period = ReturnPeriodFactory(round=rnd)
    output = RoundOutputFactory(round=rnd, kind="custom", label=f"Output {ReturnPeriod.objects.count()}")
    partner = f.OrganisationFactory()
    for _ in range(n):
        bid = FundedBidFactory(round=rnd)
        BidPartner.objects.create(bid=bid, organisation=partner, status=PartnerStatus.CONFIRMED)
        award = AwardFactory(round=rnd, bid=bid, lead=bid.lead, status="active")
        award.partners.add(partner)
        PaymentTranche.objects.filter(award=award).update(status="paid", paid_on=timezone.localdate())
        mreturn = MonitoringReturn.objects.create(award=award, period=period, status="accepted", rag="green")
        OutputValue.objects.create(monitoring_return=mreturn, output=output, value="12.5")


def _queries(api: ApiClient, path: str) -> int:
    api.get(path)  # once first: the token's last use is written at most once a minute
    with CaptureQueriesContext(connection) as ctx:
        answer = api.get(path, page_size=100)
    assert answer.status_code == 200, answer.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/awards", "/api/v1/bids", "/api/v1/payments", "/api/v1/returns", "/api/v1/rounds", "/api/v1/programmes"],
)
def test_a_page_costs_the_same_queries_at_two_sizes(manager, path):
    user, rnd = manager
    api = ApiClient(token_for(user))
    _grow(rnd, 2)
    small = _queries(api, path)
    _grow(rnd, 12)
    assert _queries(api, path) == small


def test_a_council_page_costs_the_same_queries_at_two_sizes(manager):
    _, rnd = manager
    _grow(rnd, 2)
    lead = Award.objects.first().lead
    officer = f.UserFactory(organisation=lead, org_role="officer")
    api = ApiClient(token_for(officer))
    small = {path: _queries(api, path) for path in ("/api/v1/awards", "/api/v1/bids", "/api/v1/returns")}
    for _ in range(5):
        other_round = f.RoundFactory(programme=rnd.programme)
        bid = FundedBidFactory(round=other_round, lead=lead)
        AwardFactory(round=other_round, bid=bid, lead=lead)
    assert {path: _queries(api, path) for path in small} == small


def test_pages_run_in_id_order_without_gaps_or_repeats(manager):
    user, rnd = manager
    _grow(rnd, 7)
    api = ApiClient(token_for(user))
    first = api.get("/api/v1/awards", page_size=3).json()
    assert first["count"] == 7 and first["page"] == 1 and len(first["results"]) == 3
    ids = [
        row["id"] for page in (1, 2, 3) for row in api.get("/api/v1/awards", page_size=3, page=page).json()["results"]
    ]
    assert ids == sorted(Award.objects.values_list("pk", flat=True))
    assert api.get("/api/v1/awards", page=9).json()["results"] == []
    assert api.get("/api/v1/awards", page_size=101).status_code == 422
    assert api.get("/api/v1/awards", page=0).status_code == 422


def test_updated_since_keeps_what_changed(manager):
    user, rnd = manager
    _grow(rnd, 3)
    api = ApiClient(token_for(user))
    later = timezone.now() + timedelta(seconds=1)
    Award.objects.filter(pk=Award.objects.order_by("pk").first().pk).update(updated_at=later + timedelta(hours=1))
    since = later.isoformat()
    body = api.get("/api/v1/awards", updated_since=since).json()
    assert body["count"] == 1
    assert api.get("/api/v1/bids", updated_since=since).json()["count"] == 0
    # A time without an offset is ambiguous: refused, as is one outside the calendar in UTC.
    assert api.get("/api/v1/awards", updated_since="2026-01-01T00:00:00").status_code == 422
    assert api.get("/api/v1/awards", updated_since="0001-01-01T00:00:00+05:00").status_code == 422


def test_an_award_carries_its_money_as_strings_of_pounds(manager):
    user, rnd = manager
    _grow(rnd, 1)
    award = ApiClient(token_for(user)).get("/api/v1/awards").json()["results"][0]
    assert award["amount"] == {"amount": "30000.00", "currency": "GBP"}
    assert award["payments"]["paid"] == {"amount": "30000.00", "currency": "GBP"}
    assert award["payments"]["outstanding"]["amount"] == "0.00"
    returned = ApiClient(token_for(user)).get("/api/v1/returns").json()["results"][0]
    assert returned["outputs"][0]["value"] == "12.50"
    assert returned["period"]["due_on"]
    assert Bid.objects.count() == 1


def test_a_partial_save_moves_updated_at(manager):
    """Services save with update_fields (transition() does): the change must still show in
    updated_since, so updated_at is always written (grants.core.updated)."""
    user, rnd = manager
    _grow(rnd, 1)
    award = Award.objects.get()
    tranche = PaymentTranche.objects.get()
    old = timezone.now() - timedelta(days=1)
    Award.objects.update(updated_at=old)
    PaymentTranche.objects.update(updated_at=old)
    since = (timezone.now() - timedelta(seconds=5)).isoformat()
    api = ApiClient(token_for(user))
    assert api.get("/api/v1/awards", updated_since=since).json()["count"] == 0
    award.status_reason = "Changed"
    award.save(update_fields=["status_reason"])
    tranche.payment_reference = "REF-1"
    tranche.save(update_fields=["payment_reference"])
    assert [row["id"] for row in api.get("/api/v1/awards", updated_since=since).json()["results"]] == [award.pk]
    assert api.get("/api/v1/payments", updated_since=since).json()["count"] == 1
