"""The round-opening reminder (applications.reminders.round_opening): opted-in officers of eligible
councils hear once that a round is open, whenever the scheduler first finds it open."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from grants.models import OrgKind
from notifications.models import Channel, Notification, Preference
from notifications.tasks import reminders_send_due

from ..factories import CouncilOfficerFactory, OrganisationFactory, RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a task as its own transaction would: the email delivery queued on commit runs at the end."""

    def run_task(task):
        with django_capture_on_commit_callbacks(execute=True):
            return task.delay().get()

    return run_task


LONDON = ZoneInfo("Europe/London")
OPENS = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)


@pytest.fixture
def opening_round():
    return RoundFactory(
        name="Digital Inclusion 2026",
        opens_at=OPENS,
        closes_at=OPENS + timedelta(days=28),
        eligible_kinds=[OrgKind.DISTRICT, OrgKind.UNITARY],
    )


def _opted_in(**kwargs):
    user = CouncilOfficerFactory(**kwargs)
    Preference.objects.create(user=user, round_opening_alerts=True)
    return user


def _round_opening_emails():
    return [m for m in mail.outbox if "is now open for bids" in m.subject]


def test_round_opening_goes_once_when_it_opens_to_eligible_opted_in_officers(opening_round, run):
    eligible = _opted_in(organisation=OrganisationFactory(kind=OrgKind.DISTRICT))
    _not_opted_in = CouncilOfficerFactory(organisation=OrganisationFactory(kind=OrgKind.DISTRICT))
    _ineligible = _opted_in(organisation=OrganisationFactory(kind=OrgKind.COUNTY))

    with time_machine.travel(OPENS - timedelta(minutes=5), tick=False):
        run(reminders_send_due)
    assert _round_opening_emails() == []

    with time_machine.travel(OPENS + timedelta(minutes=5), tick=False):
        run(reminders_send_due)
        run(reminders_send_due)  # the scheduler firing twice sends once
    [message] = _round_opening_emails()
    assert message.to == [eligible.email]
    assert message.subject == "Digital Inclusion 2026 is now open for bids"
    assert "/rounds/" in message.body and "30 March 2026" in message.body

    with time_machine.travel(OPENS + timedelta(hours=3), tick=False):
        run(reminders_send_due)
    assert len(_round_opening_emails()) == 1
    assert Notification.objects.filter(event="round_opening", channel=Channel.IN_APP).count() == 1


def test_round_published_days_after_its_opening_time_still_sends_alerts(opening_round, run):
    """Visibility, not the opening time, is what counts: a round published late gets its alerts."""
    opening_round.published = False
    opening_round.save()
    officer = _opted_in(organisation=OrganisationFactory(kind=OrgKind.UNITARY))
    with time_machine.travel(OPENS + timedelta(hours=1), tick=False):
        run(reminders_send_due)
    assert _round_opening_emails() == []
    opening_round.published = True
    opening_round.save()
    with time_machine.travel(OPENS + timedelta(days=5), tick=False):
        run(reminders_send_due)
        run(reminders_send_due)
    [message] = _round_opening_emails()
    assert message.to == [officer.email]
    with time_machine.travel(OPENS + timedelta(days=6), tick=False):
        run(reminders_send_due)
    assert len(_round_opening_emails()) == 1


def test_round_opening_catches_up_after_downtime_but_not_after_the_close(opening_round, run):
    _opted_in(organisation=OrganisationFactory(kind=OrgKind.UNITARY))
    with time_machine.travel(opening_round.closes_at + timedelta(minutes=1), tick=False):
        run(reminders_send_due)
    assert _round_opening_emails() == []
    with time_machine.travel(opening_round.closes_at - timedelta(minutes=1), tick=False):
        run(reminders_send_due)
    assert len(_round_opening_emails()) == 1


def test_officer_opting_in_while_a_round_is_open_hears_of_it_once(opening_round, run):
    first = _opted_in(organisation=OrganisationFactory(kind=OrgKind.DISTRICT))
    with time_machine.travel(OPENS + timedelta(minutes=5), tick=False):
        run(reminders_send_due)
    later = _opted_in(organisation=OrganisationFactory(kind=OrgKind.DISTRICT))
    with time_machine.travel(OPENS + timedelta(days=10), tick=False):
        run(reminders_send_due)
        run(reminders_send_due)
    assert sorted(m.to[0] for m in _round_opening_emails()) == sorted([first.email, later.email])


def test_unpublished_round_sends_nothing(opening_round, run):
    opening_round.published = False
    opening_round.save()
    _opted_in(organisation=OrganisationFactory(kind=OrgKind.DISTRICT))
    with time_machine.travel(OPENS + timedelta(minutes=5), tick=False):
        run(reminders_send_due)
    assert _round_opening_emails() == []
