"""Two-stage rounds, the council's side: an expression of interest is a bid at the EOI stage that
asks only the EOI sections and is judged on the EOI deadline, on the server; after the EOI close
nobody starts a bid; an invited full bid shows what was sent, read-only, and the feedback."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from applications import services
from applications.models import Answer, Bid, BidStage, BidStatus, Question, Section
from applications.services import BidError, eoi_decline, eoi_invite

pytestmark = pytest.mark.django_db

DETAILS = {
    "title": "Warm homes",
    "summary": "Insulate homes",
    "amount_requested": Decimal("20000"),
    "match_funding": Decimal("0"),
    "planned_start": date(2027, 4, 1),
    "planned_end": date(2028, 3, 31),
}


@pytest.fixture
def two_stage(personas):
    now = timezone.now()
    rnd = personas.round
    rnd.opens_at, rnd.eoi_closes_at, rnd.closes_at = (
        now - timedelta(days=5),
        now + timedelta(days=3),
        now + timedelta(days=40),
    )
    rnd.save()
    eoi = Section.objects.create(round=rnd, title="Your idea", stage=BidStage.EOI, order=1)
    full = Section.objects.create(round=rnd, title="Delivery plan", stage=BidStage.FULL, order=2)
    idea = Question.objects.create(section=eoi, text="What will you do?", type="long_text")
    plan = Question.objects.create(section=full, text="How will you deliver it?", type="long_text")
    return {"round": rnd, "eoi": eoi, "full": full, "idea": idea, "plan": plan}


def _sent_eoi(personas, two_stage, now=None):
    bid = services.start_bid(round=two_stage["round"], actor=personas.lead_officer, **DETAILS)
    services.save_section_answers(
        bid=bid, actor=personas.lead_officer, section=two_stage["eoi"], data={two_stage["idea"].pk: "Insulate"}
    )
    return services.submit_bid(
        bid=bid, actor=personas.lead_officer, declaration_name="Jo", declaration_role="Chief", now=now
    )


def test_a_bid_started_before_eois_close_is_an_eoi_asking_only_eoi_sections(personas, two_stage):
    bid = services.start_bid(round=two_stage["round"], actor=personas.lead_officer, **DETAILS)
    assert bid.stage == BidStage.EOI and bid.deadline == two_stage["round"].eoi_closes_at
    from applications.selectors import task_list

    assert [s.section.title for s in task_list(bid=bid)] == ["Your idea"]
    with pytest.raises(BidError):
        services.save_section_answers(
            bid=bid, actor=personas.lead_officer, section=two_stage["full"], data={two_stage["plan"].pk: "x"}
        )
    # The unanswered full-bid question does not stop the EOI being sent.
    assert services.submission_problems(bid=bid) == ["Answer 'What will you do?' in Your idea"]


def test_sending_an_eoi_sets_its_time_reference_and_says_expression_of_interest(
    personas, two_stage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bid = _sent_eoi(personas, two_stage)
    assert bid.status == BidStatus.SUBMITTED and bid.reference == "THIS-000001"
    assert bid.eoi_submitted_at == bid.submitted_at
    (receipt,) = [m for m in mail.outbox if personas.lead_officer.email in m.to]
    assert "expression of interest THIS-000001" in receipt.subject
    assert "whether you are invited to send a full bid" in receipt.body


def test_the_eoi_deadline_is_enforced_on_the_server_to_the_second(personas, two_stage):
    closes = two_stage["round"].eoi_closes_at
    late = services.start_bid(round=two_stage["round"], actor=personas.lead_officer, **DETAILS)
    services.save_section_answers(
        bid=late, actor=personas.lead_officer, section=two_stage["eoi"], data={two_stage["idea"].pk: "Insulate"}
    )
    with pytest.raises(BidError, match="Expressions of interest closed"):
        services.submit_bid(
            bid=late, actor=personas.lead_officer, declaration_name="Jo", declaration_role="Chief",
            now=closes + timedelta(seconds=1),
        )  # fmt: skip
    late.refresh_from_db()
    assert late.status == BidStatus.DRAFT and late.eoi_submitted_at is None
    sent = services.submit_bid(
        bid=late, actor=personas.lead_officer, declaration_name="Jo", declaration_role="Chief",
        now=closes - timedelta(seconds=1),
    )  # fmt: skip
    assert sent.status == BidStatus.SUBMITTED


def test_after_eois_close_nobody_starts_a_bid(personas, two_stage):
    rnd = two_stage["round"]
    later = rnd.eoi_closes_at + timedelta(seconds=1)
    reasons = services.start_eligibility(round=rnd, user=personas.lead_officer, now=later)
    assert len(reasons) == 1 and "Expressions of interest closed on" in reasons[0]
    assert "full bids are by invitation" in reasons[0]
    with pytest.raises(BidError):
        services.start_bid(round=rnd, actor=personas.lead_officer, now=later, **DETAILS)
    assert services.start_eligibility(round=rnd, user=personas.lead_officer, now=rnd.eoi_closes_at - timedelta(1)) == []


def test_eligibility_says_sent_invited_and_not_invited(personas, two_stage):
    rnd = two_stage["round"]
    bid = _sent_eoi(personas, two_stage)
    (reason,) = services.bid_eligibility(round=rnd, organisation=personas.lead_org)
    assert "has sent an expression of interest (THIS-000001)" in reason
    eoi_invite(bid=bid, actor=personas.programme_manager, feedback="Say more about costs")
    (reason,) = services.bid_eligibility(round=rnd, organisation=personas.lead_org)
    assert "is invited to send a full bid" in reason


def test_invited_full_bid_shows_eoi_answers_read_only_and_submits_against_full_close(personas, two_stage, client_for):
    bid = _sent_eoi(personas, two_stage)
    eoi_invite(bid=bid, actor=personas.programme_manager, feedback="Say more about costs")
    bid.refresh_from_db()
    assert bid.deadline == two_stage["round"].closes_at
    client = client_for(personas.lead_officer)
    page = client.get(f"/bids/{bid.pk}/").content.decode()
    assert "is invited to send a full bid" in page and "Say more about costs" in page
    sent = page.split('data-testid="eoi-answers"')[1].split("</div>")[0]
    assert "What will you do?" in sent and "Insulate" in sent
    assert f"/bids/{bid.pk}/sections/{two_stage['full'].pk}/" in page
    assert f"/bids/{bid.pk}/sections/{two_stage['eoi'].pk}/" not in page
    check = client.get(f"/bids/{bid.pk}/check/").content.decode()
    assert f"/sections/{two_stage['full'].pk}/?return=check" in check
    assert f"/sections/{two_stage['eoi'].pk}/?return=check" not in check and "Insulate" in check
    # The EOI section cannot be changed, on the page or in the service.
    response = client.post(f"/bids/{bid.pk}/sections/{two_stage['eoi'].pk}/", {f"q_{two_stage['idea'].pk}": "New"})
    assert response.status_code == 302 and Answer.objects.get(bid=bid, question=two_stage["idea"]).value == "Insulate"
    with pytest.raises(BidError):
        services.save_section_answers(
            bid=bid, actor=personas.lead_officer, section=two_stage["eoi"], data={two_stage["idea"].pk: "New"}
        )
    services.save_section_answers(
        bid=bid, actor=personas.lead_officer, section=two_stage["full"], data={two_stage["plan"].pk: "Phased"}
    )
    # Past the EOI close but before full bids close: accepted.
    done = services.submit_bid(
        bid=bid, actor=personas.lead_officer, declaration_name="Jo", declaration_role="Chief",
        now=two_stage["round"].eoi_closes_at + timedelta(days=1),
    )  # fmt: skip
    assert done.status == BidStatus.SUBMITTED and done.reference == "THIS-000001"


def test_a_declined_eoi_shows_the_reason_and_cannot_start_again(personas, two_stage, client_for):
    bid = _sent_eoi(personas, two_stage)
    eoi_decline(bid=bid, actor=personas.programme_manager, reason="Outside the programme's aims")
    page = client_for(personas.lead_officer).get(f"/bids/{bid.pk}/").content.decode()
    assert "was not invited to a full bid" in page and "Outside the programme&#x27;s aims" in page
    (reason,) = services.bid_eligibility(round=two_stage["round"], organisation=personas.lead_org)
    assert "not invited" in reason
    assert Bid.objects.count() == 1


def test_an_eoi_is_a_bid_for_access_conflicted_and_unrelated_people_see_nothing(personas, two_stage, client_for):
    from scoring import services as scoring_services

    bid = _sent_eoi(personas, two_stage)
    scoring_services.interest_add(
        round=two_stage["round"],
        user=personas.conflicted_assessor,
        organisation=personas.lead_org,
        nature="I work there",
    )
    for user in (personas.conflicted_assessor, personas.other_officer, personas.other_programme_manager):
        client = client_for(user)
        assert client.get(f"/bids/{bid.pk}/").status_code == 404
        assert client.get(f"/bids/{bid.pk}/history/").status_code == 404
    assert client_for(personas.lead_officer).get(f"/bids/{bid.pk}/").status_code == 200
