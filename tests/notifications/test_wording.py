"""Reminder wording comes from the time actually left, not from the window that made it due."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications.models import BidStatus
from grants.models import Round
from notifications.models import Notification
from notifications.reminders import send_due, when_words
from scoring.models import Assignment

from ..applications.factories import BidFactory
from ..scoring.factories import SubmittedBidFactory, declare

LONDON = ZoneInfo("Europe/London")
CLOSES = datetime(2026, 3, 20, 17, 0, tzinfo=LONDON)  # a Friday, 5pm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (CLOSES - timedelta(days=7), "in 7 days"),
        (CLOSES - timedelta(days=3), "in 3 days"),
        (CLOSES - timedelta(days=2, hours=12), "in 2 days"),  # Wednesday 5am: Friday is two days away
        (CLOSES - timedelta(days=1, hours=12), "tomorrow"),  # Thursday 5am
        (CLOSES - timedelta(hours=30), "tomorrow"),  # Thursday 11am
        (CLOSES - timedelta(hours=20), "tomorrow"),  # Thursday 9pm
        (CLOSES - timedelta(hours=16), "today at 5pm"),  # Friday 1am
        (CLOSES - timedelta(minutes=5), "today at 5pm"),
    ],
)
def test_when_words(now, words):
    assert when_words(CLOSES, now) == words


def test_when_words_midnight_belongs_to_the_day_before():
    midnight = datetime(2026, 3, 21, 0, 0, tzinfo=LONDON)
    assert when_words(midnight, datetime(2026, 3, 20, 9, 0, tzinfo=LONDON)) == "at midnight tonight"
    assert when_words(midnight, datetime(2026, 3, 19, 9, 0, tzinfo=LONDON)) == "tomorrow"
    assert when_words(datetime(2026, 3, 20, 12, 0, tzinfo=LONDON), CLOSES - timedelta(hours=9)) == "today at midday"


def test_when_words_counts_days_in_london_across_the_clock_change():
    # The clocks go forward on 29 March 2026: still two calendar days.
    assert when_words(datetime(2026, 3, 30, 9, 0, tzinfo=LONDON), datetime(2026, 3, 28, 23, 30, tzinfo=LONDON)) == (
        "in 2 days"
    )


def _deadline_reminders(user):
    return Notification.objects.filter(recipient=user, event="deadline_approaching", channel="in_app").order_by("pk")


@pytest.fixture
def closing_round(personas):
    Round.objects.filter(pk=personas.round.pk).update(opens_at=CLOSES - timedelta(days=30), closes_at=CLOSES)
    personas.round.refresh_from_db()
    return personas.round


def test_draft_started_three_days_before_the_close_is_told_three_days(personas, closing_round):
    with time_machine.travel(CLOSES - timedelta(days=3), tick=False):
        BidFactory(round=closing_round, lead=personas.lead_org, created_by=personas.lead_officer)
        send_due()
    [note] = _deadline_reminders(personas.lead_officer)
    assert note.subject == "Digital Inclusion test round closes in 3 days"
    assert note.context["when"] == "in 3 days"
    assert ":7d:" in note.dedupe_key  # the window is still what makes it go once
    assert note.programme_id == closing_round.programme_id


def test_last_day_reminder_says_today_at_the_time(personas, closing_round, mailoutbox, settings):
    BidFactory(round=closing_round, lead=personas.lead_org, created_by=personas.lead_officer)
    with time_machine.travel(CLOSES - timedelta(hours=10), tick=False):  # Friday 7am
        send_due()
    [note] = _deadline_reminders(personas.lead_officer)
    assert note.subject == "Digital Inclusion test round closes today at 5pm"
    assert ":1d:" in note.dedupe_key


def test_bid_returned_for_changes_is_reminded_too(personas, closing_round):
    BidFactory(round=closing_round, lead=personas.lead_org, created_by=personas.lead_officer, status=BidStatus.RETURNED)
    with time_machine.travel(CLOSES - timedelta(hours=30), tick=False):
        send_due()
    [note] = _deadline_reminders(personas.lead_officer)
    assert note.subject == "Digital Inclusion test round closes tomorrow"


def test_scoring_reminder_with_a_day_and_a_half_left_says_tomorrow(personas):
    deadline = CLOSES + timedelta(days=14)  # a Friday, 5pm
    rnd = personas.round
    Round.objects.filter(pk=rnd.pk).update(opens_at=CLOSES - timedelta(days=30), closes_at=CLOSES,
                                           assessment_deadline=deadline)  # fmt: skip
    rnd.refresh_from_db()
    declare(personas.assessor, rnd)
    Assignment.objects.create(bid=SubmittedBidFactory(round=rnd), assessor=personas.assessor)
    with time_machine.travel(deadline - timedelta(days=1, hours=12), tick=False):  # Thursday 5am
        send_due()
    [note] = Notification.objects.filter(event="scoring_deadline_approaching", channel="in_app")
    assert note.subject == "Scoring for Digital Inclusion test round is due tomorrow"
    assert note.dedupe_key.endswith(":3d")
