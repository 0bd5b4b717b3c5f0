"""Deadline day on PostgreSQL with real threads: many councils press submit in the last second,
each twice (a double click), and every request is processed after the close. Each bid stamped
before the close is accepted exactly once: one reference, one submission, one receipt."""

import random
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from applications import services
from applications.models import Bid, BidStatus
from grants.models import AuditEvent, OrgRole
from notifications.models import Notification
from tests import factories as f

from .test_arrival import DECLARATION, stamp
from .test_services import DETAILS, complete

pytestmark = pytest.mark.django_db(transaction=True)
COUNCILS = 12


def test_many_submissions_in_the_last_second_are_each_accepted_exactly_once(personas, form, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are exercised on PostgreSQL")
    settings.GRANTBENCH_ARRIVAL_HEADER = "X-Request-Start"
    officers = []
    for _ in range(COUNCILS):
        officer = f.UserFactory(organisation=f.OrganisationFactory(), org_role=OrgRole.OFFICER)
        bid = services.start_bid(round=personas.round, actor=officer, **DETAILS)
        personas.lead_officer = officer
        complete(bid, personas, form)
        officers.append((bid, officer))
    closes_at = timezone.now().replace(microsecond=0) - timedelta(seconds=1)
    personas.round.closes_at = closes_at
    personas.round.save()
    rng = random.Random(21)
    requests = []
    for bid, officer in officers:
        received = closes_at - timedelta(milliseconds=rng.randint(1, 999))
        for _ in range(2):  # the officer presses submit twice
            client = Client()
            client.force_login(officer)
            requests.append((client, bid, received))
    barrier = threading.Barrier(len(requests))
    statuses, errors = [], []

    def press(client, bid, received):
        try:
            barrier.wait()
            statuses.append(client.post(f"/bids/{bid.pk}/check/", DECLARATION, **stamp(received)).status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=r) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert 500 not in statuses
    assert statuses.count(302) >= COUNCILS  # every bid acknowledged (a second press may see the receipt)
    bids = list(Bid.objects.filter(pk__in=[b.pk for b, _ in officers]))
    assert all(b.status == BidStatus.SUBMITTED and b.submission_count == 1 for b in bids)
    assert all(b.submitted_at < closes_at for b in bids)
    assert sorted(b.reference_number for b in bids) == list(range(1, COUNCILS + 1))
    submitted = Counter(
        AuditEvent.objects.filter(action="bid.submitted", target_type="applications.bid").values_list(
            "target_id", flat=True
        )
    )
    assert submitted == {str(b.pk): 1 for b in bids}
    receipts = Counter(Notification.objects.filter(event="bid_submitted").values_list("recipient_id", "channel"))
    assert set(receipts.values()) == {1} and {r for r, _ in receipts} == {o.pk for _, o in officers}
