"""Decisions: only on live bids, gateway failures need a reason to be funded, a reserve can be
confirmed again, scores settle once the outcome is confirmed, and the funding line counts
confirmed funding wherever it ranks."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Bid, BidStatus
from grants.awards.selectors import round_committed
from grants.models import AuditEvent
from scoring import selectors, services
from scoring.models import Assignment, Decision
from tests import factories as f

from .factories import SubmittedBidFactory
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(gated_round):
    rnd, quality, gate, second = gated_round
    rnd.panel.assessors_per_bid = 1  # one assessor scores each bid here, which is all a bid needs
    rnd.panel.save()

    def scored(score=3, gate_ok=1, amount="40000.00"):
        bid = SubmittedBidFactory(round=rnd, amount_requested=Decimal(amount))
        assign_and_submit(bid=bid, assessor=second, criteria=[quality, gate], scores={quality: score, gate: gate_ok})
        return bid

    return rnd, quality, gate, second, scored


def test_a_draft_bid_cannot_be_decided(personas, panel, client_for):
    rnd = panel[0]
    draft = SubmittedBidFactory(round=rnd, status=BidStatus.DRAFT, reference="", reference_number=None)
    with pytest.raises(services.AssessmentError, match="Only submitted bids"):
        services.decision_propose(bid=draft, actor=personas.programme_manager, outcome="funded")
    client = client_for(personas.programme_manager)
    url = reverse("scoring:decision_edit", args=[rnd.slug, draft.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "funded"}).status_code == 404
    assert client.get(reverse("scoring:moderate_bid", args=[rnd.slug, draft.pk])).status_code == 404
    # A decision written behind the services' back is still never confirmed.
    Decision.objects.create(bid=draft, round=rnd, outcome="funded", amount=Decimal("1000.00"))
    with pytest.raises(services.AssessmentError):
        services.decisions_confirm(round=rnd, bid_ids=[draft.pk], actor=personas.programme_manager)
    assert Bid.objects.get(pk=draft.pk).status == BidStatus.DRAFT


def test_a_reserve_can_be_confirmed_as_reserve_again(personas, panel):
    rnd, *_, scored = panel
    bid = scored()
    pm = personas.programme_manager
    services.decision_propose(bid=bid, actor=pm, outcome="reserve")
    services.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=pm)
    services.decision_propose(bid=Bid.objects.get(pk=bid.pk), actor=pm, outcome="reserve", feedback="Still reserve")
    (decision,) = services.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=pm)
    assert decision.is_confirmed and Bid.objects.get(pk=bid.pk).status == BidStatus.RESERVE


def test_funding_a_gateway_failure_needs_a_reason_which_is_audited(personas, panel, client_for):
    rnd, *_, scored = panel
    failed = scored(score=4, gate_ok=0)
    pm = personas.programme_manager
    with pytest.raises(services.AssessmentError) as refused:
        services.decision_propose(bid=failed, actor=pm, outcome="funded")
    assert "gateway_override" in refused.value.message_dict
    client = client_for(pm)
    url = reverse("scoring:decision_edit", args=[rnd.slug, failed.pk])
    page = client.post(url, {"outcome": "funded", "amount": "", "feedback": ""})
    body = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in body and "failed a gateway criterion" in body
    assert not Decision.objects.filter(bid=failed).exists()
    # Not funded needs no reason.
    services.decision_propose(bid=failed, actor=pm, outcome="not_funded")
    ok = client.post(url, {"outcome": "funded", "gateway_override": "Eligibility confirmed by legal team"})
    assert ok.status_code == 302
    decision = Decision.objects.get(bid=failed)
    assert decision.outcome == "funded" and decision.gateway_override == "Eligibility confirmed by legal team"
    event = AuditEvent.objects.get(action="decision.gateway_override")
    assert event.target_id == str(decision.pk) and "legal team" in event.summary
    services.decisions_confirm(round=rnd, bid_ids=[failed.pk], actor=pm)
    assert Bid.objects.get(pk=failed.pk).status == BidStatus.FUNDED


def test_a_gateway_failing_after_the_proposal_stops_confirmation(personas, panel):
    rnd, _, gate, _, scored = panel
    bid = scored()
    pm = personas.programme_manager
    services.decision_propose(bid=bid, actor=pm, outcome="funded")
    services.moderated_score_record(bid=bid, criterion=gate, score=0, reason="Not eligible", actor=pm)
    with pytest.raises(services.AssessmentError, match="failed a gateway"):
        services.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=pm)
    assert Bid.objects.get(pk=bid.pk).status == BidStatus.SUBMITTED


def test_scores_cannot_change_once_the_outcome_is_confirmed(personas, panel):
    rnd, quality, gate, second, scored = panel
    bid, reserve = scored(score=1), scored(score=2)
    pm = personas.programme_manager
    services.decision_propose(bid=bid, actor=pm, outcome="not_funded")
    services.decision_propose(bid=reserve, actor=pm, outcome="reserve")
    services.decisions_confirm(round=rnd, bid_ids=[bid.pk, reserve.pk], actor=pm)
    row = Assignment.objects.get(bid=bid, assessor=second)
    data = {quality.pk: {"score": 4, "justification": "Better"}, gate.pk: {"score": 1, "justification": "Yes"}}
    with pytest.raises(services.AssessmentError, match="can no longer change"):
        services.assessment_submit(assignment=row, user=second, data=data)
    with pytest.raises(services.AssessmentError, match="can no longer change"):
        services.assessment_save_draft(assignment=row, user=second, data=data)
    assert row.assessment.submitted_version == 1
    # Every live bid is decided now, so even the reserve's scores are settled.
    reserve_row = Assignment.objects.get(bid=reserve, assessor=second)
    with pytest.raises(services.AssessmentError, match="can no longer change"):
        services.assessment_submit(assignment=reserve_row, user=second, data=data)


def test_a_reserve_can_still_be_rescored_while_the_round_is_open(personas, panel):
    rnd, quality, gate, second, scored = panel
    reserve = scored(score=2)
    scored()  # undecided: the round is not decided
    pm = personas.programme_manager
    services.decision_propose(bid=reserve, actor=pm, outcome="reserve")
    services.decisions_confirm(round=rnd, bid_ids=[reserve.pk], actor=pm)
    row = Assignment.objects.get(bid=reserve, assessor=second)
    data = {quality.pk: {"score": 4, "justification": "Better"}, gate.pk: {"score": 1, "justification": "Yes"}}
    assert services.assessment_submit(assignment=row, user=second, data=data).submitted_version == 2


def test_confirmed_funding_below_the_line_is_always_counted(personas, panel):
    rnd, *_, scored = panel
    pm = personas.programme_manager
    a = scored(score=4, amount="60000.00")
    b = scored(score=3, amount="50000.00")
    c = scored(score=2, amount="30000.00")
    services.decision_propose(bid=c, actor=pm, outcome="funded")
    services.decisions_confirm(round=rnd, bid_ids=[c.pk], actor=pm)
    result = selectors.ranking_for_round(rnd)
    assert [r.bid.pk for r in result.rows] == [a.pk, b.pk, c.pk]
    # 30,000 committed first; a (60,000) fits in what is left, b (50,000) does not.
    assert [r.above_line for r in result.rows] == [True, False, True]
    assert result.recommended_total == Decimal("90000.00") and result.remaining == Decimal("10000.00")
    assert result.line_after == 1
    assert [r.running_total for r in result.rows] == [Decimal("90000.00"), None, Decimal("90000.00")]
    assert result.recommended_total == round_committed(round=rnd) + a.amount_requested


def test_assessment_messages_name_their_programme(personas, panel):
    """So the programme's managers (not only administrators) can resend one that failed."""
    from notifications.models import Notification

    rnd, *_, second, scored = panel
    bid = scored()
    f.UserFactory(organisation=bid.lead, org_role="officer")  # someone at the council to tell
    pm = personas.programme_manager
    services.assign(bid=SubmittedBidFactory(round=rnd), assessor=second, actor=pm)
    services.decision_propose(bid=bid, actor=pm, outcome="not_funded", feedback="Not this time")
    services.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=pm)
    notes = Notification.objects.filter(event__in=["outcome", "assessor_assigned"])
    assert set(notes.values_list("event", flat=True)) == {"outcome", "assessor_assigned"}
    assert set(notes.values_list("programme_id", flat=True)) == {rnd.programme_id}


def test_the_council_reads_the_whole_feedback_on_its_bid(personas, panel):
    """The bid keeps all the feedback (up to the form's 5,000 characters), not the 500 the audit
    row's summary holds."""
    rnd, *_, scored = panel
    bid = scored()
    feedback = "The panel's view, criterion by criterion. " * 40
    assert len(feedback) > 500
    services.decision_propose(bid=bid, actor=personas.programme_manager, outcome="not_funded", feedback=feedback)
    services.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=personas.programme_manager)
    assert Bid.objects.get(pk=bid.pk).status_reason == feedback.strip()
