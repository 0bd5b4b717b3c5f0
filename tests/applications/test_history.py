"""A bid's history: the council reads its bid's lifecycle, never the assessment, and never staff emails."""

from applications import selectors, services
from applications.models import PartnerStatus
from grants.core.audit import COUNCIL, actions_for, audit_record
from grants.models import AuditEvent

from .factories import BidPartnerFactory
from .test_services import complete, start


def _bid_with_assessment(personas, form):
    bid = start(personas)
    BidPartnerFactory(bid=bid, organisation=personas.partner_org, status=PartnerStatus.CONFIRMED)
    complete(bid, personas, form)
    services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name="A", declaration_role="B")
    # What the scoring app records against the bid today (or anything added later).
    pm = personas.programme_manager
    audit_record(actor=pm, action="moderation.recorded", target=bid, summary="Value for money: 2 (was 4)")
    audit_record(actor=pm, action="decision.proposed", target=bid, summary="Not funded")
    # A row under a name no longer declared (recorded before it was renamed) stays with staff.
    AuditEvent.objects.create(
        actor=pm,
        action="scoring.something_old",
        target_type="applications.bid",
        target_id=str(bid.pk),
        summary="Secret note",
    )
    services.return_bid(bid=bid, actor=pm, reason="Add the costings")
    return bid


def test_council_sees_the_lifecycle_without_assessment_or_staff_emails(personas, client_for, form):
    bid = _bid_with_assessment(personas, form)
    for reader in (personas.lead_officer, personas.partner_officer):
        page = client_for(reader).get(f"/bids/{bid.pk}/history/").content.decode()
        assert "Started Digital skills for Kent" in page and "Saved About the project" in page
        assert "Uploaded plan.pdf" in page and "Submitted" in page and "Add the costings" in page
        assert "Programme team" in page and "lead@example.com" in page
        for secret in ("Value for money", "Not funded", "Secret note", "pm@example.com"):
            assert secret not in page, secret


def test_assessors_read_the_council_view(personas, form):
    bid = _bid_with_assessment(personas, form)
    events = selectors.bid_history(bid=bid, viewer=personas.assessor)
    assert {e.action for e in events} <= set(actions_for(audience=COUNCIL, prefix="bid."))
    assert "moderation.recorded" not in {e.action for e in events}
    assert {e.who for e in events if e.action == "bid.returned"} == {"Programme team"}


def test_programme_staff_see_everything_with_names(personas, client_for, form):
    bid = _bid_with_assessment(personas, form)
    page = client_for(personas.programme_manager).get(f"/bids/{bid.pk}/history/").content.decode()
    for text in ("Value for money", "Not funded", "Secret note", "pm@example.com", "Add the costings"):
        assert text in page, text


def _clarified(personas):
    """A submitted bid with a confirmed partner; the assigned assessor asks the lead council a
    question, which the lead answers, and the manager asks another and closes it."""
    from datetime import timedelta

    from django.utils import timezone

    from applications.models import BidStatus
    from applications.services.clarifications import answer_clarification, ask_clarification, close_clarification
    from scoring import services as scoring
    from tests.scoring.factories import CriterionFactory, close_round, declare

    from .factories import BidFactory

    bid = BidFactory(round=personas.round, lead=personas.lead_org, status=BidStatus.SUBMITTED, reference="HIST-1")
    BidPartnerFactory(bid=bid, organisation=personas.partner_org, status=PartnerStatus.CONFIRMED)
    close_round(personas.round)
    declare(personas.assessor, personas.round)
    CriterionFactory(round=personas.round, name="Quality")
    scoring.assign(bid=bid, assessor=personas.assessor, actor=personas.programme_manager)
    reply_by = timezone.localdate() + timedelta(days=5)
    asked = ask_clarification(bid=bid, actor=personas.assessor, question="How many residents?", reply_by=reply_by)
    answer_clarification(clarification=asked, actor=personas.lead_officer, answer="About 400")
    other = ask_clarification(bid=bid, actor=personas.programme_manager, question="Any match?", reply_by=reply_by)
    close_clarification(clarification=other, actor=personas.programme_manager)
    return bid


def test_who_asked_a_clarification_stays_internal(personas, client_for):
    """The lead council reads that questions were asked and answered, but not by whom on the
    panel: an assessor is 'Assessment panel' to the council, as staff are 'Programme team'."""
    bid = _clarified(personas)
    page = client_for(personas.lead_officer).get(f"/bids/{bid.pk}/history/").content.decode()
    assert "Clarification question asked" in page and "Clarification answered" in page
    assert "Assessment panel" in page and "lead@example.com" in page
    for secret in (personas.assessor.email, personas.programme_manager.email):
        assert secret not in page, secret
    asked = [e for e in selectors.bid_history(bid=bid, viewer=personas.assessor) if "asked" in e.action]
    assert {e.who for e in asked} == {"Assessment panel", "Programme team"}
    staff = client_for(personas.programme_manager).get(f"/bids/{bid.pk}/history/").content.decode()
    assert personas.assessor.email in staff  # the programme team knows who asked


def test_partners_read_no_clarifications_in_the_history(personas, client_for):
    """Questions are put to the lead council alone (can_see_clarifications): a partner council's
    history leaves them out, as its bid page does."""
    bid = _clarified(personas)
    page = client_for(personas.partner_officer).get(f"/bids/{bid.pk}/history/").content.decode()
    assert client_for(personas.partner_officer).get(f"/bids/{bid.pk}/history/").status_code == 200
    assert "Clarification" not in page and personas.assessor.email not in page
    lead = {e.action for e in selectors.bid_history(bid=bid, viewer=personas.lead_officer)}
    assert {"bid.clarification_asked", "bid.clarification_answered", "bid.clarification_closed"} <= lead
