"""Moderation, the ranking's tie-break, the funding line, decisions and the budget."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from applications.models import Bid, BidStatus
from grants.awards.selectors import round_committed
from grants.models import AuditEvent, Round
from notifications.models import Notification
from scoring import selectors, services
from scoring.models import Decision
from tests import factories as f

from .factories import SubmittedBidFactory, declare
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(personas, gated_round):
    """Criteria Quality (0-4, weight 3) and Eligible (gateway); two assessors."""
    rnd, quality, gate, second = gated_round
    declare(personas.assessor, rnd)

    def bid(scores, amount="40000.00", gate_ok=(1, 1), lead=None):
        b = SubmittedBidFactory(round=rnd, amount_requested=Decimal(amount), **({"lead": lead} if lead else {}))
        for person, s, g in zip((personas.assessor, second), scores, gate_ok, strict=True):
            assign_and_submit(bid=b, assessor=person, criteria=[quality, gate], scores={quality: s, gate: g})
        return b

    return rnd, quality, gate, bid


def test_tie_break_gateway_then_score_then_smaller_request(scored):
    rnd, _, _, bid = scored
    failed = bid((4, 4), gate_ok=(1, 0))  # best score, but a gateway failure
    big = bid((3, 3), amount="50000.00")
    small = bid((3, 3), amount="20000.00")
    top = bid((4, 3))
    order = [b.pk for b in selectors.ranking_queryset(rnd)]
    assert order == [top.pk, small.pk, big.pk, failed.pk]


def test_the_funding_line_says_whether_the_budget_ran_out(scored, personas, client_for):
    """Below the line the budget runs out only when a fundable bid did not fit; when every bid
    fits, the line says what is left instead."""
    rnd, _, _, bid = scored
    bid((4, 4), "40000.00"), bid((3, 3), "40000.00")
    url = reverse("scoring:ranking", args=[rnd.slug])
    assert selectors.ranking_for_round(rnd).budget_ran_out is False
    page = client_for(personas.programme_manager).get(url).content.decode()
    assert "the bids above it fit the budget, with £20,000 left" in page and "runs out" not in page
    bid((2, 2), "40000.00")  # £120,000 asked of £100,000
    assert selectors.ranking_for_round(rnd).budget_ran_out is True
    page = client_for(personas.programme_manager).get(url).content.decode()
    assert "the budget runs out below this bid" in page


def test_funding_line_moves_with_recommended_amounts_and_reserves(scored, personas):
    rnd, _, _, bid = scored
    a, b, c = bid((4, 4), "40000.00"), bid((3, 3), "40000.00"), bid((2, 2), "40000.00")
    result = selectors.ranking_for_round(rnd)
    assert [r.above_line for r in result.rows] == [True, True, False]
    assert result.line_after == 2 and result.recommended_total == Decimal("80000.00")
    assert [r.running_total for r in result.rows] == [Decimal("40000.00"), Decimal("80000.00"), None]
    # Partial funding of the second bid brings the third above the line.
    services.decision_propose(bid=b, actor=personas.programme_manager, outcome="funded", amount=Decimal("20000.00"))
    result = selectors.ranking_for_round(rnd)
    assert [r.above_line for r in result.rows] == [True, True, True]
    assert result.recommended_total == Decimal("100000.00")
    # A reserve takes nothing from the budget.
    services.decision_propose(bid=a, actor=personas.programme_manager, outcome="reserve")
    result = selectors.ranking_for_round(rnd)
    assert [r.above_line for r in result.rows] == [False, True, True]
    assert result.rows[2].running_total == Decimal("60000.00")
    assert c.pk == result.rows[2].bid.pk


def test_moderated_scores_replace_the_mean_and_count_in_the_ranking(scored, personas):
    rnd, quality, gate, bid = scored
    wide = bid((4, 0))  # 100% and 0%: spread 100 > 20
    narrow = bid((3, 3))
    queue = list(selectors.moderation_queue(rnd, Decimal("20")))
    assert [b.pk for b in queue] == [wide.pk]
    assert selectors.as_decimal(queue[0].final_pct) == Decimal("50.00")
    services.moderated_score_record(
        bid=wide, criterion=quality, score=1, reason="Weak evidence", actor=personas.panel_chair
    )
    row = selectors.scored_bids(rnd).get(pk=wide.pk)
    assert selectors.as_decimal(row.final_pct) == Decimal("25.00")
    assert [b.pk for b in selectors.ranking_queryset(rnd)] == [narrow.pk, wide.pk]
    # A second moderation replaces the first; both rows are kept and audited.
    services.moderated_score_record(
        bid=wide, criterion=quality, score=4, reason="On reflection", actor=personas.programme_manager
    )
    assert selectors.as_decimal(selectors.scored_bids(rnd).get(pk=wide.pk).final_pct) == Decimal("100.00")
    assert wide.moderated_scores.count() == 2 and wide.moderated_scores.filter(is_current=True).count() == 1
    audited = AuditEvent.objects.filter(action="moderation.recorded", target_type="scoring.moderatedscore")
    assert sorted(audited.values_list("target_id", flat=True)) == sorted(
        str(pk) for pk in wide.moderated_scores.values_list("pk", flat=True)
    )
    assert not AuditEvent.objects.filter(target_type="applications.bid", target_id=str(wide.pk)).exists()
    # Moderating a gateway to pass clears a failure.
    failed = bid((3, 3), gate_ok=(1, 0))
    assert selectors.scored_bids(rnd).get(pk=failed.pk).gateway_failed
    services.moderated_score_record(
        bid=failed, criterion=gate, score=1, reason="Eligible after all", actor=personas.panel_chair
    )
    assert not selectors.scored_bids(rnd).get(pk=failed.pk).gateway_failed
    with pytest.raises(services.AssessmentError):
        services.moderated_score_record(bid=wide, criterion=quality, score=2, reason="", actor=personas.panel_chair)
    with pytest.raises(services.AssessmentError):
        services.moderated_score_record(bid=wide, criterion=quality, score=2, reason="x", actor=personas.assessor)


def test_moderation_page_for_the_chair(scored, personas, client_for):
    rnd, quality, _, bid = scored
    wide = bid((4, 0))
    client = client_for(personas.panel_chair)
    url = reverse("scoring:moderate_bid", args=[rnd.slug, wide.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {f"score_{quality.pk}": "2", f"reason_{quality.pk}": ""})
    assert bad.status_code == 200 and "give a reason" in bad.content.decode()
    ok = client.post(url, {f"score_{quality.pk}": "2", f"reason_{quality.pk}": "Agreed at panel"})
    assert ok.status_code == 302
    assert wide.moderated_scores.get(is_current=True).score == 2


def test_confirming_decisions_sets_statuses_awards_outcomes_and_decided_at(scored, personas):
    rnd, _, _, bid = scored
    lead_bid = bid((4, 4), "40000.00", lead=personas.lead_org)
    other = bid((1, 1), "40000.00")
    officer = f.CouncilOfficerFactory(organisation=other.lead)
    pm = personas.programme_manager
    services.decision_propose(bid=lead_bid, actor=pm, outcome="funded", amount=Decimal("35000.00"))
    services.decision_propose(bid=other, actor=pm, outcome="not_funded", feedback="The evidence was thin.")
    services.decisions_confirm(round=rnd, bid_ids=[lead_bid.pk, other.pk], actor=pm)
    lead_bid.refresh_from_db(), other.refresh_from_db(), rnd.refresh_from_db()
    assert lead_bid.status == BidStatus.FUNDED and other.status == BidStatus.NOT_FUNDED
    assert rnd.decided_at is not None
    from grants.awards.models import Award

    assert Award.objects.get(bid=lead_bid).amount == Decimal("35000.00")
    assert not Award.objects.filter(bid=other).exists()
    note = Notification.objects.get(event="outcome", recipient=personas.lead_officer, channel="in_app")
    assert note.context["funded"] is True and note.context["amount"] == "35000.00"
    from notifications.services import render_email

    email = Notification.objects.get(event="outcome", recipient=personas.lead_officer, channel="email")
    assert "we intend to offer a grant of £35,000." in " ".join(render_email(email)[1].split())
    refusal = Notification.objects.get(event="outcome", recipient=officer, channel="in_app")
    assert refusal.context["funded"] is False and refusal.context["feedback"] == "The evidence was thin."
    with pytest.raises(services.AssessmentError):
        services.decision_propose(bid=lead_bid, actor=pm, outcome="not_funded")


def test_reserve_then_funded_later(scored, personas):
    rnd, _, _, bid = scored
    b = bid((3, 3))
    pm = personas.programme_manager
    services.decision_propose(bid=b, actor=pm, outcome="reserve")
    services.decisions_confirm(round=rnd, bid_ids=[b.pk], actor=pm)
    b.refresh_from_db()
    assert b.status == BidStatus.RESERVE
    services.decision_propose(bid=b, actor=pm, outcome="funded")
    services.decisions_confirm(round=rnd, bid_ids=[b.pk], actor=pm)
    b.refresh_from_db()
    assert b.status == BidStatus.FUNDED and b.decision.amount == b.amount_requested


def test_the_budget_is_never_over_committed(scored, personas):
    rnd, _, _, bid = scored
    pm = personas.programme_manager
    a, b, c = bid((4, 4), "50000.00"), bid((3, 3), "40000.00"), bid((2, 2), "30000.00")
    for x in (a, b, c):
        services.decision_propose(bid=x, actor=pm, outcome="funded")
    with pytest.raises(services.AssessmentError, match="more than the budget"):
        services.decisions_confirm(round=rnd, bid_ids=[a.pk, b.pk, c.pk], actor=pm)
    assert not Decision.objects.filter(status="confirmed").exists()
    assert Bid.objects.get(pk=a.pk).status == BidStatus.SUBMITTED
    services.decisions_confirm(round=rnd, bid_ids=[a.pk, b.pk], actor=pm)
    with pytest.raises(services.AssessmentError):
        services.decisions_confirm(round=rnd, bid_ids=[c.pk], actor=pm)
    with pytest.raises(services.AssessmentError, match="more than"):
        services.decision_propose(bid=c, actor=pm, outcome="funded", amount=Decimal("30000.01"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_confirming_at_once_cannot_over_commit(personas):
    """Two threads confirm different bids whose sum passes the budget; exactly one wins."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    rnd = personas.round
    Round.objects.filter(pk=rnd.pk).update(budget=Decimal("100000.00"), max_award=Decimal("60000.00"))
    pm = personas.programme_manager
    second_pm = f.UserFactory()
    from grants.models import StaffRole

    StaffRole.objects.create(user=second_pm, role="programme_manager", programme=rnd.programme)
    x = SubmittedBidFactory(round=rnd, amount_requested=Decimal("60000.00"))
    y = SubmittedBidFactory(round=rnd, amount_requested=Decimal("60000.00"))
    # Unassessed bids: the override (with its reason) is what this race is not about.
    reason = "Decided on the panel's papers"
    services.decision_propose(bid=x, actor=pm, outcome="funded", assessments_override=reason)
    services.decision_propose(bid=y, actor=pm, outcome="funded", assessments_override=reason)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def confirm(actor, bid):
        from django.db import connections

        try:
            barrier.wait()
            services.decisions_confirm(round=Round.objects.get(pk=rnd.pk), bid_ids=[bid.pk], actor=actor)
            results.append("ok")
        except services.AssessmentError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(pm, x)), threading.Thread(target=confirm, args=(second_pm, y))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert round_committed(round=rnd) == Decimal("60000.00")
    assert Bid.objects.filter(round=rnd, status=BidStatus.FUNDED).count() == 1


def test_ranking_page_costs_a_fixed_number_of_queries(
    scored, personas, client_for, django_assert_max_num_queries, data_cache_off
):
    rnd, _, _, bid = scored
    client = client_for(personas.programme_manager)
    bid((4, 4))
    client.get(reverse("scoring:ranking", args=[rnd.slug]))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("scoring:ranking", args=[rnd.slug]))
    for i in range(6):
        bid((i % 5, 4 - i % 5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("scoring:ranking", args=[rnd.slug]))
    assert response.status_code == 200 and response.content.decode().count('data-testid="rank-') == 7
