"""Triage of expressions of interest: proposals, the batch confirmation, the guard on the EOI
deadline, access and conflicts; and no EOI-stage bid reaches full assessment."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.models import Answer, BidStage, BidStatus, Question, Section
from grants.models import Round
from scoring.models import EoiOutcome, EoiTriage
from scoring.selectors import ranking_for_round
from scoring.services import AssessmentError, assign, decision_propose, eoi_confirm_batch, eoi_propose
from tests import factories as f

from .factories import CriterionFactory, SubmittedBidFactory, declare

pytestmark = pytest.mark.django_db


def two_stage(rnd, *, closed=True):
    now = timezone.now()
    eoi_closes = now - timedelta(days=1) if closed else now + timedelta(days=1)
    Round.objects.filter(pk=rnd.pk).update(
        opens_at=now - timedelta(days=40), eoi_closes_at=eoi_closes, closes_at=now + timedelta(days=30)
    )
    rnd.refresh_from_db()
    return rnd


def eoi(rnd, lead, **kwargs):
    return SubmittedBidFactory(
        round=rnd, lead=lead, stage=BidStage.EOI, eoi_submitted_at=timezone.now() - timedelta(days=2), **kwargs
    )


def test_an_eoi_stage_bid_is_not_assignable_ranked_or_decidable(personas):
    rnd = personas.round
    CriterionFactory(round=rnd)
    declare(personas.assessor, rnd)
    full = SubmittedBidFactory(round=rnd, lead=personas.other_org)
    early = eoi(rnd, personas.lead_org)
    with pytest.raises(AssessmentError):
        assign(bid=early, assessor=personas.assessor, actor=personas.programme_manager)
    assign(bid=full, assessor=personas.assessor, actor=personas.programme_manager)
    assert [row.bid.pk for row in ranking_for_round(rnd).rows] == [full.pk]
    with pytest.raises(AssessmentError, match="Only submitted bids"):
        decision_propose(bid=early, actor=personas.programme_manager, outcome="funded")


def test_triage_waits_for_eois_to_close(personas, client):
    rnd = two_stage(personas.round, closed=False)
    bid = eoi(rnd, personas.lead_org)
    with pytest.raises(AssessmentError, match="Triage can start"):
        eoi_propose(bid=bid, actor=personas.programme_manager, outcome=EoiOutcome.INVITE)
    client.force_login(personas.programme_manager)
    page = client.get(reverse("scoring:eoi_triage", args=[rnd.slug]))
    assert 'data-testid="not-open"' in page.content.decode()
    assert client.get(reverse("scoring:eoi_propose", args=[rnd.slug, bid.pk])).status_code == 302


def test_a_decline_needs_a_reason_and_the_form_keeps_what_was_typed(personas, client):
    rnd = two_stage(personas.round)
    bid = eoi(rnd, personas.lead_org)
    section = Section.objects.create(round=rnd, title="Idea", stage=BidStage.EOI)
    Answer.objects.create(bid=bid, question=Question.objects.create(section=section, text="What?"), value="Warmth")
    client.force_login(personas.programme_manager)
    url = reverse("scoring:eoi_propose", args=[rnd.slug, bid.pk])
    assert "Warmth" in client.get(url).content.decode()
    page = client.post(url, {"outcome": "decline", "note": "  "})
    assert page.status_code == 200 and "Enter the reason the council is not invited" in page.content.decode()
    assert not EoiTriage.objects.exists()
    page = client.post(url, {"outcome": "", "note": "kept text"})
    assert "Choose whether to invite" in page.content.decode() and "kept text" in page.content.decode()
    assert client.post(url, {"outcome": "decline", "note": "Outside the scope"}).status_code == 302
    assert EoiTriage.objects.get(bid=bid).note == "Outside the scope"


def test_batch_confirm_invites_and_declines_once_even_if_pressed_twice(
    personas, client, django_capture_on_commit_callbacks
):
    rnd = two_stage(personas.round)
    invited, declined = eoi(rnd, personas.lead_org), eoi(rnd, personas.other_org)
    pm = personas.programme_manager
    eoi_propose(bid=invited, actor=pm, outcome=EoiOutcome.INVITE, note="Say more on costs")
    eoi_propose(bid=declined, actor=pm, outcome=EoiOutcome.DECLINE, note="Out of scope")
    client.force_login(pm)
    page = client.get(reverse("scoring:eoi_triage", args=[rnd.slug])).content.decode()
    assert "Confirm 1 invitation and 1 decline" in page
    url = reverse("scoring:eoi_confirm", args=[rnd.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"bids": [invited.pk, declined.pk]})
        client.post(url, {"bids": [invited.pk, declined.pk]})
    invited.refresh_from_db()
    declined.refresh_from_db()
    assert (invited.stage, invited.status, invited.eoi_feedback) == (
        BidStage.FULL,
        BidStatus.DRAFT,
        "Say more on costs",
    )
    assert (declined.status, declined.status_reason) == (BidStatus.NOT_INVITED, "Out of scope")
    assert EoiTriage.objects.filter(confirmed_at__isnull=False).count() == 2
    assert len([m for m in mail.outbox if personas.lead_officer.email in m.to]) == 1
    assert len([m for m in mail.outbox if personas.other_officer.email in m.to]) == 1
    assert eoi_confirm_batch(round=rnd, actor=pm, bid_ids=[invited.pk, declined.pk]) == ([], [])


@pytest.mark.parametrize("who", ["finance_officer", "board_viewer"])
def test_finance_and_board_read_but_cannot_triage(personas, client, who):
    rnd = two_stage(personas.round)
    bid = eoi(rnd, personas.lead_org)
    client.force_login(getattr(personas, who))
    page = client.get(reverse("scoring:eoi_triage", args=[rnd.slug]))
    assert page.status_code == 200 and bid.reference in page.content.decode()
    assert reverse("scoring:eoi_propose", args=[rnd.slug, bid.pk]) not in page.content.decode()
    assert client.get(reverse("scoring:eoi_propose", args=[rnd.slug, bid.pk])).status_code == 404
    assert client.post(reverse("scoring:eoi_confirm", args=[rnd.slug]), {"bids": [bid.pk]}).status_code == 404


@pytest.mark.parametrize(
    "who", ["assessor", "conflicted_assessor", "panel_chair", "lead_officer", "other_programme_manager"]
)
def test_triage_pages_are_staff_only(personas, client, who):
    rnd = two_stage(personas.round)
    bid = eoi(rnd, personas.lead_org)
    client.force_login(getattr(personas, who))
    assert client.get(reverse("scoring:eoi_triage", args=[rnd.slug])).status_code == 404
    assert client.get(reverse("scoring:eoi_propose", args=[rnd.slug, bid.pk])).status_code == 404


def test_a_one_stage_round_has_no_triage(personas, client):
    client.force_login(personas.programme_manager)
    assert client.get(reverse("scoring:eoi_triage", args=[personas.round.slug])).status_code == 404


def test_nav_shows_eois_for_two_stage_rounds_only(personas, client):
    client.force_login(personas.programme_manager)
    ranking = reverse("scoring:ranking", args=[personas.round.slug])
    assert "Expressions of interest" not in client.get(ranking).content.decode()
    two_stage(personas.round)
    assert "Expressions of interest" in client.get(ranking).content.decode()


def test_triage_list_is_flat_in_queries(personas, client, django_assert_max_num_queries):
    rnd = two_stage(personas.round)
    client.force_login(personas.programme_manager)
    url = reverse("scoring:eoi_triage", args=[rnd.slug])
    eoi(rnd, personas.lead_org)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(5):
        eoi_propose(bid=eoi(rnd, f.OrganisationFactory()), actor=personas.programme_manager, outcome="invite")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
