"""Weighted totals per assessment, per bid (mean, spread), gateway failures and versions."""

from decimal import Decimal

import pytest

from scoring import selectors, services
from scoring.models import Assessment, Scale, Score
from tests import factories as f

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(personas):
    rnd = personas.round
    quality = CriterionFactory(round=rnd, name="Quality", weight=30, scale=Scale.ZERO_FOUR)
    impact = CriterionFactory(round=rnd, name="Impact", weight=20, scale=Scale.ONE_FIVE)
    gateway = CriterionFactory(round=rnd, name="Eligible", scale=Scale.GATEWAY)
    second = f.UserFactory()
    f.PanelMemberFactory(panel=rnd.panel, user=second)
    for person in (personas.assessor, second, personas.panel_chair):
        declare(person, rnd)
    return rnd, [quality, impact, gateway], personas.assessor, second


def test_percentage_is_weighted_sum_over_weighted_maximum(setup):
    rnd, (quality, impact, gateway), assessor, _ = setup
    bid = SubmittedBidFactory(round=rnd)
    a = assign_and_submit(
        bid=bid, assessor=assessor, criteria=[quality, impact, gateway], scores={quality: 3, impact: 4, gateway: 1}
    )
    # (3*30 + 4*20) / (4*30 + 5*20) * 100 = 170 / 220 * 100 = 77.27
    assert a.percentage == Decimal("77.27")
    assert a.gateway_failed is False
    assert services.percentage_for([(quality, 0), (impact, 1)]) == (Decimal("9.09"), False)
    assert services.percentage_for([(gateway, 0)]) == (None, True)


def test_bid_mean_spread_and_gateway_in_the_database(setup):
    rnd, (quality, impact, gateway), assessor, second = setup
    bid = SubmittedBidFactory(round=rnd)
    crit = [quality, impact, gateway]
    assign_and_submit(bid=bid, assessor=assessor, criteria=crit, scores={quality: 4, impact: 5, gateway: 1})  # 100
    assign_and_submit(bid=bid, assessor=second, criteria=crit, scores={quality: 2, impact: 1, gateway: 0})  # 80/220
    row = selectors.scored_bids(rnd, detail=True).get(pk=bid.pk)
    assert row.n_assessed == 2
    low = Decimal(80) / Decimal(220) * 100
    assert selectors.as_decimal(row.mean_pct) == ((Decimal(100) + low) / 2).quantize(Decimal("0.01"))
    assert selectors.as_decimal(row.final_pct) == selectors.as_decimal(row.mean_pct)
    assert selectors.as_decimal(row.spread) == (Decimal(100) - low.quantize(Decimal("0.01")))
    assert row.gateway_failed is True


def test_a_change_after_submission_adds_a_version_and_the_latest_counts(setup):
    rnd, (quality, impact, gateway), assessor, _ = setup
    bid = SubmittedBidFactory(round=rnd)
    crit = [quality, impact, gateway]
    first = assign_and_submit(bid=bid, assessor=assessor, criteria=crit, scores={quality: 1, impact: 1, gateway: 1})
    first_rows = list(Score.objects.filter(assessment=first).values_list("pk", "score", "version"))
    assign_and_submit(bid=bid, assessor=assessor, criteria=crit, scores={quality: 4, impact: 5, gateway: 1})
    again = Assessment.objects.get(pk=first.pk)
    assert again.submitted_version == 2
    assert again.percentage == Decimal("100.00")
    # The first version's rows are untouched.
    assert list(Score.objects.filter(assessment=first, version=1).values_list("pk", "score", "version")) == first_rows
    assert Score.objects.filter(assessment=first).count() == 6
    assert selectors.as_decimal(selectors.scored_bids(rnd).get(pk=bid.pk).final_pct) == Decimal("100.00")


def test_submission_needs_every_score_and_justification_and_keeps_the_draft(setup):
    rnd, (quality, impact, gateway), assessor, _ = setup
    bid = SubmittedBidFactory(round=rnd)
    from scoring.models import Assignment

    row = Assignment.objects.create(bid=bid, assessor=assessor)
    data = {quality.pk: {"score": "3", "justification": ""}, impact.pk: {"score": "", "justification": "Good"}}
    services.assessment_save_draft(assignment=row, user=assessor, data=data)
    with pytest.raises(services.AssessmentError) as exc:
        services.assessment_submit(assignment=row, user=assessor, data=data)
    errors = exc.value.message_dict
    assert (
        f"justification_{quality.pk}" in errors and f"score_{impact.pk}" in errors and f"score_{gateway.pk}" in errors
    )
    draft = Assessment.objects.get(assignment=row)
    assert draft.draft[str(quality.pk)] == {"score": 3, "justification": ""}
    assert draft.submitted_version == 0 and not Score.objects.exists()
    with pytest.raises(services.AssessmentError):
        services.assessment_save_draft(assignment=row, user=assessor, data={impact.pk: {"score": "9"}})


def test_scores_of_a_withdrawn_assessor_stop_counting(setup):
    rnd, (quality, impact, gateway), assessor, second = setup
    bid = SubmittedBidFactory(round=rnd)
    crit = [quality, impact, gateway]
    a = assign_and_submit(bid=bid, assessor=assessor, criteria=crit, scores={quality: 4, impact: 5, gateway: 1})
    assign_and_submit(bid=bid, assessor=second, criteria=crit, scores={quality: 0, impact: 1, gateway: 1})
    services.assignment_withdraw(assignment=a.assignment, actor=None, reason="Reassigned")
    row = selectors.scored_bids(rnd, detail=True).get(pk=bid.pk)
    assert row.n_assessed == 1
    assert selectors.as_decimal(row.final_pct) == Decimal("9.09")
