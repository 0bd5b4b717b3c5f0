"""The deadline is the exact closing time in Europe/London, either side of the clock change."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications import services
from applications.models import Answer, BidStatus

from .test_services import DETAILS, complete

LONDON = ZoneInfo("Europe/London")


def _round_closing(personas, closes_at):
    rnd = personas.round
    rnd.opens_at = closes_at - timedelta(days=30)
    rnd.closes_at = closes_at
    rnd.save()
    return rnd


@pytest.mark.parametrize(
    "closes_at",
    [
        datetime(2026, 3, 29, 12, 0, tzinfo=LONDON),  # the Sunday clocks go forward: BST, 11:00 UTC
        datetime(2026, 3, 28, 12, 0, tzinfo=LONDON),  # the day before: GMT, 12:00 UTC
        datetime(2026, 10, 25, 12, 0, tzinfo=LONDON),  # clocks go back: GMT again
    ],
)
def test_submission_refused_from_the_exact_closing_second(personas, form, closes_at):
    _round_closing(personas, closes_at)
    with time_machine.travel(closes_at - timedelta(hours=2), tick=False):
        bid = services.start_bid(round=personas.round, actor=personas.lead_officer, **DETAILS)
        complete(bid, personas, form)
    with time_machine.travel(closes_at - timedelta(seconds=1), tick=False):
        assert services.submission_problems(bid=bid) == []
    with time_machine.travel(closes_at, tick=False):
        with pytest.raises(services.BidError, match="closed at"):
            services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name="A", declaration_role="B")
    bid.refresh_from_db()
    assert bid.status == BidStatus.DRAFT


def test_closing_time_follows_london_wall_clock_in_summer(personas, form):
    closes_at = datetime(2026, 3, 30, 12, 0, tzinfo=LONDON)  # BST: 11:00 UTC
    _round_closing(personas, closes_at)
    with time_machine.travel(datetime(2026, 3, 30, 10, 59, 59, tzinfo=ZoneInfo("UTC")), tick=False):
        bid = services.start_bid(round=personas.round, actor=personas.lead_officer, **DETAILS)
        complete(bid, personas, form)
        services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name="A", declaration_role="B")
    assert bid.status == BidStatus.SUBMITTED


def test_bid_open_on_screen_at_close_keeps_its_draft(personas, form, client_for):
    closes_at = datetime(2026, 6, 1, 12, 0, tzinfo=LONDON)
    _round_closing(personas, closes_at)
    with time_machine.travel(closes_at - timedelta(minutes=5), tick=False):
        bid = services.start_bid(round=personas.round, actor=personas.lead_officer, **DETAILS)
        services.save_section_answers(
            bid=bid, actor=personas.lead_officer, section=form["about"], data={form["aim"].pk: "Saved earlier"}
        )
    client = client_for(personas.lead_officer)
    with time_machine.travel(closes_at + timedelta(seconds=1), tick=False):
        response = client.post(
            f"/bids/{bid.pk}/sections/{form['about'].pk}/", {f"q_{form['aim'].pk}": "Typed after the close"}
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert "closed at 1 June 2026 at midday" in body
    assert "Typed after the close" in body  # what they typed is on screen to copy
    assert Answer.objects.get(bid=bid, question=form["aim"]).value == "Saved earlier"


def test_extension_lets_one_council_submit_late(personas, form):
    closes_at = datetime(2026, 6, 1, 12, 0, tzinfo=LONDON)
    _round_closing(personas, closes_at)
    with time_machine.travel(closes_at - timedelta(hours=1), tick=False):
        bid = services.start_bid(round=personas.round, actor=personas.lead_officer, **DETAILS)
        complete(bid, personas, form)
    services.grant_extension(
        round=personas.round,
        organisation=personas.lead_org,
        new_deadline=closes_at + timedelta(days=1),
        reason="IT outage",
        actor=personas.programme_manager,
    )
    bid.refresh_from_db()
    with time_machine.travel(closes_at + timedelta(hours=3), tick=False):
        services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name="A", declaration_role="B")
        assert services.bid_eligibility(round=personas.round, organisation=personas.other_org) == [
            "This round is not open for bids."
        ]
