"""Council pages end to end through the test client: start, save and return, check, submit."""

from decimal import Decimal

from django.urls import reverse

from applications.models import Answer, Bid, BidStatus, EvidenceFile
from notifications.models import Notification

from .factories import PDF, docx_bytes, upload


def test_round_page_offers_start_and_start_page_shows_eligibility(personas, client_for):
    client = client_for(personas.lead_officer)
    assert (
        reverse("applications:bid_start", args=[personas.round.slug]).encode()
        in client.get(personas.round.get_absolute_url()).content
    )
    page = client.get(f"/rounds/{personas.round.slug}/apply/")
    assert b"can lead a bid in this round" in page.content


def test_ineligible_council_sees_plain_reasons(personas, client_for):
    personas.round.eligible_regions = ["London"]
    personas.round.save()
    page = client_for(personas.other_officer).get(f"/rounds/{personas.round.slug}/apply/")
    assert b"You cannot start a bid" in page.content and b"London only" in page.content


def test_start_errors_keep_what_was_typed(personas, client_for):
    client = client_for(personas.lead_officer)
    response = client.post(
        f"/rounds/{personas.round.slug}/apply/",
        {"title": "My typed title", "summary": "My summary", "amount_requested": "5", "match_funding": "0"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "My typed title" in body and "between £10,000 and £50,000" in body.replace("&pound;", "£")
    assert not Bid.objects.exists()


def test_full_journey_with_partner_by_code(personas, client_for, form):
    client = client_for(personas.lead_officer)
    response = client.post(
        f"/rounds/{personas.round.slug}/apply/",
        {
            "title": "Joint bid",
            "summary": "Together",
            "amount_requested": "20000",
            "match_funding": "0",
            "planned_start": "2026-04-01",
            "planned_end": "2027-03-31",
            "partners": personas.partner_org.code,
        },
    )
    bid = Bid.objects.get()
    assert response.status_code == 302 and bid.partners.get().organisation == personas.partner_org
    task_list = client.get(f"/bids/{bid.pk}/").content.decode()
    assert "Not yet started" in task_list and "has not yet confirmed" in task_list
    # A section with one bad answer: error summary, typed text kept, nothing stored.
    section_url = f"/bids/{bid.pk}/sections/{form['about'].pk}/"
    bad = client.post(section_url, {f"q_{form['aim'].pk}": "A kept aim", f"q_{form['people'].pk}": "many"})
    assert bad.status_code == 200 and "Enter a whole number" in bad.content.decode()
    assert "A kept aim" in bad.content.decode() and not Answer.objects.filter(bid=bid).exists()
    ok = client.post(section_url, {f"q_{form['aim'].pk}": "A kept aim", f"q_{form['people'].pk}": "12"})
    assert ok.status_code == 302
    assert "In progress" not in client.get(f"/bids/{bid.pk}/").content.decode().split("About the project")[0]
    # Evidence: spoofed refused with a message, real file stored.
    ev_url = f"/bids/{bid.pk}/sections/{form['evidence'].pk}/"
    spoof = client.post(ev_url, {f"file_{form['plan'].pk}": upload("plan.pdf", b"MZ not a pdf"), "action": "upload"})
    assert "must be a PDF" in spoof.content.decode()
    client.post(ev_url, {f"file_{form['plan'].pk}": upload("plan.docx", docx_bytes()), "action": "upload"})
    assert EvidenceFile.objects.get(bid=bid).content_type.endswith("wordprocessingml.document")
    # Partner confirms; check your answers shows change links; submit.
    client_for(personas.partner_officer).post(f"/bids/{bid.pk}/partner/", {"decision": "confirm"})
    check = client.get(f"/bids/{bid.pk}/check/").content.decode()
    assert (
        f"/bids/{bid.pk}/sections/{form['about'].pk}/?return=check#q_{form['aim'].pk}" in check
        and "Declaration" in check
    )
    done = client.post(
        f"/bids/{bid.pk}/check/",
        {"declaration_name": "Jo Chief", "declaration_role": "Chief Executive", "confirm": "on"},
    )
    assert done.status_code == 302
    bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED and bid.reference == "THIS-000001"
    page = client.get(done.url).content.decode()
    assert "THIS-000001" in page
    assert Notification.objects.filter(event="bid_submitted", recipient=personas.lead_officer).exists()
    history = client.get(f"/bids/{bid.pk}/history/").content.decode()
    assert "Medway confirmed" in history and "Submitted" in history


def test_dashboard_lists_lead_and_partner_bids_with_next_action(personas, client_for, form):
    from applications import services

    bid = services.start_bid(
        round=personas.round,
        actor=personas.lead_officer,
        title="Joint",
        summary="s",
        amount_requested=Decimal("20000"),
        match_funding=Decimal("0"),
        partners=[personas.partner_org],
    )
    lead_page = client_for(personas.lead_officer).get("/bids/").content.decode()
    assert "Wait for partners to confirm" in lead_page and bid.title in lead_page
    partner_page = client_for(personas.partner_officer).get("/bids/").content.decode()
    assert "Confirm or decline being a partner" in partner_page
    assert bid.title not in client_for(personas.other_officer).get("/bids/").content.decode()


def test_withdraw_page(personas, client_for):
    from .factories import BidFactory

    bid = BidFactory(round=personas.round, lead=personas.lead_org, created_by=personas.lead_officer)
    client = client_for(personas.lead_officer)
    assert "Enter a reason" in client.post(f"/bids/{bid.pk}/withdraw/", {"reason": ""}).content.decode()
    client.post(f"/bids/{bid.pk}/withdraw/", {"reason": "No longer needed"})
    bid.refresh_from_db()
    assert bid.status == BidStatus.WITHDRAWN and bid.status_reason == "No longer needed"


def test_ineligible_reason_is_shown_to_the_council(personas, client_for):
    from .factories import BidFactory

    bid = BidFactory(round=personas.round, lead=personas.lead_org, status=BidStatus.SUBMITTED, reference="THIS-000005")
    client_for(personas.programme_manager).post(
        f"/staff/rounds/{personas.round.slug}/bids/{bid.pk}/ineligible/", {"reason": "Outside England"}
    )
    page = client_for(personas.lead_officer).get(f"/bids/{bid.pk}/").content.decode()
    assert "Ineligible" in page and "Outside England" in page


def test_pdf_download_through_view(personas, client_for, form):
    from applications import services

    from .factories import BidFactory

    bid = BidFactory(round=personas.round, lead=personas.lead_org, created_by=personas.lead_officer)
    ev = services.upload_evidence(
        bid=bid, actor=personas.lead_officer, upload=upload("a.pdf", PDF), question=form["plan"]
    )
    response = client_for(personas.programme_manager).get(f"/bids/{bid.pk}/files/{ev.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_dashboard_is_paged_with_a_fixed_query_count(personas, client_for, django_assert_max_num_queries):
    from tests import factories as f

    from .factories import BidFactory

    def fill(n: int) -> None:
        for _ in range(n):
            BidFactory(round=f.RoundFactory(), lead=personas.lead_org)

    client = client_for(personas.lead_officer)
    fill(3)
    with django_assert_max_num_queries(12) as few:
        client.get("/bids/")
    fill(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/bids/")
    assert len(response.context["bids"]) == 25
    assert "Page 1 of 2" in response.content.decode()
    assert len(client.get("/bids/?page=2").context["bids"]) == 18


def test_round_page_never_says_can_apply_to_a_council_with_a_bid(personas, client_for):
    """The round page gives the start page's answer: once the council leads a bid in the round it
    is told so, with no Start a bid button (before, the page said "can apply" and the next page
    refused)."""
    client = client_for(personas.lead_officer)
    start = reverse("applications:bid_start", args=[personas.round.slug])
    client.post(
        start,
        {"title": "First bid", "summary": "Summary", "amount_requested": "20000", "match_funding": "0"},
    )
    assert Bid.objects.filter(round=personas.round).count() == 1
    body = client.get(personas.round.get_absolute_url()).content.decode()
    assert "can apply to this round" not in body and start not in body
    assert "already has a bid in this round" in body
