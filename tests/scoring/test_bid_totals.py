"""Each bid's stored totals (`BidTotals`, what the ranking reads) equal the ranking's rule worked
out from scratch (`scoring.totals.totals_for`) after every write that changes what the ranking
shows, through the services that make it; and the data migration fills them for existing data.
(tests/scoring/test_ranking_rule.py checks the rule itself against the score rows.)"""

from importlib import import_module

import pytest
from django.apps import apps

from scoring import selectors, services
from scoring.models import Assignment, BidTotals, Scale
from scoring.totals import FIELDS, NOTHING, Totals, totals_for

from .factories import CriterionFactory, SubmittedBidFactory
from .helpers import assign_and_submit, weighted_panel

pytestmark = pytest.mark.django_db


def stored(bid_ids) -> dict:
    """What the services stored, as the rule's Totals (a bid without a row: nothing yet)."""
    rows = {t.bid_id: t for t in BidTotals.objects.filter(bid_id__in=list(bid_ids))}
    return {
        pk: Totals(**{name: getattr(rows[pk], name) for name in FIELDS}) if pk in rows else NOTHING for pk in bid_ids
    }


def assert_true_to_the_rows(rnd) -> None:
    ids = list(selectors.live_bids(rnd).values_list("pk", flat=True))
    assert stored(ids) == totals_for(ids)


@pytest.fixture
def panel(personas):
    """Quality (0-4, weight 3), Impact (1-5, weight 2), Eligible (gateway); three declared
    assessors; two bids each scored by the first two."""
    rnd = personas.round
    criteria, people = weighted_panel(rnd, [personas.assessor, personas.panel_chair], impact_scale=Scale.ONE_FIVE)
    bids = [SubmittedBidFactory(round=rnd), SubmittedBidFactory(round=rnd, lead=personas.other_org)]
    quality, impact, gate = criteria
    for bid in bids:
        for person, s in zip(people[:2], (4, 1), strict=True):
            assign_and_submit(bid=bid, assessor=person, criteria=criteria, scores={quality: s, impact: 5, gate: 1})
    return rnd, criteria, people, bids, personas


def _submit(ctx, person, scores):
    rnd, criteria, people, bids, _ = ctx
    assign_and_submit(bid=bids[0], assessor=person, criteria=criteria, scores=dict(zip(criteria, scores, strict=True)))


def _moderate(ctx, criterion_index, score, actor="programme_manager"):
    rnd, criteria, people, bids, personas = ctx
    services.moderated_score_record(
        bid=bids[0], criterion=criteria[criterion_index], score=score, reason="Agreed", actor=getattr(personas, actor)
    )


def _withdraw(ctx):
    rnd, criteria, people, bids, personas = ctx
    row = Assignment.objects.get(bid=bids[0], assessor=people[1], withdrawn_at__isnull=True)
    services.assignment_withdraw(assignment=row, actor=personas.programme_manager, reason="Reassigned")


def _conflict(ctx):
    rnd, criteria, people, bids, _ = ctx
    services.conflict_declare(bid=bids[0], user=people[0], nature="My sister wrote it")


def _interest(ctx):
    rnd, criteria, people, bids, personas = ctx
    services.interest_add(round=rnd, user=people[1], organisation=bids[0].lead, nature="Former employer")


WRITES = {
    "first submission": lambda ctx: _submit(ctx, ctx[2][2], (2, 3, 1)),
    "resubmission": lambda ctx: _submit(ctx, ctx[2][0], (0, 1, 1)),
    "submission failing the gateway": lambda ctx: _submit(ctx, ctx[2][2], (3, 3, 0)),
    "moderated score": lambda ctx: _moderate(ctx, 0, 2),
    "moderated again": lambda ctx: (_moderate(ctx, 0, 2), _moderate(ctx, 0, 0, actor="panel_chair")),
    "moderated gateway fail": lambda ctx: _moderate(ctx, 2, 0),
    "assignment withdrawn": _withdraw,
    "conflict declared while assessing": _conflict,
    "interest declared in the lead council": _interest,
    "moderated, then an assessor withdrawn": lambda ctx: (_moderate(ctx, 1, 1), _withdraw(ctx)),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_totals_follow_every_write(panel, write):
    rnd, _, _, bids, _ = panel
    assert_true_to_the_rows(rnd)
    before = stored([bids[0].pk])
    WRITES[write](panel)
    assert stored([bids[0].pk]) != before  # the write changed what the ranking shows
    assert_true_to_the_rows(rnd)
    row = next(r for r in selectors.ranking_for_round(rnd).rows if r.bid.pk == bids[0].pk)
    assert row.bid.final_pct == totals_for([bids[0].pk])[bids[0].pk].final_pct


def test_criteria_changed_before_scoring_starts_reach_a_moderated_bid(personas):
    """Moderation can come before any score (criteria stay open until one is saved): turning the
    moderated criterion into a gateway makes its 0 a gateway failure."""
    rnd = personas.round
    quality = CriterionFactory(round=rnd, name="Quality", weight=3, scale=Scale.ZERO_FOUR)
    CriterionFactory(round=rnd, name="Impact", weight=2, scale=Scale.ZERO_FOUR)
    bid = SubmittedBidFactory(round=rnd)
    services.moderated_score_record(bid=bid, criterion=quality, score=0, reason="No", actor=personas.programme_manager)
    assert stored([bid.pk])[bid.pk].gateway_failed is False
    services.criterion_save(round=rnd, actor=personas.programme_manager, criterion=quality, scale=Scale.GATEWAY)
    assert stored([bid.pk])[bid.pk].gateway_failed is True
    assert_true_to_the_rows(rnd)


def test_a_bid_nobody_scored_ranks_unscored_without_a_row(panel):
    rnd, *_ = panel
    fresh = SubmittedBidFactory(round=rnd)
    assert not BidTotals.objects.filter(bid=fresh).exists()
    row = next(r for r in selectors.ranking_for_round(rnd).rows if r.bid.pk == fresh.pk)
    assert (row.final, row.bid.gateway_failed, row.rank) == (None, False, 3)


def test_the_migration_fills_totals_for_existing_data(panel):
    rnd, _, _, bids, _ = panel
    _moderate(panel, 0, 1)
    BidTotals.objects.all().delete()
    fill = import_module("scoring.migrations.0008_i19_bid_totals").fill
    fill(apps, None)  # today's registry stands in for the historical one
    assert set(BidTotals.objects.values_list("bid_id", flat=True)) == {b.pk for b in bids}
    assert_true_to_the_rows(rnd)


def test_the_ranking_reads_the_totals_in_a_fixed_number_of_queries(panel, django_assert_num_queries):
    rnd, criteria, people, _, _ = panel
    with django_assert_num_queries(2):  # the bids with their totals, and what the round committed
        assert len(selectors.ranking_for_round(rnd).rows) == 2
    for _ in range(5):
        bid = SubmittedBidFactory(round=rnd)
        assign_and_submit(bid=bid, assessor=people[2], criteria=criteria, scores=dict.fromkeys(criteria, 1))
    with django_assert_num_queries(2):
        assert len(selectors.ranking_for_round(rnd).rows) == 7
