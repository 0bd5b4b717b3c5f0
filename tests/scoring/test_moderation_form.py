"""The moderation page saves all of a submission or none of it, and says what is wrong with
every criterion at once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.models import ModeratedScore, Scale
from tests import factories as f

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def wide(personas):
    rnd = personas.round
    quality = CriterionFactory(round=rnd, name="Quality", weight=3, scale=Scale.ZERO_FOUR, order=1)
    value = CriterionFactory(round=rnd, name="Value", weight=1, scale=Scale.ONE_FIVE, order=2)
    gate = CriterionFactory(round=rnd, name="Eligible", scale=Scale.GATEWAY, order=3)
    bid = SubmittedBidFactory(round=rnd, amount_requested=Decimal("10000.00"))
    for score in (4, 0):
        person = f.UserFactory()
        f.PanelMemberFactory(panel=rnd.panel, user=person)
        declare(person, rnd)
        assign_and_submit(
            bid=bid, assessor=person, criteria=[quality, value, gate], scores={quality: score, value: 3, gate: 1}
        )
    url = reverse("scoring:moderate_bid", args=[rnd.slug, bid.pk])
    return bid, quality, value, gate, url


def test_one_bad_criterion_saves_nothing_and_every_error_is_listed(personas, wide, client_for):
    bid, quality, value, gate, url = wide
    client = client_for(personas.panel_chair)
    response = client.post(
        url,
        {
            f"score_{quality.pk}": "2",
            f"reason_{quality.pk}": "Agreed at panel",
            f"score_{value.pk}": "abc",
            f"reason_{value.pk}": "Typed a word",
            f"score_{gate.pk}": "0",
            f"reason_{gate.pk}": "",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert not ModeratedScore.objects.filter(bid=bid).exists()
    summary = body.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert f'href="#score_{value.pk}">Value: choose a score<' in summary
    assert f'href="#reason_{gate.pk}">Eligible: give a reason for the moderated score<' in summary
    assert "invalid literal" not in body
    assert "Agreed at panel" in body  # what was typed is kept
    assert body.count("govuk-form-group--error") == 2


def test_out_of_range_and_a_reason_without_a_score(personas, wide, client_for):
    bid, quality, value, gate, url = wide
    client = client_for(personas.panel_chair)
    response = client.post(url, {f"score_{value.pk}": "9", f"reason_{value.pk}": "x", f"reason_{quality.pk}": "y"})
    body = response.content.decode()
    assert "Value: choose a score from 1 to 5" in body and "Quality: choose a score" in body
    assert not ModeratedScore.objects.filter(bid=bid).exists()
    nothing = client.post(url, {})
    assert "Choose a moderated score for at least one criterion" in nothing.content.decode()


def test_a_good_submission_records_every_criterion(personas, wide, client_for):
    bid, quality, value, gate, url = wide
    client = client_for(personas.panel_chair)
    response = client.post(
        url,
        {
            f"score_{quality.pk}": "2",
            f"reason_{quality.pk}": "Agreed at panel",
            f"score_{gate.pk}": "0",
            f"reason_{gate.pk}": "Not eligible",
        },
    )
    assert response.status_code == 302
    assert dict(ModeratedScore.objects.filter(bid=bid).values_list("criterion__name", "score")) == {
        "Quality": 2,
        "Eligible": 0,
    }
    page = client.get(url).content.decode()
    assert "Moderated to <strong>Fail</strong>" in page  # a gateway reads Pass or Fail, not 0 or 1
