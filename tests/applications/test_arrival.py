"""A bid is judged by when it reached the service, not when a busy worker got round to it.

The round here closes in the recent past (`closing`), so every request is processed after the
close; what differs is the arrival stamp the trusted edge put on it (X-Request-Start, as nginx
writes it). Before the close: accepted. After, or with no trusted stamp: refused, and the page
says when the round closed and keeps what was typed.
"""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from applications.models import Answer, Bid, BidStatus
from grants.core.arrival import parse_stamp
from grants.core.dates import govuk_when_exact
from grants.models import AuditEvent
from notifications.models import Notification

from .test_services import DETAILS, complete

EDGE = {"GRANTBENCH_ARRIVAL_HEADER": "X-Request-Start", "GRANTBENCH_ARRIVAL_GRACE_SECONDS": 120}
DECLARATION = {"declaration_name": "Alex Example", "declaration_role": "Chief Executive", "confirm": "on"}


def stamp(at) -> dict:
    """The header as nginx's `proxy_set_header X-Request-Start "t=${msec}"` writes it."""
    return {"HTTP_X_REQUEST_START": f"t={at.timestamp():.3f}"}


@pytest.fixture
def closing(personas, form):
    """A complete draft in a round that closed two seconds ago."""
    from applications import services

    bid = services.start_bid(round=personas.round, actor=personas.lead_officer, **DETAILS)
    complete(bid, personas, form)
    closed = (timezone.now() - timedelta(seconds=2)).replace(microsecond=0)  # what a stamp in ms can hit
    personas.round.closes_at = closed
    personas.round.save()
    return Bid.objects.select_related("round").get(pk=bid.pk)


@pytest.fixture
def edge(settings):
    settings.GRANTBENCH_ARRIVAL_HEADER = EDGE["GRANTBENCH_ARRIVAL_HEADER"]
    settings.GRANTBENCH_ARRIVAL_GRACE_SECONDS = EDGE["GRANTBENCH_ARRIVAL_GRACE_SECONDS"]


def _submit(client, bid, **headers):
    return client.post(f"/bids/{bid.pk}/check/", DECLARATION, **headers)


def _refused_keeping_declaration(response, bid) -> None:
    body = response.content.decode()
    assert response.status_code == 200 and "This round closed at" in body
    assert "Alex Example" in body and "Chief Executive" in body  # what was typed is on the page again
    bid.refresh_from_db()
    assert bid.status == BidStatus.DRAFT and bid.reference is None


def test_a_submission_queued_past_the_close_but_stamped_before_is_accepted(personas, client_for, closing, edge):
    received = closing.deadline - timedelta(seconds=1, microseconds=250_000)
    response = _submit(client_for(personas.lead_officer), closing, **stamp(received))
    assert response.status_code == 302
    closing.refresh_from_db()
    assert closing.status == BidStatus.SUBMITTED and closing.reference
    # Stored, shown and sent as the time received, to the second, not the time processed.
    assert abs(closing.submitted_at - received) < timedelta(milliseconds=1)
    exact = govuk_when_exact(received)
    receipt = client_for(personas.lead_officer).get(response.url).content.decode()
    assert exact in receipt
    history = client_for(personas.lead_officer).get(f"/bids/{closing.pk}/history/").content.decode()
    assert f"Submitted, received {exact}" in history
    event = AuditEvent.objects.get(target_id=str(closing.pk), action="bid.submitted")
    assert abs(datetime.fromisoformat(event.data["received_at"]) - received) < timedelta(milliseconds=1)
    receipts = Notification.objects.filter(event="bid_submitted", recipient=personas.lead_officer)
    assert receipts and all(n.context["submitted_at"] == exact for n in receipts)


def test_a_submission_stamped_at_or_after_the_close_is_refused(personas, client_for, closing, edge):
    response = _submit(client_for(personas.lead_officer), closing, **stamp(closing.deadline))
    _refused_keeping_declaration(response, closing)


