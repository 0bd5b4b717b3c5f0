"""The council dashboard's "what to do next" follows the deadline; the start page shows the
council's own deadline; the dashboard costs a fixed number of queries."""

from datetime import timedelta

import time_machine
from django.utils import dateformat, timezone

from applications import services
from applications.models import PartnerStatus
from tests import factories as f

from .factories import BidFactory, BidPartnerFactory
from .test_services import start


def _row(client_for, user, title: str) -> str:
    """The dashboard row of one bid, signed in afresh (time travel would expire a session)."""
    page = client_for(user).get("/bids/").content.decode()
    row = page[page.index(title) :]
    return row[: row.index("</tr>")]


def test_what_to_do_next_follows_the_deadline(personas, client_for):
    bid = start(personas)
    closes = personas.round.closes_at
    with time_machine.travel(closes - timedelta(minutes=1), tick=False):
        assert "Complete and submit before the deadline" in _row(client_for, personas.lead_officer, bid.title)
    with time_machine.travel(closes, tick=False):
        row = _row(client_for, personas.lead_officer, bid.title)
        assert "The round has closed; contact the programme team" in row and "Complete and submit" not in row
    services.grant_extension(
        round=personas.round,
        organisation=personas.lead_org,
        new_deadline=closes + timedelta(days=2),
        reason="Flood",
        actor=personas.programme_manager,
    )
    with time_machine.travel(closes + timedelta(days=1), tick=False):
        assert "Complete and submit before the deadline" in _row(client_for, personas.lead_officer, bid.title)


def test_a_partner_is_not_asked_to_confirm_a_closed_draft(personas, client_for):
    bid = BidFactory(round=personas.round, lead=personas.other_org, title="Leeds joint bid")
    BidPartnerFactory(bid=bid, organisation=personas.lead_org, status=PartnerStatus.REQUESTED)
    row = _row(client_for, personas.lead_officer, "Leeds joint bid")
    assert f"/bids/{bid.pk}/partner/" in row and "Confirm or decline" in row
    with time_machine.travel(personas.round.closes_at + timedelta(hours=1), tick=False):
        row = _row(client_for, personas.lead_officer, "Leeds joint bid")
        assert "No action needed" in row and "/partner/" not in row


def test_start_page_shows_the_councils_extended_deadline(personas, client_for):
    new = personas.round.closes_at + timedelta(days=3)
    services.grant_extension(
        round=personas.round,
        organisation=personas.lead_org,
        new_deadline=new,
        reason="r",
        actor=personas.programme_manager,
    )
    page = client_for(personas.lead_officer).get(f"/rounds/{personas.round.slug}/apply/").content.decode()
    assert dateformat.format(timezone.localtime(new), "j F Y") in page and "Your deadline has been extended" in page
    other = client_for(personas.other_officer).get(f"/rounds/{personas.round.slug}/apply/").content.decode()
    assert "extended" not in other


def test_dashboard_queries_do_not_grow_with_bids(personas, client_for, django_assert_max_num_queries):
    client = client_for(personas.lead_officer)
    for _ in range(3):
        bid = BidFactory(round=f.RoundFactory(), lead=personas.lead_org)
        BidPartnerFactory(bid=bid, status=PartnerStatus.REQUESTED)
        BidPartnerFactory(
            bid=BidFactory(round=f.RoundFactory(), lead=personas.other_org), organisation=personas.lead_org
        )
    client.get("/bids/")
    with django_assert_max_num_queries(12) as few:
        client.get("/bids/")
    for _ in range(20):
        BidPartnerFactory(bid=BidFactory(round=f.RoundFactory(), lead=personas.lead_org))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/bids/").status_code == 200
