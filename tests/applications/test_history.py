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
