"""Process guards in assessment, each refused with a message that says what to do next:
assessors are assigned only to a round with criteria; criteria lock at the first saved score;
scoring, moderation and decisions wait for the round to close unless it allows early
assessment; a decision short of the required assessments needs a recorded reason; the
moderation page leads back to the round."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import AuditEvent, Round
from scoring import services
from scoring.models import Assessment, Assignment, Criterion, Decision, Scale
from tests import factories as f

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import assign_and_submit, full_marks

pytestmark = pytest.mark.django_db

NO_CRITERIA = "This round has no scoring criteria yet"


def _reopen(rnd: Round, *, early: bool = False) -> Round:
    """The persona round (closed for these tests) open again until next week."""
    Round.objects.filter(pk=rnd.pk).update(closes_at=timezone.now() + timedelta(days=7), allow_early_assessment=early)
    rnd.refresh_from_db()
    return rnd


# 1. Assignment needs criteria ---------------------------------------------------------------


def test_no_assessor_is_assigned_to_a_round_without_criteria_by_any_service(personas):
    rnd, pm = personas.round, personas.programme_manager
    bid = SubmittedBidFactory(round=rnd)
    with pytest.raises(services.AssessmentError, match=NO_CRITERIA):
        services.assign(bid=bid, assessor=personas.assessor, actor=pm)
    with pytest.raises(services.AssessmentError, match=NO_CRITERIA):
        services.assignments_bulk(bids=[bid], assessor=personas.assessor, actor=pm)
    with pytest.raises(services.AssessmentError, match=NO_CRITERIA):
        services.assignment_auto(round=rnd, actor=pm)
    assert not Assignment.objects.filter(bid__round=rnd).exists()
    CriterionFactory(round=rnd)
    assert services.assign(bid=bid, assessor=personas.assessor, actor=pm).pk


def test_the_assignments_page_says_criteria_come_first_and_links_to_them(personas, client_for):
    rnd = personas.round
    bid = SubmittedBidFactory(round=rnd)
    client = client_for(personas.programme_manager)
    url = reverse("scoring:assignments", args=[rnd.slug])
    body = client.get(url).content.decode()
    assert 'data-testid="no-criteria"' in body
    assert f'href="{reverse("scoring:panel", args=[rnd.slug])}#criteria"' in body
    assert "Assign automatically</button>" not in body
    for post in ({"action": "auto"}, {"action": "assign", "assessor": personas.assessor.pk, "bids": [bid.pk]}):
        page = client.post(url, post, follow=True).content.decode()
        assert NO_CRITERIA in page
    assert not Assignment.objects.filter(bid=bid).exists()
    CriterionFactory(round=rnd)
    body = client.get(url).content.decode()
    assert 'data-testid="no-criteria"' not in body and "Assign automatically</button>" in body


# 2. Criteria lock once a score is saved -----------------------------------------------------


def _assigned(personas):
    rnd = personas.round
    quality = CriterionFactory(round=rnd, name="Quality", scale=Scale.ZERO_FOUR)
    declare(personas.assessor, rnd)
    bid = SubmittedBidFactory(round=rnd)
    row = services.assign(bid=bid, assessor=personas.assessor, actor=personas.programme_manager)
    return rnd, quality, row


def test_assigning_and_a_draft_without_a_score_leave_the_criteria_open(personas, client_for):
    rnd, quality, row = _assigned(personas)
    text_only = {quality.pk: {"score": "", "justification": "Reading the bid"}}
    services.assessment_save_draft(assignment=row, user=personas.assessor, data=text_only)
    rnd.refresh_from_db()
    assert not services.criteria_locked(rnd)
    services.criterion_save(round=rnd, actor=personas.programme_manager, name="Value", weight=5, scale=Scale.ONE_FIVE)
    page = client_for(personas.programme_manager).get(reverse("scoring:panel", args=[rnd.slug])).content.decode()
    assert "You can change the criteria until an assessor saves a score" in page
    assert reverse("scoring:criterion_create", args=[rnd.slug]) in page


def test_the_first_saved_score_in_a_draft_locks_the_criteria(personas, client_for):
    rnd, quality, row = _assigned(personas)
    services.assessment_save_draft(
        assignment=row, user=personas.assessor, data={quality.pk: {"score": "2", "justification": ""}}
    )
    rnd.refresh_from_db()
    assert services.criteria_locked(rnd) and rnd.assessment_started_at
    with pytest.raises(services.AssessmentError, match="criteria can no longer be changed"):
        services.criterion_save(round=rnd, actor=personas.programme_manager, name="Value", weight=5)
    assert list(Criterion.objects.filter(round=rnd)) == [quality]
    page = client_for(personas.programme_manager).get(reverse("scoring:panel", args=[rnd.slug])).content.decode()
    assert "so the criteria are locked" in page and reverse("scoring:criterion_create", args=[rnd.slug]) not in page


# 3. Assessment starts after the round closes ------------------------------------------------


def test_an_open_round_refuses_scoring_moderation_and_decisions(personas, client_for):
    rnd, quality, row = _assigned(personas)
    bid, pm = row.bid, personas.programme_manager
    _reopen(rnd)
    with pytest.raises(services.AssessmentError, match="Scoring can start when the round closes"):
        services.assessment_save_draft(assignment=row, user=personas.assessor, data=full_marks([quality]))
    with pytest.raises(services.AssessmentError, match="Scoring can start when the round closes"):
        services.assessment_submit(assignment=row, user=personas.assessor, data=full_marks([quality]))
    with pytest.raises(services.AssessmentError, match="Moderation can start when the round closes"):
        services.moderated_score_record(bid=bid, criterion=quality, score=1, reason="Too high", actor=pm)
    with pytest.raises(services.AssessmentError, match="Decisions can start when the round closes"):
        services.decision_propose(bid=bid, actor=pm, outcome="not_funded", assessments_override="x")
    Decision.objects.create(bid=bid, round=rnd, outcome="not_funded", assessments_override="x")
    with pytest.raises(services.AssessmentError, match="Decisions can start when the round closes"):
        services.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=pm)
    rnd.refresh_from_db()
    assert rnd.assessment_started_at is None and rnd.decided_at is None
    assert not Decision.objects.filter(status="confirmed").exists()


def test_the_pages_say_when_assessment_starts_and_how_to_allow_it_earlier(personas, client_for):
    rnd, quality, row = _assigned(personas)
    bid = row.bid
    _reopen(rnd)
    assessor = client_for(personas.assessor)
    queue = assessor.get(reverse("scoring:queue", args=[rnd.slug])).content.decode()
    assess_url = reverse("scoring:assess_bid", args=[rnd.slug, bid.pk])
    assert "Scoring starts when the round closes" in queue and assess_url not in queue
    opened = assessor.get(assess_url)
    assert opened.status_code == 302 and opened.url == reverse("scoring:queue", args=[rnd.slug])
    posted = assessor.post(assess_url, {f"score_{quality.pk}": "3", "action": "submit"})
    assert posted.status_code == 302 and not Assessment.objects.filter(assignment=row).exists()
    manager = client_for(personas.programme_manager)
    ranking = manager.get(reverse("scoring:ranking", args=[rnd.slug])).content.decode()
    assert "Decisions can start when the round closes" in ranking
    assert reverse("grants:staff_round_edit", args=[rnd.slug]) in ranking
    decide_url = reverse("scoring:decision_edit", args=[rnd.slug, bid.pk])
    assert decide_url not in ranking and "Confirm the selected decisions" not in ranking
    decide = manager.post(reverse("scoring:decision_edit", args=[rnd.slug, bid.pk]), {"outcome": "not_funded"})
    assert decide.status_code == 302 and not Decision.objects.filter(bid=bid).exists()
    confirm = manager.post(reverse("scoring:decisions_confirm", args=[rnd.slug]), {"bids": [bid.pk]}, follow=True)
    assert "Decisions can start when the round closes" in confirm.content.decode()


def test_a_round_that_allows_early_assessment_is_scored_and_decided_while_open(personas, client_for):
    rnd, quality, row = _assigned(personas)
    _reopen(rnd, early=True)
    rnd.panel.assessors_per_bid = 1
    rnd.panel.save()
    services.assessment_submit(assignment=row, user=personas.assessor, data=full_marks([quality]))
    decision = services.decision_propose(bid=row.bid, actor=personas.programme_manager, outcome="not_funded")
    services.decisions_confirm(round=rnd, bid_ids=[row.bid_id], actor=personas.programme_manager)
    decision.refresh_from_db()
    assert decision.is_confirmed
    page = client_for(personas.assessor).get(reverse("scoring:queue", args=[rnd.slug])).content.decode()
    assert "Scoring starts when the round closes" not in page


def test_the_round_form_sets_early_assessment_and_the_round_page_shows_it(personas, client_for):
    rnd = _reopen(personas.round)
    page = client_for(None).get(reverse("grants:round_detail", args=[rnd.slug])).content.decode()
    assert "Assessment starts" in page and "After the round closes" in page
    manager = client_for(personas.programme_manager)
    url = reverse("grants:staff_round_edit", args=[rnd.slug])
    form = manager.get(url).context["form"]
    assert "allow_early_assessment" in form.fields
    data = {k: v for k, v in form.initial.items() if v is not None and k != "prospectus_document"}
    for name in ("opens_at", "closes_at"):
        when = timezone.localtime(getattr(rnd, name))
        data.update({f"{name}_0": when.day, f"{name}_1": when.month, f"{name}_2": when.year})
        data.update({f"{name}_3": when.strftime("%H"), f"{name}_4": when.strftime("%M")})
    data.update(allow_early_assessment="on", eligible_kinds=[], eligible_regions=[])
    response = manager.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    rnd.refresh_from_db()
    assert rnd.allow_early_assessment
    page = client_for(None).get(reverse("grants:round_detail", args=[rnd.slug])).content.decode()
    assert "Before the round closes" in page


# 4. A decision short of the required assessments needs a reason -----------------------------


@pytest.fixture
def half_assessed(personas):
    """A bid with 1 of the panel's 2 required assessments submitted."""
    rnd = personas.round
    quality = CriterionFactory(round=rnd, name="Quality", scale=Scale.ZERO_FOUR)
    declare(personas.assessor, rnd)
    bid = SubmittedBidFactory(round=rnd, amount_requested=Decimal("30000.00"))
    assign_and_submit(bid=bid, assessor=personas.assessor, criteria=[quality], scores={quality: 3})
    assert rnd.panel.assessors_per_bid == 2
    return rnd, quality, bid


