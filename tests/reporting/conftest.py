from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import strategies as st

from . import factories as rf


@contextmanager
def rolled_back():
    """Each hypothesis example builds its world inside a transaction that is then rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


award_specs = st.builds(
    rf.AwardSpec,
    round=st.integers(0, 3),
    status=st.sampled_from(rf.ALL_STATUSES),
    amount=st.integers(1000, 90000),
    paid=st.lists(st.integers(1, 20000), max_size=2),
    returned=st.integers(0, 500),
    rag=st.sampled_from(["", "green", "amber", "red"]),
    return_status=st.sampled_from(["due", "submitted", "approved"]),
    target=st.integers(0, 50000),
    value=st.integers(0, 50000),
    region=st.integers(0, 2),
    kind=st.integers(0, 2),
    later=st.lists(
        st.tuples(
            st.sampled_from(["green", "amber", "red"]),
            st.sampled_from(["due", "submitted", "changes_requested", "approved"]),
            st.integers(0, 50000),
        ),
        max_size=2,
    ),
)
bid_specs = st.builds(rf.BidSpec, round=st.integers(0, 3), amount=st.integers(1000, 90000), submitted=st.booleans())


@pytest.fixture
def world(personas):
    """Two programmes (the manager's and another), two financial years each, a few awards."""
    rounds = rf.make_rounds([personas.programme, personas.other_programme])
    specs = [
        rf.AwardSpec(0, "active", 30000, paid=[10000], rag="green", target=5000, value=2000, region=0, kind=0),
        rf.AwardSpec(0, "accepted", 20000, rag="red", target=1000, value=100, region=1, kind=1),
        rf.AwardSpec(1, "completed", 50000, paid=[50000], returned=5000, region=1, kind=2),
        rf.AwardSpec(1, "declined", 10000),
        rf.AwardSpec(2, "active", 40000, paid=[20000], rag="amber", target=8000, value=4000, region=2),
        rf.AwardSpec(3, "offered", 15000, region=0),
    ]
    awards = [rf.make_award(rounds[s.round], s) for s in specs]
    bids = [
        rf.BidSpec(0, 60000),
        rf.BidSpec(0, 70000),
        rf.BidSpec(1, 90000),
        rf.BidSpec(2, 5000),
        rf.BidSpec(0, 1, False),
    ]
    for b in bids:
        rf.make_bid(rounds[b.round], b)
    return {"rounds": rounds, "specs": specs, "awards": awards, "bids": bids}
