"""The ranking's rule, worked out again here from the score rows in plain Python, must give what
the selector computes in the database on awkward data: ties, weights, moderated scores and
gateways, a conflicted (withdrawn) assessor, a draft never submitted, a resubmission and a bid
nobody scored. And the ranking page shows the whole round a page at a time, at a fixed cost."""

from decimal import Decimal

import pytest
from django.urls import reverse

from scoring import selectors, services
from scoring.models import Assessment, Criterion, ModeratedScore, Scale, Score
from scoring.views import ranking_page
from tests import factories as f

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import assign_and_submit, full_marks

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


def _reference(rnd) -> dict[int, dict]:
    """Each live bid's figures from its rows, as the selectors' docstring states the rule."""
    criteria = list(Criterion.objects.filter(round=rnd))
    weighted = [c for c in criteria if not c.is_gateway]
    denominator = sum(c.max_score * c.weight for c in weighted)
    out = {}
    for bid in selectors.live_bids(rnd):
        done = list(Assessment.objects.filter(bid=bid, submitted_version__gt=0, assignment__withdrawn_at__isnull=True))
        current = [
            {s.criterion_id: s.score for s in Score.objects.filter(assessment=a, version=a.submitted_version)}
            for a in done
        ]
        moderated = {m.criterion_id: m.score for m in ModeratedScore.objects.filter(bid=bid, is_current=True)}
        pcts = [a.percentage for a in done]
        if not done:
            final = None
        elif moderated:
            per_criterion = {
                c: Decimal(moderated[c.pk]) if c.pk in moderated else Decimal(sum(s[c.pk] for s in current)) / len(done)
                for c in weighted
            }
            final = sum(value * c.weight for c, value in per_criterion.items()) * 100 / denominator
        else:
            final = sum(pcts) / len(pcts)
        failed = any(
            moderated[c.pk] == 0 if c.pk in moderated else any(s[c.pk] == 0 for s in current)
            for c in criteria
            if c.is_gateway
        )
        out[bid.pk] = {
            "final": None if final is None else final.quantize(CENT),
            "mean": (sum(pcts) / len(pcts)).quantize(CENT) if pcts else None,
            "spread": (max(pcts) - min(pcts)).quantize(CENT) if pcts else None,
            "gateway_failed": failed,
            "moderated": bool(moderated),
            "amount": bid.amount_requested,
            "reference": bid.reference,
            "sort": None if final is None else final.quantize(Decimal("0.0001")),
        }
    return out


@pytest.fixture
def awkward(personas, gated_round):
    """Criteria Quality (weight 3), Impact (weight 1) and a gateway; three assessors."""
    rnd, quality, gate, second = gated_round
    impact = CriterionFactory(round=rnd, name="Impact", weight=1, scale=Scale.ZERO_FOUR)
    third = f.UserFactory()
    f.PanelMemberFactory(panel=rnd.panel, user=third)
    for person in (personas.assessor, third):
        declare(person, rnd)
    people = (personas.assessor, second, third)
    criteria = [quality, impact, gate]

    def bid(*marks, amount="30000.00"):
        b = SubmittedBidFactory(round=rnd, amount_requested=Decimal(amount))
        for person, (q, i, g) in zip(people, marks, strict=False):
            assign_and_submit(bid=b, assessor=person, criteria=criteria, scores={quality: q, impact: i, gate: g})
        return b

    chair = personas.panel_chair
    bid((4, 1, 1), (2, 3, 1), (3, 3, 1))  # unmoderated, three assessors
    bid((3, 2, 1), (3, 2, 1), amount="20000.00")  # these two tie on score: the smaller request first
    bid((3, 2, 1), (3, 2, 1), amount="25000.00")
    bid((3, 2, 1), (3, 2, 1), amount="25000.00")  # ties on both: by reference
    moderated = bid((4, 0, 1), (0, 4, 1))
    services.moderated_score_record(bid=moderated, criterion=quality, score=2, reason="Agreed", actor=chair)
    rescued = bid((4, 4, 0), (4, 4, 1))  # an assessor failed the gateway; moderation passes it
    services.moderated_score_record(bid=rescued, criterion=gate, score=1, reason="Eligible", actor=chair)
    barred = bid((4, 4, 1), (4, 4, 1))
    services.moderated_score_record(bid=barred, criterion=gate, score=0, reason="Not eligible", actor=chair)
    conflicted = bid((1, 1, 1), (2, 2, 1), (4, 4, 0))  # the third withdraws: the score and the fail go
    services.conflict_declare(bid=conflicted, user=third, nature="My former employer")
    partial = bid((2, 2, 1))  # the second assessor only saved a draft
    draft = services.assign(bid=partial, assessor=second, actor=personas.programme_manager)
    services.assessment_save_draft(assignment=draft, user=second, data=full_marks(criteria))
    changed = bid((1, 1, 1), (1, 1, 1))
    assign_and_submit(bid=changed, assessor=second, criteria=criteria, scores={quality: 4, impact: 4, gate: 1})
    unscored = SubmittedBidFactory(round=rnd)
    services.assign(bid=unscored, assessor=personas.assessor, actor=personas.programme_manager)
    return rnd, bid


