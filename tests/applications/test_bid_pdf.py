"""Print when done: the lead council downloads its bid as a PDF for its own sign-off."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications import pdf, services
from applications.models import Bid, BidStatus, OtherPartner, PartnerStatus
from applications.views.printable import bid_pdf_context
from tests.conftest import enable_mfa
from tests.factories import PanelMemberFactory
from tests.scoring.factories import declare

from .factories import PDF, AnswerFactory, BidFactory, BidPartnerFactory, upload

SUBMITTED_AT = datetime(2026, 6, 3, 14, 5, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def bid(personas, form):
    bid = BidFactory(
        round=personas.round,
        lead=personas.lead_org,
        created_by=personas.lead_officer,
        title="Digital skills for Kent",
        amount_requested=Decimal("48250.50"),
        match_funding=Decimal("12000"),
    )
    BidPartnerFactory(bid=bid, organisation=personas.partner_org, status=PartnerStatus.CONFIRMED)
    AnswerFactory(bid=bid, question=form["aim"], value="Help older people get online")
    AnswerFactory(bid=bid, question=form["people"], value=240)
    AnswerFactory(bid=bid, question=form["cost"], value="60250.50")
    services.upload_evidence(
        bid=bid, actor=personas.lead_officer, upload=upload("plan.pdf", PDF), question=form["plan"]
    )
    return bid


def _submit(bid):
    Bid.objects.filter(pk=bid.pk).update(
        status=BidStatus.SUBMITTED,
        submitted_at=SUBMITTED_AT,
        reference="THIS-0007",
        declaration_name="Ann Chief",
        declaration_role="Director of Digital",
    )
    bid.refresh_from_db()
    return bid


def _url(bid):
    return reverse("applications:bid_pdf", args=[bid.pk])


def test_submitted_bid_pdf_holds_everything_signed_off(personas, client_for, bid):
    bid = _submit(bid)
    r = client_for(personas.lead_officer).get(_url(bid))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 2000
    assert "THIS-0007" in r["Content-Disposition"]
    assert "applications/bid_pdf.html" in [t.name for t in r.templates]
    html = pdf.bid_html(bid_pdf_context(bid))
    for text in (
        "THIS-0007",
        personas.round.name,
        "Kent County Council",
        "Medway Council (confirmed)",
        "Digital skills for Kent",
        bid.summary,
        "£48,250.50",  # through the money formatter
        "£12,000",
        "1 April 2026",
        "Help older people get online",
        "£60,250.50",
        "plan.pdf",
        "Ann Chief",
        "Director of Digital",
        "3 June 2026",
    ):
        assert text in html, text
    assert "Draft — not submitted" not in html
    assert html.index("What is the aim?") < html.index("How many people?") < html.index("Project plan")


def test_the_pdf_names_partners_beyond_councils(personas, bid):
    """Police, health or voluntary partners are part of what the council signs off."""
    OtherPartner.objects.create(bid=bid, name="Kent Police", kind="police", role="Shares the victims' data")
    html = pdf.bid_html(bid_pdf_context(_submit(bid)))
    assert "Kent Police (police): Shares the victims&#x27; data" in html


def test_draft_pdf_is_marked_draft(personas, client_for, bid):
    r = client_for(personas.lead_officer).get(_url(bid))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    html = pdf.bid_html(bid_pdf_context(bid))
    assert "Draft — not submitted" in html and "Not yet made" in html
    # Offered on the task list, for sign-off before submission.
    assert _url(bid) in client_for(personas.lead_officer).get(bid.get_absolute_url()).content.decode()


def test_linked_from_the_submitted_bid(personas, client_for, bid):
    bid = _submit(bid)
    for page in (bid.get_absolute_url(), reverse("applications:bid_submitted", args=[bid.pk])):
        assert _url(bid) in client_for(personas.lead_officer).get(page).content.decode()


@pytest.mark.parametrize(
    "who, status",
    [
        ("anonymous", 302),
        ("lead_officer", 200),
        ("signatory", 200),
        ("partner_officer", 200),  # a confirmed partner reads the answers
        ("programme_manager", 200),
        ("other_officer", 404),
        ("other_programme_manager", 404),
        ("conflicted_assessor", 404),
    ],
)
def test_who_may_download(personas, client_for, bid, who, status):
    bid = _submit(bid)
    r = client_for(personas.all().get(who) or getattr(personas, who, None)).get(_url(bid))
    assert r.status_code == status
    if status == 302:
        assert "login" in r["Location"] or "sign" in r["Location"]


def test_lead_officer_conflicted_on_the_panel_gets_404(personas, client_for, bid):
    bid = _submit(bid)
    assert client_for(personas.signatory).get(_url(bid)).status_code == 200
    PanelMemberFactory(panel=personas.round.panel, user=personas.signatory)
    declare(personas.signatory, personas.round)
    enable_mfa(personas.signatory)  # panel members sign in with two factors
    assert client_for(personas.signatory).get(_url(bid)).status_code == 404