def test_a_decision_on_too_few_assessments_is_refused_without_a_reason(personas, half_assessed):
    rnd, _, bid = half_assessed
    pm = personas.programme_manager
    for outcome in ("funded", "not_funded", "reserve"):
        with pytest.raises(services.AssessmentError) as refused:
            services.decision_propose(bid=bid, actor=pm, outcome=outcome)
        (message,) = refused.value.message_dict["assessments_override"]
        assert message.startswith("Only 1 of the 2 required assessments of this bid is complete")
    assert not Decision.objects.filter(bid=bid).exists()


def test_the_override_reason_is_kept_and_shown_in_the_bids_history_for_staff(personas, half_assessed, client_for):
    rnd, _, bid = half_assessed
    pm = personas.programme_manager
    decision = services.decision_propose(
        bid=bid, actor=pm, outcome="funded", assessments_override="Second assessor left the panel"
    )
    assert decision.assessments_override == "Second assessor left the panel"
    event = AuditEvent.objects.get(action="decision.assessments_override")
    assert (event.target_type, event.target_id) == ("applications.bid", str(bid.pk))
    assert "1 of 2 required assessments complete: Second assessor left the panel" in event.summary
    history = reverse("applications:bid_history", args=[bid.pk])
    assert "Second assessor left the panel" in client_for(pm).get(history).content.decode()
    assert "Second assessor left the panel" not in client_for(personas.lead_officer).get(history).content.decode()
    (confirmed,) = services.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=pm)
    assert confirmed.is_confirmed


