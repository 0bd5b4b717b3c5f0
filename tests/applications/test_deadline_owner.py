"""One owner for "is this submission in time": `submission_in_time` and `deadline_for`.

The moment to judge is passed in, never read from the clock, so these need no time machine.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from applications import selectors, services
from applications.models import BidStatus, Extension

from .factories import BidFactory

LONDON = ZoneInfo("Europe/London")
SECOND = timedelta(seconds=1)


@pytest.fixture
def closing(personas):
    """The round closes at midday on the Sunday the clocks go forward (11:00 UTC)."""
    closes_at = datetime(2026, 3, 29, 12, 0, tzinfo=LONDON)
    rnd = personas.round
    rnd.opens_at, rnd.closes_at = closes_at - timedelta(days=30), closes_at
    rnd.save()
    return closes_at


def _extend(personas, new_deadline):
    services.grant_extension(
        round=personas.round,
        organisation=personas.lead_org,
        new_deadline=new_deadline,
        reason="IT outage",
        actor=personas.programme_manager,
    )


def test_the_deadline_itself_is_late_and_one_second_before_is_in_time(personas, closing):
    bid = BidFactory(round=personas.round, lead=personas.lead_org)
    assert services.submission_in_time(bid=bid, at=closing - SECOND)
    assert not services.submission_in_time(bid=bid, at=closing)
    assert not services.submission_in_time(bid=bid, at=closing + SECOND)


def test_a_bid_returned_for_changes_may_come_back_after_the_close(personas, closing):
    bid = BidFactory(round=personas.round, lead=personas.lead_org, status=BidStatus.RETURNED)
    assert services.submission_in_time(bid=bid, at=closing + timedelta(days=10))


def test_an_extension_moves_the_deadline_for_that_council_only(personas, closing):
    later = closing + timedelta(days=2)
    mine = BidFactory(round=personas.round, lead=personas.lead_org)
    theirs = BidFactory(round=personas.round, lead=personas.other_org)
    _extend(personas, later)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert services.deadline_for(round=personas.round, organisation_id=personas.lead_org.pk) == later
    assert services.deadline_for(round=personas.round, organisation_id=personas.other_org.pk) == closing
    assert services.deadline_for(round=personas.round, organisation_id=None) == closing
    assert mine.deadline == later and theirs.deadline == closing
    assert services.submission_in_time(bid=mine, at=closing + timedelta(days=1))
    assert not services.submission_in_time(bid=mine, at=later)
    assert services.submission_in_time(bid=mine, at=later - SECOND)
    assert not services.submission_in_time(bid=theirs, at=closing)


def test_an_extension_never_shortens_the_round(personas, closing):
    # grant_extension refuses one before the close; a round moved later than an old extension
    # leaves such a record behind, and it must not pull the council's deadline back.
    Extension.objects.create(
        round=personas.round, organisation=personas.lead_org, new_deadline=closing - timedelta(days=1), reason="old"
    )
    bid = BidFactory(round=personas.round, lead=personas.lead_org, extended_deadline=closing - timedelta(days=1))
    assert services.deadline_for(round=personas.round, organisation_id=personas.lead_org.pk) == closing
    assert bid.deadline == closing
    assert services.submission_in_time(bid=bid, at=closing - SECOND)


def test_every_check_agrees_with_the_owner_either_side_of_the_close(personas, closing):
    """Submission problems, the dashboard's next step and starting a bid all judge by the owner."""
    bid = BidFactory(round=personas.round, lead=personas.lead_org)
    before, at = closing - SECOND, closing
    assert not any("closed at" in p for p in services.submission_problems(bid=bid, now=before))
    assert any("closed at" in p for p in services.submission_problems(bid=bid, now=at))
    row = selectors.bids_for_organisation(organisation_id=personas.lead_org.pk).get(pk=bid.pk)
    assert selectors.next_action(row, personas.lead_org.pk, before) != selectors.CLOSED_ACTION
    assert selectors.next_action(row, personas.lead_org.pk, at) == selectors.CLOSED_ACTION
    closed = "This round is not open for bids."
    assert closed not in services.bid_eligibility(round=personas.round, organisation=personas.other_org, now=before)
    assert closed in services.bid_eligibility(round=personas.round, organisation=personas.other_org, now=at)


def test_a_council_with_an_extension_may_still_start_a_bid_after_the_close(personas, closing):
    later = closing + timedelta(days=2)
    _extend(personas, later)
    closed = "This round is not open for bids."
    assert closed not in services.bid_eligibility(round=personas.round, organisation=personas.lead_org, now=closing)
    assert closed in services.bid_eligibility(round=personas.round, organisation=personas.lead_org, now=later)
    assert closed in services.bid_eligibility(round=personas.round, organisation=personas.other_org, now=closing)