def test_the_database_gives_what_the_rule_gives_from_the_rows(awkward):
    rnd, _ = awkward
    expected = _reference(rnd)
    assert len(expected) == 11 and sum(e["moderated"] for e in expected.values()) == 3
    result = selectors.ranking_for_round(rnd)
    got = {
        r.bid.pk: {
            "final": r.final,
            "mean": r.mean,
            "spread": r.spread,
            "gateway_failed": r.bid.gateway_failed,
            "moderated": r.bid.has_moderation,
            "amount": r.bid.amount_requested,
            "reference": r.bid.reference,
        }
        for r in result.rows
    }
    assert got == {pk: {k: v for k, v in e.items() if k != "sort"} for pk, e in expected.items()}

    def order(pk):
        e = expected[pk]
        return (e["gateway_failed"], e["sort"] is None, -(e["sort"] or 0), e["amount"], e["reference"])

    assert [r.bid.pk for r in result.rows] == sorted(expected, key=order)


def test_the_moderation_table_agrees_with_the_ranking(awkward):
    rnd, _ = awkward
    expected = _reference(rnd)
    for b in selectors.moderation_queue(rnd, Decimal("0")):
        assert selectors.as_decimal(b.final_pct) == expected[b.pk]["final"]
        assert selectors.as_decimal(b.max_pct) - selectors.as_decimal(b.min_pct) == expected[b.pk]["spread"]
        assert (
            b.n_assessed
            == Assessment.objects.filter(bid=b, submitted_version__gt=0, assignment__withdrawn_at__isnull=True).count()
        )


def test_the_ranking_page_shows_every_bid_a_page_at_a_time(
    awkward, personas, client_for, monkeypatch, django_assert_max_num_queries, data_cache_off
):
    rnd, bid = awkward
    monkeypatch.setattr(ranking_page, "RANKING_PAGE_SIZE", 5)
    result = selectors.ranking_for_round(rnd)
    client = client_for(personas.programme_manager)
    url = reverse("scoring:ranking", args=[rnd.slug])
    client.get(url)
    with django_assert_max_num_queries(40) as first:
        body = client.get(url).content.decode()
    assert [f'data-testid="rank-{n}"' in body for n in range(1, 8)] == [True] * 5 + [False] * 2
    assert "11 bids: 1 to 5" in body and "Page 1 of 3" in body
    if result.line_after > 5:
        assert f"Go to the funding line (page {(result.line_after - 1) // 5 + 1})" in body
    with django_assert_max_num_queries(len(first.captured_queries)):
        last = client.get(url + "?page=3").content.decode()
    assert 'data-testid="rank-11"' in last and 'data-testid="rank-5"' not in last
    # The totals are the whole round's on every page.
    budget = body[body.index('data-testid="budget"') : body.index("</dl>")]
    assert budget == last[last.index('data-testid="budget"') : last.index("</dl>")]
    for _ in range(6):
        bid((2, 2, 1), (3, 3, 1))
    with django_assert_max_num_queries(len(first.captured_queries)):
        more = client.get(url + "?page=4").content.decode()
    assert "17 bids: 16 to 17" in more and 'data-testid="rank-17"' in more
