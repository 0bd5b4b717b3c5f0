"""Two managers confirm the same expressions of interest at the same moment (PostgreSQL): each
bid moves once and each council gets one letter."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from applications.models import Bid, BidStage, BidStatus
from grants.models import Round, StaffRole
from scoring.models import EoiOutcome, EoiTriage
from scoring.services import eoi_confirm_batch, eoi_propose
from tests import factories as f

from .test_eoi_triage import eoi, two_stage

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_confirmers_move_each_bid_once_with_one_email_each(personas):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are exercised on PostgreSQL")
    rnd = two_stage(personas.round)
    pm = personas.programme_manager
    second = f.UserFactory()
    StaffRole.objects.create(user=second, role="programme_manager", programme=rnd.programme)
    invited, declined = eoi(rnd, personas.lead_org), eoi(rnd, personas.other_org)
    eoi_propose(bid=invited, actor=pm, outcome=EoiOutcome.INVITE)
    eoi_propose(bid=declined, actor=pm, outcome=EoiOutcome.DECLINE, note="Out of scope")
    ids = [invited.pk, declined.pk]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def confirm(actor):
        try:
            barrier.wait()
            results.append(len(eoi_confirm_batch(round=Round.objects.get(pk=rnd.pk), actor=actor, bid_ids=ids)[0]))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(who,)) for who in (pm, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sum(results) == 2
    assert Bid.objects.get(pk=invited.pk).stage == BidStage.FULL
    assert Bid.objects.get(pk=declined.pk).status == BidStatus.NOT_INVITED
    assert EoiTriage.objects.filter(confirmed_at__isnull=False).count() == 2
    assert len([m for m in mail.outbox if personas.lead_officer.email in m.to]) == 1
    assert len([m for m in mail.outbox if personas.other_officer.email in m.to]) == 1
