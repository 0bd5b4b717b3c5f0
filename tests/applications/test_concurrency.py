"""References are allocated safely when councils submit at the same moment (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from applications import services
from applications.models import Bid
from grants.models import OrgRole
from tests import factories as f

from .test_services import DETAILS, complete

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_submissions_get_distinct_references(personas, form):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are exercised on PostgreSQL")
    bids = []
    for _ in range(4):
        org = f.OrganisationFactory()
        officer = f.UserFactory(organisation=org, org_role=OrgRole.OFFICER)
        bid = services.start_bid(round=personas.round, actor=officer, **DETAILS)
        personas.lead_officer = officer
        complete(bid, personas, form)
        bids.append((bid, officer))
    barrier = threading.Barrier(len(bids))
    errors = []

    def submit(bid, officer):
        try:
            barrier.wait()
            services.submit_bid(bid=bid, actor=officer, declaration_name="A", declaration_role="B")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=pair) for pair in bids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    refs = sorted(Bid.objects.values_list("reference", flat=True))
    assert refs == ["THIS-000001", "THIS-000002", "THIS-000003", "THIS-000004"]


def test_details_saved_while_a_colleague_submits_are_refused(personas, form):
    """The details save waits for the submission's row lock, then sees a submitted bid and stops."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are exercised on PostgreSQL")
    import time

    from django.db import transaction

    bid = services.start_bid(round=personas.round, actor=personas.lead_officer, **DETAILS)
    complete(bid, personas, form)
    stale = Bid.objects.get(pk=bid.pk)  # the details page, opened while the bid was a draft
    locked, outcome = threading.Event(), {}

    def submit():
        try:
            with transaction.atomic():
                services.submit_bid(
                    bid=Bid.objects.get(pk=bid.pk),
                    actor=personas.lead_officer,
                    declaration_name="A",
                    declaration_role="B",
                )
                locked.set()
                time.sleep(0.5)  # the submission is still committing when the details save arrives
        finally:
            locked.set()
            connections.close_all()

    def save_details():
        locked.wait()
        try:
            services.update_bid_details(bid=stale, actor=personas.lead_officer, title="Saved after submission")
            outcome["saved"] = True
        except services.BidError as exc:
            outcome["refused"] = exc.messages[0]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit), threading.Thread(target=save_details)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fresh = Bid.objects.get(pk=bid.pk)
    assert outcome == {"refused": "This bid cannot be changed."}
    assert fresh.status == "submitted" and fresh.reference == "THIS-000001" and fresh.title == DETAILS["title"]