def test_the_decision_page_warns_and_asks_for_the_reason(personas, half_assessed, client_for):
    rnd, _, bid = half_assessed
    client = client_for(personas.programme_manager)
    url = reverse("scoring:decision_edit", args=[rnd.slug, bid.pk])
    page = client.get(url).content.decode()
    assert "1 of the 2 required assessments is complete" in page and 'name="assessments_override"' in page
    refused = client.post(url, {"outcome": "not_funded"})
    body = refused.content.decode()
    assert refused.status_code == 200 and "govuk-error-summary" in body
    assert "Only 1 of the 2 required assessments of this bid is complete" in body
    assert client.post(url, {"outcome": "not_funded", "assessments_override": "Panel agreed"}).status_code == 302
    assert Decision.objects.get(bid=bid).assessments_override == "Panel agreed"


def test_a_fully_assessed_bid_needs_no_reason_but_one_withdrawn_since_stops_confirmation(personas, half_assessed):
    rnd, quality, bid = half_assessed
    pm = personas.programme_manager
    second = f.UserFactory()
    f.PanelMemberFactory(panel=rnd.panel, user=second)
    declare(second, rnd)
    assign_and_submit(bid=bid, assessor=second, criteria=[quality], scores={quality: 2})
    decision = services.decision_propose(bid=bid, actor=pm, outcome="not_funded")
    assert decision.assessments_override == ""
    row = Assignment.objects.get(bid=bid, assessor=second)
    services.assignment_withdraw(assignment=row, actor=pm, reason="Conflict found late")
    with pytest.raises(services.AssessmentError, match="only 1 of the 2 required assessments is complete"):
        services.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=pm)
    decision.refresh_from_db()
    assert not decision.is_confirmed


# 5. The moderation page leads back ----------------------------------------------------------


def test_the_moderation_page_has_breadcrumbs_and_the_rounds_links(personas, client_for):
    rnd = personas.round
    url = reverse("scoring:moderation", args=[rnd.slug])
    manager = client_for(personas.programme_manager).get(url).content.decode()
    assert 'data-testid="breadcrumbs"' in manager
    assert reverse("scoring:round_index") in manager and reverse("scoring:panel", args=[rnd.slug]) in manager
    assert reverse("scoring:ranking", args=[rnd.slug]) in manager  # the round's links
    chair = client_for(personas.panel_chair).get(url).content.decode()
    assert 'data-testid="breadcrumbs"' in chair
    assert reverse("scoring:my_rounds") in chair and reverse("scoring:queue", args=[rnd.slug]) in chair
    assert reverse("scoring:assignments", args=[rnd.slug]) not in chair  # staff-only pages are not offered
