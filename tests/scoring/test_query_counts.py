"""Staff assessment pages cost a fixed number of queries, however many bids, assessors,
scores and interests the round has."""

import pytest
from django.urls import reverse

from applications.models import BidPartner, PartnerStatus
from scoring import services
from scoring.models import Scale
from tests import factories as f

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(personas):
    """grow(n) adds n scored bids with two assessors each (wide apart, so all need moderation),
    a declared interest and an automatic conflict (a bid partnered by the conflicted member's council)."""
    rnd = personas.round
    criteria = [
        CriterionFactory(round=rnd, name="Quality", scale=Scale.ZERO_FOUR),
        CriterionFactory(round=rnd, name="Eligible", scale=Scale.GATEWAY),
    ]
    for person in (personas.assessor, personas.panel_chair, personas.conflicted_assessor):
        declare(person, rnd)

    def add(n: int) -> None:
        for _ in range(n):
            bid = SubmittedBidFactory(round=rnd)
            BidPartner.objects.create(bid=bid, organisation=personas.lead_org, status=PartnerStatus.CONFIRMED)
            for person, score in ((personas.assessor, 4), (personas.panel_chair, 0)):
                assign_and_submit(
                    bid=bid, assessor=person, criteria=criteria, scores={criteria[0]: score, criteria[1]: 1}
                )
            services.moderated_score_record(
                bid=bid, criterion=criteria[0], score=2, reason="Agreed", actor=personas.programme_manager
            )
            member = f.UserFactory()
            f.PanelMemberFactory(panel=rnd.panel, user=member)
            services.interest_add(round=rnd, user=member, organisation=bid.lead, nature="Former employer")

    return rnd, add


@pytest.mark.parametrize("page", ["assignments", "moderation", "interests", "panel_pack", "ranking"])
def test_page_queries_do_not_grow_with_rows(
    personas, grow, client_for, django_assert_max_num_queries, page, data_cache_off
):
    rnd, add = grow
    client = client_for(personas.programme_manager)
    url = reverse(f"scoring:{page}", args=[rnd.slug])
    add(1)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count(f"{rnd.reference_prefix}-") >= 7


@pytest.mark.parametrize("table", ["assessment-assignments", "assessment-moderation", "assessment-register"])
def test_downloads_do_not_grow_with_rows(personas, grow, client_for, django_assert_max_num_queries, table):
    rnd, add = grow
    client = client_for(personas.programme_manager)
    url = reverse("reporting:download", args=[table, "csv"]) + f"?round={rnd.slug}"
    add(1)
    b"".join(client.get(url).streaming_content)
    with django_assert_max_num_queries(40) as few:
        b"".join(client.get(url).streaming_content)
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = b"".join(client.get(url).streaming_content)
    assert body.count(f"{rnd.reference_prefix}-".encode()) >= 7
