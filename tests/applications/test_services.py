"""Bid rules: starting, partners, answers, submission, return, withdrawal, ineligibility."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError

from applications import services
from applications.models import Answer, Bid, BidStatus, PartnerStatus
from grants.core.transitions import transition
from grants.models import AuditEvent, OrgRole
from notifications.models import Notification
from tests import factories as f

from .factories import BidFactory

DETAILS = {
    "title": "Digital skills for Kent",
    "summary": "Help people online.",
    "amount_requested": Decimal("20000.00"),
    "match_funding": Decimal("2000.00"),
    "planned_start": date(2026, 4, 1),
    "planned_end": date(2027, 3, 31),
}


def start(personas, **kw):
    return services.start_bid(round=personas.round, actor=personas.lead_officer, **{**DETAILS, **kw})


def complete(bid, personas, form):
    services.save_section_answers(
        bid=bid,
        actor=personas.lead_officer,
        section=form["about"],
        data={form["aim"].pk: "Get people online", form["people"].pk: "1,200"},
    )
    from .factories import PDF, upload

    services.upload_evidence(
        bid=bid, actor=personas.lead_officer, upload=upload("plan.pdf", PDF), question=form["plan"]
    )


def test_start_bid_records_lead_creator_and_audit(personas):
    bid = start(personas)
    assert bid.lead == personas.lead_org and bid.created_by == personas.lead_officer
    assert bid.status == BidStatus.DRAFT and bid.reference is None
    assert AuditEvent.objects.filter(
        target_type="applications.bid", target_id=str(bid.pk), action="bid.started"
    ).exists()


@pytest.mark.parametrize(
    "amount, match, error",
    [
        (Decimal("9999.99"), Decimal("0"), "amount_requested"),
        (Decimal("50000.01"), Decimal("0"), "amount_requested"),
    ],
)
def test_amount_must_be_within_award_range(personas, amount, match, error):
    with pytest.raises(services.BidError) as exc:
        start(personas, amount_requested=amount, match_funding=match)
    assert error in exc.value.message_dict


def test_match_funding_at_least_round_percentage(personas):
    personas.round.match_funding_percent = Decimal("10")
    personas.round.save()
    with pytest.raises(services.BidError) as exc:
        start(personas, match_funding=Decimal("1999.99"))
    assert "at least £2,000 (10% of the amount requested)" in exc.value.message_dict["match_funding"][0]
    assert start(personas, match_funding=Decimal("2000.00")).pk


def test_one_live_bid_per_lead_per_round(personas):
    first = start(personas)
    with pytest.raises(services.BidError, match="already has a bid"):
        start(personas)
    services.withdraw_bid(bid=first, actor=personas.lead_officer, reason="Wrong scope")
    assert start(personas).pk != first.pk


def test_database_refuses_a_second_live_bid(personas):
    BidFactory(round=personas.round, lead=personas.lead_org)
    with pytest.raises(IntegrityError):
        BidFactory(round=personas.round, lead=personas.lead_org)


def test_joint_bids_not_allowed_and_max_partners(personas):
    personas.round.joint_bids_allowed = False
    personas.round.save()
    with pytest.raises(services.BidError, match="does not accept joint bids"):
        start(personas, partners=[personas.partner_org])
    personas.round.joint_bids_allowed, personas.round.max_partners = True, 1
    personas.round.save()
    with pytest.raises(services.BidError, match="at most 1 partner\\."):
        start(personas, partners=[personas.partner_org, personas.other_org])


def test_eligibility_lists_round_and_bid_reasons(personas):
    BidFactory(round=personas.round, lead=personas.lead_org)
    reasons = services.bid_eligibility(round=personas.round, organisation=personas.lead_org)
    assert any("already has a bid" in r for r in reasons)
    personas.round.eligible_regions = ["London"]
    personas.round.save()
    reasons = services.bid_eligibility(round=personas.round, organisation=personas.other_org)
    assert any("London" in r for r in reasons)


def test_partner_must_confirm_before_submission(personas, form):
    bid = start(personas, partners=[personas.partner_org])
    complete(bid, personas, form)
    problems = services.submission_problems(bid=bid)
    assert any("has not yet confirmed" in p for p in problems)
    partner = bid.partners.get()
    with pytest.raises(services.BidError):  # someone from another council cannot answer
        services.respond_to_partner(partner=partner, actor=personas.other_officer, confirm=True)
    services.respond_to_partner(partner=partner, actor=personas.partner_officer, confirm=True)
    assert services.submission_problems(bid=bid) == []


def test_declined_partner_blocks_until_removed(personas, form):
    bid = start(personas, partners=[personas.partner_org])
    complete(bid, personas, form)
    partner = bid.partners.get()
    with pytest.raises(services.BidError):
        services.respond_to_partner(partner=partner, actor=personas.partner_officer, confirm=False, reason="")
    services.respond_to_partner(partner=partner, actor=personas.partner_officer, confirm=False, reason="No capacity")
    assert partner.status == PartnerStatus.DECLINED
    assert any("declined" in p for p in services.submission_problems(bid=bid))
    services.remove_partner(bid=bid, actor=personas.lead_officer, partner=partner)
    assert services.submission_problems(bid=bid) == []


def test_partner_is_asked_through_notifications(personas):
    start(personas, partners=[personas.partner_org])
    note = Notification.objects.get(recipient=personas.partner_officer, channel="in_app")
    assert note.event == "partner_confirmation_requested"


def test_save_section_keeps_other_answers_and_refuses_bad_values(personas, form):
    bid = start(personas)
    services.save_section_answers(
        bid=bid, actor=personas.lead_officer, section=form["about"], data={form["aim"].pk: "Short aim"}
    )
    with pytest.raises(services.BidError) as exc:
        services.save_section_answers(
            bid=bid,
            actor=personas.lead_officer,
            section=form["about"],
            data={form["aim"].pk: "one two three four five six seven eight nine ten eleven", form["people"].pk: "lots"},
        )
    errors = exc.value.message_dict
    assert "10 words or fewer (you have 11 words)" in errors[f"q_{form['aim'].pk}"][0]
    assert "whole number" in errors[f"q_{form['people'].pk}"][0]
    assert Answer.objects.get(bid=bid, question=form["aim"]).value == "Short aim"


def test_answers_survive_reordering(personas, form):
    bid = start(personas)
    services.save_section_answers(
        bid=bid,
        actor=personas.lead_officer,
        section=form["about"],
        data={form["aim"].pk: "Aim", form["people"].pk: "5"},
    )
    form["aim"].order, form["people"].order = 9, 0
    form["aim"].save()
    form["people"].save()
    answers = {a.question_id: a.value for a in bid.answers.all()}
    assert answers == {form["aim"].pk: "Aim", form["people"].pk: 5, form["cost"].pk: None, form["kind"].pk: None}


def test_submit_gives_reference_timestamp_receipt_and_locks(personas, form):
    bid = start(personas)
    complete(bid, personas, form)
    bid = services.submit_bid(
        bid=bid, actor=personas.lead_officer, declaration_name="Jane Chief", declaration_role="Chief Executive"
    )
    assert bid.reference == "THIS-000001" and bid.submitted_at and bid.status == BidStatus.SUBMITTED
    receipts = Notification.objects.filter(event="bid_submitted", channel="in_app")
    assert {n.recipient for n in receipts} == {personas.lead_officer, personas.signatory}
    with pytest.raises(services.BidError, match="cannot be changed"):
        services.update_bid_details(bid=bid, actor=personas.lead_officer, title="New")


def test_references_count_up_per_round(personas, form):
    other_lead = f.OrganisationFactory()
    officer = f.UserFactory(organisation=other_lead, org_role=OrgRole.OFFICER)
    first = start(personas)
    complete(first, personas, form)
    services.submit_bid(bid=first, actor=personas.lead_officer, declaration_name="A", declaration_role="B")
    second = services.start_bid(round=personas.round, actor=officer, **DETAILS)
    services.save_section_answers(
        bid=second, actor=officer, section=form["about"], data={form["aim"].pk: "x", form["people"].pk: "1"}
    )
    from .factories import PDF, upload

    services.upload_evidence(bid=second, actor=officer, upload=upload("p.pdf", PDF), question=form["plan"])
    services.submit_bid(bid=second, actor=officer, declaration_name="A", declaration_role="B")
    assert second.reference == "THIS-000002"


def test_submission_needs_declaration_and_required_answers(personas, form):
    bid = start(personas)
    with pytest.raises(services.BidError) as exc:
        services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name="", declaration_role="")
    assert "declaration_name" in exc.value.message_dict
    with pytest.raises(services.BidError, match="What is the aim"):
        services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name="A", declaration_role="B")


def test_return_then_resubmit_keeps_reference(personas, form):
    bid = start(personas)
    complete(bid, personas, form)
    services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name="A", declaration_role="B")
    with pytest.raises(services.BidError):
        services.return_bid(bid=bid, actor=personas.other_programme_manager, reason="x")
    services.return_bid(bid=bid, actor=personas.programme_manager, reason="Add the match funding letter")
    assert bid.status == BidStatus.RETURNED and bid.status_reason == "Add the match funding letter"
    assert Notification.objects.filter(event="bid_returned", recipient=personas.lead_officer).exists()
    services.update_bid_details(bid=bid, actor=personas.lead_officer, title="Better title")
    services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name="A", declaration_role="B")
    bid.refresh_from_db()
    assert bid.reference == "THIS-000001" and bid.submission_count == 2
    assert (
        Notification.objects.filter(event="bid_submitted", recipient=personas.lead_officer, channel="in_app").count()
        == 2
    )


def test_withdraw_needs_reason_and_not_after_decision(personas):
    bid = start(personas)
    with pytest.raises(services.BidError):
        services.withdraw_bid(bid=bid, actor=personas.lead_officer, reason=" ")
    services.withdraw_bid(bid=bid, actor=personas.lead_officer, reason="Changed plans")
    assert bid.status == BidStatus.WITHDRAWN
    funded = BidFactory(round=personas.round, lead=personas.other_org, status=BidStatus.FUNDED)
    with pytest.raises(services.BidError):
        services.withdraw_bid(bid=funded, actor=personas.other_officer, reason="Too late")


def test_mark_ineligible_by_programme_manager_with_reason(personas, django_capture_on_commit_callbacks):
    bid = BidFactory(round=personas.round, lead=personas.lead_org, status=BidStatus.SUBMITTED, reference="THIS-000009")
    with pytest.raises(services.BidError):
        services.mark_ineligible(bid=bid, actor=personas.lead_officer, reason="x")
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_ineligible(bid=bid, actor=personas.programme_manager, reason="Not a council service")
    assert Bid.objects.get(pk=bid.pk).status_reason == "Not a council service"
    from django.core import mail

    emails = {m.to[0]: m for m in mail.outbox if "not eligible" in m.subject}
    assert set(emails) == {personas.lead_officer.email, personas.signatory.email}
    assert "Not a council service" in emails[personas.lead_officer.email].body


def test_transition_table_refuses_unknown_moves(personas):
    bid = BidFactory(round=personas.round, lead=personas.lead_org, status=BidStatus.FUNDED)
    with pytest.raises(services.BidError):
        transition(bid, to=BidStatus.DRAFT, actor=None, error=services.BidError)


def test_collaborators_must_be_from_lead_council(personas):
    bid = start(personas)
    with pytest.raises(services.BidError):
        services.add_collaborator(bid=bid, actor=personas.lead_officer, user=personas.partner_officer)
    services.add_collaborator(bid=bid, actor=personas.lead_officer, user=personas.signatory)
    services.update_bid_details(bid=bid, actor=personas.signatory, title="Edited by a colleague")
    assert Bid.objects.get(pk=bid.pk).title == "Edited by a colleague"


def test_extension_recorded_and_applied(personas):
    bid = start(personas)
    new = personas.round.closes_at + timedelta(days=2)
    with pytest.raises(services.BidError):
        services.grant_extension(
            round=personas.round,
            organisation=personas.lead_org,
            new_deadline=new,
            reason="x",
            actor=personas.lead_officer,
        )
    services.grant_extension(
        round=personas.round,
        organisation=personas.lead_org,
        new_deadline=new,
        reason="Flooding closed the offices",
        actor=personas.programme_manager,
    )
    bid.refresh_from_db()
    assert bid.deadline == new
    assert AuditEvent.objects.filter(action="round.extension_granted", summary__contains="Flooding").exists()
    assert Notification.objects.filter(event="extension_granted", recipient=personas.lead_officer).exists()
