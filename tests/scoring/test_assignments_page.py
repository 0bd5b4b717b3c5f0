"""The assignments page: withdrawing needs a reason typed beside the button, and a bulk
assignment with an error keeps what was chosen."""

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import Assignment, Scale

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db


def test_withdrawing_asks_for_a_reason_and_records_it(personas, client_for):
    rnd = personas.round
    CriterionFactory(round=rnd)
    bid = SubmittedBidFactory(round=rnd)
    row = services.assign(bid=bid, assessor=personas.assessor, actor=personas.programme_manager)
    client = client_for(personas.programme_manager)
    page = client.get(reverse("scoring:assignments", args=[rnd.slug])).content.decode()
    assert f'name="reason_{row.pk}"' in page and "Reassigned by the programme manager" not in page
    url = reverse("scoring:assignment_withdraw", args=[rnd.slug, row.pk])
    blank = client.post(url, {f"reason_{row.pk}": "  "})
    body = blank.content.decode()
    assert blank.status_code == 200 and "govuk-error-summary" in body
    assert f'href="#reason-{row.pk}"' in body and "Enter a reason for withdrawing" in body and bid.reference in body
    assert Assignment.objects.get(pk=row.pk).withdrawn_at is None
    done = client.post(url, {f"reason_{row.pk}": "Too many bids this week", "reason_999": "other box"})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.withdrawn_at is not None and row.withdrawn_reason == "Too many bids this week"


def test_a_bulk_assignment_error_keeps_the_chosen_assessor_and_ticked_bids(personas, client_for):
    rnd = personas.round
    bids = [SubmittedBidFactory(round=rnd) for _ in range(3)]
    client = client_for(personas.programme_manager)
    url = reverse("scoring:assignments", args=[rnd.slug])
    no_bids = client.post(url, {"action": "assign", "assessor": personas.assessor.pk})
    body = no_bids.content.decode()
    assert no_bids.status_code == 200 and "Choose at least one bid" in body
    assert f'<option value="{personas.assessor.pk}" selected>' in body
    no_assessor = client.post(url, {"action": "assign", "assessor": "", "bids": [bids[0].pk, bids[2].pk]})
    body = no_assessor.content.decode()
    assert no_assessor.status_code == 200 and "govuk-error-summary" in body
    assert f'value="{bids[0].pk}" id="bid-{bids[0].pk}" checked' in body
    assert f'value="{bids[2].pk}" id="bid-{bids[2].pk}" checked' in body
    assert f'value="{bids[1].pk}" id="bid-{bids[1].pk}">' in body
    assert not Assignment.objects.exists()


def test_other_assessors_gateway_scores_read_pass_or_fail(personas, client_for):
    rnd = personas.round
    quality = CriterionFactory(round=rnd, name="Quality", scale=Scale.ZERO_FOUR)
    gate = CriterionFactory(round=rnd, name="Eligible", scale=Scale.GATEWAY)
    bid = SubmittedBidFactory(round=rnd)
    for p in (personas.assessor, personas.panel_chair):
        declare(p, rnd)
    assign_and_submit(bid=bid, assessor=personas.panel_chair, criteria=[quality, gate], scores={quality: 1, gate: 0})
    assign_and_submit(bid=bid, assessor=personas.assessor, criteria=[quality, gate], scores={quality: 3, gate: 1})
    page = client_for(personas.assessor).get(reverse("scoring:assess_bid", args=[rnd.slug, bid.pk])).content.decode()
    others = page.split("Other assessors' scores", 1)[1]
    assert '<td class="govuk-table__cell">Eligible</td><td class="govuk-table__cell">Fail</td>' in others
    assert '<td class="govuk-table__cell">Quality</td><td class="govuk-table__cell">1</td>' in others
