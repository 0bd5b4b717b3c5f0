"""An expression of interest is invited (the same bid becomes a full-bid draft, answers and
partners kept) or declined with a reason; only the programme's managers decide; the council hears."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from applications.models import Answer, Bid, BidPartner, BidStage, BidStatus, PartnerStatus, Question, Section
from applications.services import BidError, eoi_decline, eoi_invite
from grants.models import AuditEvent, StaffRole
from tests import factories as f

pytestmark = pytest.mark.django_db


def _eoi(**round_kwargs):
    now = timezone.now()
    rnd = f.RoundFactory(eoi_closes_at=now - timedelta(days=1), closes_at=now + timedelta(days=30), **round_kwargs)
    lead, partner = f.OrganisationFactory(short_name="Kentish"), f.OrganisationFactory()
    officer = f.CouncilOfficerFactory(organisation=lead)
    section = Section.objects.create(round=rnd, title="Your idea", stage=BidStage.EOI)
    question = Question.objects.create(section=section, text="What will you do?", type="long_text")
    bid = Bid.objects.create(
        round=rnd, lead=lead, title="Warm homes", summary="s", amount_requested=Decimal("40000"),
        stage=BidStage.EOI, status=BidStatus.SUBMITTED, reference="EOI-000001", reference_number=1,
        submitted_at=now - timedelta(days=2), eoi_submitted_at=now - timedelta(days=2),
    )  # fmt: skip
    Answer.objects.create(bid=bid, question=question, value="Insulate 100 homes")
    BidPartner.objects.create(bid=bid, organisation=partner, status=PartnerStatus.CONFIRMED)
    manager = f.UserFactory()
    StaffRole.objects.create(user=manager, role="programme_manager", programme=rnd.programme)
    return bid, manager, officer


def test_invitation_turns_the_same_bid_into_a_full_bid_draft_keeping_answers_and_partners(
    django_capture_on_commit_callbacks,
):
    bid, manager, officer = _eoi()
    with django_capture_on_commit_callbacks(execute=True):
        eoi_invite(bid=bid, actor=manager, feedback="Strong idea: say more about costs")
    bid.refresh_from_db()
    assert (bid.stage, bid.status, bid.reference) == (BidStage.FULL, BidStatus.DRAFT, "EOI-000001")
    assert bid.invited_at and bid.eoi_feedback == "Strong idea: say more about costs"
    assert bid.answers.get().value == "Insulate 100 homes" and bid.partners.count() == 1
    assert bid.deadline == bid.round.closes_at
    assert AuditEvent.objects.filter(action="bid.invited", target_id=str(bid.pk), actor=manager).exists()
    (message,) = [m for m in mail.outbox if officer.email in m.to]
    assert "invited to send a full bid" in message.subject and "say more about costs" in message.body


def test_decline_needs_a_reason_and_is_final(django_capture_on_commit_callbacks):
    bid, manager, officer = _eoi()
    with pytest.raises(BidError):
        eoi_decline(bid=bid, actor=manager, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        eoi_decline(bid=bid, actor=manager, reason="Outside the programme's aims")
    bid.refresh_from_db()
    assert (bid.stage, bid.status, bid.status_reason) == (
        BidStage.EOI,
        BidStatus.NOT_INVITED,
        "Outside the programme's aims",
    )
    assert any("Outside the programme's aims" in m.body for m in mail.outbox if officer.email in m.to)
    with pytest.raises(BidError):
        eoi_invite(bid=bid, actor=manager)


def test_only_the_programmes_managers_decide_and_only_on_a_submitted_expression_of_interest():
    bid, manager, officer = _eoi()
    other_manager = f.UserFactory()
    StaffRole.objects.create(user=other_manager, role="programme_manager", programme=f.ProgrammeFactory())
    for stranger in (officer, other_manager):
        with pytest.raises(BidError):
            eoi_invite(bid=bid, actor=stranger)
    full = Bid.objects.create(round=bid.round, lead=f.OrganisationFactory(), title="t", summary="s",
                              amount_requested=Decimal("1"), status=BidStatus.SUBMITTED)  # fmt: skip
    with pytest.raises(BidError):
        eoi_invite(bid=full, actor=manager)
    assert Bid.objects.get(pk=bid.pk).stage == BidStage.EOI


def test_an_expression_of_interest_is_due_when_expressions_close():
    bid, _, _ = _eoi()
    assert bid.deadline == bid.round.eoi_closes_at
