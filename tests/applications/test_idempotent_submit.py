"""Submitting is idempotent: a retried or doubled submit gets the same reference and receipt.

On deadline day a browser or load balancer retries a submit whose answer was lost (an app server
killed mid-request, a dropped connection), and people double-click. Each repeat must land on the
same confirmation page, with the same reference, and send no second receipt email.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from applications import services
from applications.models import Bid, BidStatus
from notifications.models import Notification

from .test_services import DETAILS, complete

DECLARATION = {"declaration_name": "Alex Example", "declaration_role": "Chief Executive", "confirm": "on"}


def _ready_bid(personas, form) -> Bid:
    bid = services.start_bid(round=personas.round, actor=personas.lead_officer, **DETAILS)
    complete(bid, personas, form)
    return bid


def _receipts(bid: Bid) -> list[tuple[int, str]]:
    rows = Notification.objects.filter(event="bid_submitted", context__reference=bid.reference)
    return list(rows.values_list("recipient_id", "channel"))


def _confirmation(client: Client, bid: Bid) -> str:
    page = client.get(f"/bids/{bid.pk}/submitted/")
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.django_db
def test_a_retried_submit_gets_the_same_confirmation_and_no_second_receipt(personas, form, client_for):
    bid = _ready_bid(personas, form)
    client = client_for(personas.lead_officer)
    data = {**DECLARATION, "seen_submissions": "0"}  # what the check page's hidden field carried
    first = client.post(f"/bids/{bid.pk}/check/", data)
    bid.refresh_from_db()
    receipts, page = _receipts(bid), _confirmation(client, bid)
    second = client.post(f"/bids/{bid.pk}/check/", data)  # the browser retries the same POST
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/bids/{bid.pk}/submitted/"
    again = Bid.objects.get(pk=bid.pk)
    assert (again.reference, again.submitted_at, again.submission_count) == (
        bid.reference,
        bid.submitted_at,
        1,
    )
    assert receipts and _receipts(again) == receipts  # no second email queued
    assert _confirmation(client, again) == page


@pytest.mark.django_db
def test_a_retry_arriving_after_the_close_still_gets_the_receipt(personas, form, client_for):
    """The first submit was judged in time when it arrived; its repeat is not judged again."""
    bid = _ready_bid(personas, form)
    client = client_for(personas.lead_officer)
    assert client.post(f"/bids/{bid.pk}/check/", {**DECLARATION, "seen_submissions": "0"}).status_code == 302
    personas.round.closes_at = timezone.now() - timedelta(seconds=1)
    personas.round.save()
    retry = client.post(f"/bids/{bid.pk}/check/", {**DECLARATION, "seen_submissions": "0"})
    assert (retry.status_code, retry["Location"]) == (302, f"/bids/{bid.pk}/submitted/")
    assert Bid.objects.get(pk=bid.pk).submission_count == 1


@pytest.mark.django_db
def test_a_draft_still_cannot_be_submitted_after_the_close(personas, form, client_for):
    bid = _ready_bid(personas, form)
    personas.round.closes_at = timezone.now() - timedelta(seconds=1)
    personas.round.save()
    response = client_for(personas.lead_officer).post(f"/bids/{bid.pk}/check/", DECLARATION)
    assert response.status_code == 200 and "closed at" in response.content.decode()
    assert Bid.objects.get(pk=bid.pk).status == BidStatus.DRAFT


@pytest.mark.django_db
def test_a_page_older_than_a_return_for_changes_does_not_resubmit(personas, form, client_for):
    """A tab left open on the first submission, posted after the bid came back for changes, is
    refused (it never showed the bid as it is now); the page shown again submits it."""
    bid = _ready_bid(personas, form)
    client = client_for(personas.lead_officer)
    client.post(f"/bids/{bid.pk}/check/", {**DECLARATION, "seen_submissions": "0"})
    services.return_bid(bid=Bid.objects.get(pk=bid.pk), actor=personas.programme_manager, reason="Add a letter")
    stale = client.post(f"/bids/{bid.pk}/check/", {**DECLARATION, "seen_submissions": "0"})
    assert stale.status_code == 200
    assert "This bid has changed since this page was opened" in stale.content.decode()
    assert 'name="seen_submissions" value="1"' in stale.content.decode()
    assert Bid.objects.get(pk=bid.pk).status == BidStatus.RETURNED
    fresh = client.post(f"/bids/{bid.pk}/check/", {**DECLARATION, "seen_submissions": "1"})
    assert fresh.status_code == 302
    assert Bid.objects.get(pk=bid.pk).submission_count == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_submits_make_one_submission(personas, form):
    """Four copies of the same submit race on real threads and connections (PostgreSQL row locks):
    one submission, one reference, one set of receipts, and every copy sees the confirmation."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are exercised on PostgreSQL")
    bid = _ready_bid(personas, form)
    clients = []
    for _ in range(4):
        c = Client()
        c.force_login(personas.lead_officer)
        clients.append(c)
    barrier, answers, errors = threading.Barrier(len(clients)), [], []

    def submit(client):
        try:
            barrier.wait()
            r = client.post(f"/bids/{bid.pk}/check/", {**DECLARATION, "seen_submissions": "0"})
            answers.append((r.status_code, r.get("Location")))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert answers == [(302, f"/bids/{bid.pk}/submitted/")] * len(clients)
    stored = Bid.objects.get(pk=bid.pk)
    assert stored.submission_count == 1 and Bid.objects.exclude(reference=None).count() == 1
    receipts = _receipts(stored)
    assert receipts and len(receipts) == len(set(receipts))


@pytest.mark.django_db
def test_a_retry_sends_the_receipt_whose_task_died_with_the_server(
    personas, form, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    """The first submit committed, and its server died before queuing the receipt's delivery
    (on-commit callbacks never run here: the task is lost). The retry queues it again, and the
    officers get it once each; a second retry sends nothing more."""
    bid = _ready_bid(personas, form)
    client = client_for(personas.lead_officer)
    client.post(f"/bids/{bid.pk}/check/", {**DECLARATION, "seen_submissions": "0"})  # callbacks dropped
    bid.refresh_from_db()
    queued = Notification.objects.filter(event="bid_submitted", channel="email", status="queued")
    officers = sorted(queued.values_list("recipient__email", flat=True))
    assert officers and mailoutbox == []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            retry = client.post(f"/bids/{bid.pk}/check/", {**DECLARATION, "seen_submissions": "0"})
        assert retry.status_code == 302
    assert not queued.exists()
    assert sorted(to for m in mailoutbox if bid.reference in m.subject for to in m.to) == officers  # once each