def test_a_stamp_sent_by_the_client_is_ignored_when_no_edge_is_trusted(personas, client_for, closing):
    """The embedded default trusts no header: the time of processing counts, as before."""
    early = closing.deadline - timedelta(minutes=1)
    response = _submit(client_for(personas.lead_officer), closing, **stamp(early))
    _refused_keeping_declaration(response, closing)


def test_a_header_other_than_the_one_the_edge_writes_is_ignored(personas, client_for, closing, edge):
    early = (closing.deadline - timedelta(minutes=1)).timestamp()
    response = _submit(client_for(personas.lead_officer), closing, HTTP_X_QUEUE_START=f"t={early}")
    _refused_keeping_declaration(response, closing)


def test_the_grace_is_bounded(personas, client_for, closing, settings, edge):
    """A stamp older than the grace counts as arriving at the grace's edge: a replayed or stale
    header cannot reopen a round that closed longer ago than that."""
    settings.GRANTBENCH_ARRIVAL_GRACE_SECONDS = 1  # the round closed 2 s ago
    early = closing.deadline - timedelta(seconds=5)
    response = _submit(client_for(personas.lead_officer), closing, **stamp(early))
    _refused_keeping_declaration(response, closing)


def test_an_edge_clock_running_ahead_costs_no_council_its_bid(personas, client_for, closing, edge):
    """A stamp in the future counts as now: a request processed before the close is in time,
    whatever an edge with a fast clock wrote on it."""
    personas.round.closes_at = timezone.now() + timedelta(minutes=5)
    personas.round.save()
    response = _submit(client_for(personas.lead_officer), closing, **stamp(timezone.now() + timedelta(hours=1)))
    assert response.status_code == 302
    closing.refresh_from_db()
    assert closing.status == BidStatus.SUBMITTED and closing.submitted_at < personas.round.closes_at


def test_a_section_saved_in_time_but_processed_late_is_kept(personas, client_for, closing, form, edge):
    url = f"/bids/{closing.pk}/sections/{form['about'].pk}/"
    data = {f"q_{form['aim'].pk}": "Revised aim", f"q_{form['people'].pk}": "1,300"}
    client = client_for(personas.lead_officer)
    late = client.post(url, data, **stamp(closing.deadline + timedelta(milliseconds=1)))
    body = late.content.decode()
    assert late.status_code == 200 and "This round closed at" in body and "Revised aim" in body
    assert Answer.objects.get(bid=closing, question=form["aim"]).value == "Get people online"
    in_time = client.post(url, data, **stamp(closing.deadline - timedelta(milliseconds=1)))
    assert in_time.status_code == 302
    assert Answer.objects.get(bid=closing, question=form["aim"]).value == "Revised aim"


def test_the_check_page_judges_by_arrival_too(personas, client_for, closing, edge):
    client = client_for(personas.lead_officer)
    before = client.get(f"/bids/{closing.pk}/check/", **stamp(closing.deadline - timedelta(seconds=1)))
    after = client.get(f"/bids/{closing.pk}/check/", **stamp(closing.deadline))
    assert "This round closed at" not in before.content.decode()
    assert "This round closed at" in after.content.decode()


@pytest.mark.parametrize(
    "raw, seconds",
    [
        ("t=1733400000.123", 1733400000.123),  # nginx ${msec}
        ("t=1733400000123456", 1733400000.123456),  # microseconds (HAProxy, Apache %t)
        ("1733400000123", 1733400000.123),  # milliseconds (Heroku's router)
        ("1733400000", 1733400000.0),
    ],
)
def test_the_stamp_forms_proxies_write(raw, seconds):
    assert parse_stamp(raw).timestamp() == pytest.approx(seconds, abs=1e-6)


@pytest.mark.parametrize("raw", ["", "t=", "yesterday", "t=-5", "0", "nan", "inf", "1e400", "t=1e30"])
def test_anything_else_is_no_stamp(raw):
    assert parse_stamp(raw) is None
