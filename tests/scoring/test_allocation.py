"""Properties of automatic assignment (the pure function), and the service around it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.allocation import allocate, loads

ids = st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=40, unique=True)


@st.composite
def problems(draw, with_conflicts=True):
    bids = draw(ids)
    people = draw(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=12, unique=True))
    per_bid = draw(st.integers(min_value=1, max_value=4))
    conflicts = set()
    if with_conflicts:
        pairs = st.tuples(st.sampled_from(bids), st.sampled_from(people))
        conflicts = set(draw(st.lists(pairs, max_size=len(bids) * 2)))
    return bids, people, per_bid, conflicts


@settings(max_examples=300, deadline=None)
@given(problems())
def test_never_conflicted_and_every_bid_gets_its_number_where_possible(problem):
    bids, people, per_bid, conflicts = problem
    result = allocate(bids=bids, assessors=people, per_bid=per_bid, conflicts=conflicts)
    for bid in bids:
        chosen = result.get(bid, [])
        assert len(chosen) == len(set(chosen))
        assert not any((bid, a) in conflicts for a in chosen)
        eligible = [a for a in people if (bid, a) not in conflicts]
        assert len(chosen) == min(per_bid, len(eligible))


@settings(max_examples=300, deadline=None)
@given(problems())
def test_loads_are_balanced_where_conflicts_allow(problem):
    """No assessor carries two or more than another who could have taken one of their bids."""
    bids, people, per_bid, conflicts = problem
    result = allocate(bids=bids, assessors=people, per_bid=per_bid, conflicts=conflicts)
    load = loads(result, people)
    for bid, chosen in result.items():
        for heavy in chosen:
            for light in people:
                if light not in chosen and (bid, light) not in conflicts:
                    assert load[heavy] - load[light] <= 1, (bid, heavy, light, load)


@settings(max_examples=200, deadline=None)
@given(problems(with_conflicts=False))
def test_without_conflicts_loads_differ_by_at_most_one(problem):
    bids, people, per_bid, _ = problem
    load = loads(allocate(bids=bids, assessors=people, per_bid=per_bid), people)
    assert max(load.values()) - min(load.values()) <= 1


@settings(max_examples=200, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_same_input_same_result_whatever_the_order(problem, rnd):
    bids, people, per_bid, conflicts = problem
    first = allocate(bids=bids, assessors=people, per_bid=per_bid, conflicts=conflicts)
    shuffled_bids, shuffled_people, shuffled_conflicts = list(bids), list(people), list(conflicts)
    for seq in (shuffled_bids, shuffled_people, shuffled_conflicts):
        rnd.shuffle(seq)
    assert (
        allocate(bids=shuffled_bids, assessors=shuffled_people, per_bid=per_bid, conflicts=shuffled_conflicts) == first
    )


@settings(max_examples=150, deadline=None)
@given(problems(), st.data())
def test_existing_assignments_are_kept_and_counted(problem, data):
    bids, people, per_bid, conflicts = problem
    pairs = [(b, a) for b in bids for a in people if (b, a) not in conflicts]
    existing = set(data.draw(st.lists(st.sampled_from(pairs), max_size=10))) if pairs else set()
    result = allocate(bids=bids, assessors=people, per_bid=per_bid, conflicts=conflicts, existing=existing)
    for bid in bids:
        have = {a for b, a in existing if b == bid}
        new = set(result.get(bid, []))
        assert not (have & new)
        eligible = {a for a in people if (bid, a) not in conflicts}
        assert len(have | new) == max(len(have), min(per_bid, len(eligible)))


def test_a_worked_example():
    # Assessor 3 is conflicted on bid 10; three assessors, two per bid, three bids: loads 2, 2, 2.
    result = allocate(bids=[10, 11, 12], assessors=[1, 2, 3], per_bid=2, conflicts={(10, 3)})
    assert result[10] == [1, 2]
    assert sorted(loads(result, [1, 2, 3]).values()) == [2, 2, 2]


@pytest.mark.django_db
def test_service_assigns_every_bid_without_conflicts_and_notifies(personas):
    from notifications.models import Notification
    from scoring import services
    from scoring.models import Assignment

    from .factories import CriterionFactory, SubmittedBidFactory

    CriterionFactory(round=personas.round)  # assessors are assigned only to a round with criteria
    bids = [SubmittedBidFactory(round=personas.round) for _ in range(5)]
    conflicted_bid = SubmittedBidFactory(round=personas.round, lead=personas.lead_org)
    created = services.assignment_auto(round=personas.round, actor=personas.programme_manager)
    assert len(created) == 6 * 2
    active = Assignment.objects.filter(withdrawn_at__isnull=True)
    assert not active.filter(bid=conflicted_bid, assessor=personas.conflicted_assessor).exists()
    for bid in [*bids, conflicted_bid]:
        assert active.filter(bid=bid).count() == 2
    assert Notification.objects.filter(event="assessor_assigned", recipient=personas.assessor).exists()
    # Running it again changes nothing: every bid already has its assessors.
    assert services.assignment_auto(round=personas.round, actor=personas.programme_manager) == []


@pytest.mark.django_db
def test_automatic_assignment_never_puts_a_withdrawn_assessor_back(personas):
    from scoring import services
    from scoring.models import Assignment

    from .factories import CriterionFactory, SubmittedBidFactory

    rnd = personas.round
    CriterionFactory(round=rnd)
    bid = SubmittedBidFactory(round=rnd)
    services.assignment_auto(round=rnd, actor=personas.programme_manager)
    victim = Assignment.objects.filter(bid=bid, withdrawn_at__isnull=True).order_by("assessor_id").first()
    services.assignment_withdraw(assignment=victim, actor=personas.programme_manager, reason="Reassign please")
    created = services.assignment_auto(round=rnd, actor=personas.programme_manager)
    # The only other unconflicted member takes the place; the withdrawn assessor does not come back.
    assert [c.assessor_id for c in created] != [] and victim.assessor_id not in [c.assessor_id for c in created]
    assert not Assignment.objects.filter(bid=bid, assessor=victim.assessor, withdrawn_at__isnull=True).exists()
    # A manager can still put them back by hand.
    services.assign(bid=bid, assessor=victim.assessor, actor=personas.programme_manager)
