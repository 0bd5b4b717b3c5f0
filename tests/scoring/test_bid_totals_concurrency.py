"""Two people changing the same bid's scores at the same moment (PostgreSQL, real threads): the
bid's stored totals count both changes. `services.bid_totals_refresh` locks the bid's totals row
before reading its rows; without that lock each transaction would work the totals out from the
rows it could see, and the second to commit would write over the first's change."""

import threading

import pytest
from django.db import connection, connections

from grants.models import StaffRole
from scoring import services
from scoring.models import BidTotals, Scale
from scoring.totals import FIELDS, Totals, totals_for
from tests import factories as f

from .factories import SubmittedBidFactory
from .helpers import assign_and_submit, weighted_panel

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bid(personas):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks are exercised on PostgreSQL")
    rnd = personas.round
    criteria, people = weighted_panel(rnd, [personas.assessor], impact_scale=Scale.ZERO_FOUR)
    return SubmittedBidFactory(round=rnd), criteria, people


def _stored(pk: int) -> Totals:
    row = BidTotals.objects.get(bid_id=pk)
    return Totals(**{name: getattr(row, name) for name in FIELDS})


def _race(*works, pause_before_totals: bool = False) -> None:
    """Run each work in its own thread and connection, started together. With
    `pause_before_totals`, each holds its transaction open, its own rows written, until every
    thread has reached the totals (its first statement on scoring_bidtotals): the interleaving
    that loses an update when nothing serialises the two."""
    barrier = threading.Barrier(len(works), timeout=10)
    errors: list[Exception] = []

    def run(work):
        paused = []

        def pause(execute, sql, params, many, context):
            if pause_before_totals and "scoring_bidtotals" in sql and not paused:
                paused.append(sql)
                barrier.wait()
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(pause):
                if not pause_before_totals:
                    barrier.wait()
                work()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in works]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_two_assessors_submitting_at_once_are_both_counted(bid):
    bid, criteria, people = bid
    scores = {people[0]: (4, 4, 1), people[1]: (1, 2, 0)}

    def submit(person):
        return lambda: assign_and_submit(
            bid=bid, assessor=person, criteria=criteria, scores=dict(zip(criteria, scores[person], strict=True))
        )

    _race(submit(people[0]), submit(people[1]))
    totals = _stored(bid.pk)
    assert totals == totals_for([bid.pk])[bid.pk]
    assert (totals.n_assessed, totals.gateway_failed) == (2, True)


def test_two_moderators_settling_different_criteria_at_once_are_both_counted(bid, personas):
    """Moderation takes no round lock (assessors' submissions do), so only the totals lock keeps
    the two apart: both transactions have written their moderated score when they reach the
    totals. Remove the lock from `bid_totals_refresh` and this fails."""
    bid, criteria, people = bid
    for person in people:
        assign_and_submit(bid=bid, assessor=person, criteria=criteria, scores=dict.fromkeys(criteria, 1))
    second_manager = f.UserFactory()
    StaffRole.objects.create(user=second_manager, role="programme_manager", programme=bid.round.programme)

    def moderate(criterion, score, actor):
        return lambda: services.moderated_score_record(
            bid=bid, criterion=criterion, score=score, reason="Settled", actor=actor
        )

    _race(
        moderate(criteria[0], 4, personas.programme_manager),
        moderate(criteria[1], 4, second_manager),
        pause_before_totals=True,
    )
    assert _stored(bid.pk) == totals_for([bid.pk])[bid.pk]
    assert _stored(bid.pk).final_pct == 100  # both criteria settled at 4 of 4
