"""A two-stage round assessed early: the invited full bids that are in are scored, ranked and
decided while other invited councils are still writing theirs. Confirming every decision so far
does not decide the round (which would refuse the scoring of the bids still to come); the last
confirmation once no more bids can arrive does. The ranking never counts the expressions of
interest."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import BidStage, BidStatus, Extension
from grants.models import Round
from scoring import selectors, services
from scoring.models import Scale

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def early(personas):
    """The persona round as a two-stage round: expressions of interest closed yesterday, full bids
    due in a month, early assessment allowed; one criterion and one declared assessor a bid."""
    now = timezone.now()
    Round.objects.filter(pk=personas.round.pk).update(
        opens_at=now - timedelta(days=40),
        eoi_closes_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        allow_early_assessment=True,
        budget=Decimal("100000.00"),
        max_award=Decimal("50000.00"),
    )
    rnd = Round.objects.get(pk=personas.round.pk)
    rnd.panel.assessors_per_bid = 1
    rnd.panel.save()
    quality = CriterionFactory(round=rnd, name="Risk reduced", weight=3, scale=Scale.ZERO_FOUR)
    declare(personas.assessor, rnd)
    return rnd, quality


def _full_bid(rnd, lead, assessor, quality, score):
    bid = SubmittedBidFactory(round=rnd, lead=lead, stage=BidStage.FULL, amount_requested=Decimal("10000.00"))
    assign_and_submit(bid=bid, assessor=assessor, criteria=[quality], scores={quality: score})
    return bid


def test_deciding_the_bids_in_does_not_decide_a_round_still_open_for_full_bids(personas, early):
    rnd, quality = early
    pm, assessor = personas.programme_manager, personas.assessor
    SubmittedBidFactory(round=rnd, lead=personas.other_org, stage=BidStage.EOI)  # waiting for triage
    first = _full_bid(rnd, personas.lead_org, assessor, quality, 3)
    assert [r.bid.pk for r in selectors.ranking_for_round(rnd).rows] == [first.pk]

    services.decision_propose(bid=first, actor=pm, outcome="funded")
    services.decisions_confirm(round=rnd, bid_ids=[first.pk], actor=pm)
    rnd.refresh_from_db(), first.refresh_from_db()
    assert first.status == BidStatus.FUNDED
    assert rnd.decided_at is None  # before the fix: stamped, and the next full bid could not be scored

    # Another invited council sends its full bid: it is scored, ranked and decided like the first.
    second = _full_bid(rnd, personas.partner_org, assessor, quality, 2)
    assert [r.bid.pk for r in selectors.ranking_for_round(rnd).rows] == [first.pk, second.pk]
    services.decision_propose(bid=second, actor=pm, outcome="not_funded", feedback="Less risk reduced.")
    services.decisions_confirm(round=rnd, bid_ids=[second.pk], actor=pm)
    rnd.refresh_from_db()
    assert rnd.decided_at is None  # the round is still open


def test_the_round_is_decided_by_the_last_confirmation_once_no_more_bids_can_arrive(personas, early):
    rnd, quality = early
    pm = personas.programme_manager
    bid = _full_bid(rnd, personas.lead_org, personas.assessor, quality, 3)
    services.decision_propose(bid=bid, actor=pm, outcome="reserve")
    Round.objects.filter(pk=rnd.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    rnd.refresh_from_db()
    # A council's extension runs on: its full bid may still come.
    extension = Extension.objects.create(
        round=rnd, organisation=personas.other_org, new_deadline=timezone.now() + timedelta(days=2), reason="Flood"
    )
    services.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=pm)
    rnd.refresh_from_db()
    assert rnd.decided_at is None

    extension.delete()
    services.decision_propose(bid=bid, actor=pm, outcome="funded")  # a reserve can move
    services.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=pm)
    rnd.refresh_from_db()
    assert rnd.decided_at is not None


def test_a_round_decided_in_full_before_it_closed_is_marked_decided_once_it_closes(personas, early):
    """Every bid decided while the round was open: no confirmation is left to mark it, so the
    hourly task does once the round has closed and no extension runs (and only once)."""
    from grants.models import AuditEvent
    from scoring.tasks import rounds_mark_decided

    rnd, quality = early
    pm = personas.programme_manager
    bid = _full_bid(rnd, personas.lead_org, personas.assessor, quality, 3)
    services.decision_propose(bid=bid, actor=pm, outcome="funded")
    services.decisions_confirm(round=rnd, bid_ids=[bid.pk], actor=pm)
    assert rounds_mark_decided() == 0  # still open: more full bids may come
    rnd.refresh_from_db()
    assert rnd.decided_at is None

    Round.objects.filter(pk=rnd.pk).update(closes_at=timezone.now() - timedelta(minutes=5))
    ext = Extension.objects.create(
        round=rnd,
        organisation=personas.other_org,
        new_deadline=timezone.now() + timedelta(days=2),
        reason="Flooding",
    )
    assert rounds_mark_decided() == 0  # an extension runs on
    ext.delete()
    assert rounds_mark_decided() == 1
    rnd.refresh_from_db()
    assert rnd.decided_at is not None
    assert rounds_mark_decided() == 0
    assert AuditEvent.objects.filter(action="round.decided", target_id=str(rnd.pk)).count() == 1


def test_a_closed_round_with_nothing_decided_is_not_marked_decided(personas, early):
    from scoring.tasks import rounds_mark_decided

    rnd, quality = early
    _full_bid(rnd, personas.lead_org, personas.assessor, quality, 3)
    Round.objects.filter(pk=rnd.pk).update(closes_at=timezone.now() - timedelta(minutes=5))
    assert rounds_mark_decided() == 0
    rnd.refresh_from_db()
    assert rnd.decided_at is None
