"""Deadline reminders (7 days and 1 day before, once each). The demo's bids are in test_eoi_demo.py."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from applications.models import BidStatus
from grants.models import Round
from notifications.models import Notification
from notifications.reminders import send_due

from .factories import BidFactory


def _reminders(user):
    return list(
        Notification.objects.filter(recipient=user, event="deadline_approaching", channel="in_app").order_by("pk")
    )


def test_draft_gets_7_day_and_1_day_reminders_once(personas):
    bid = BidFactory(round=personas.round, lead=personas.lead_org, created_by=personas.lead_officer)
    BidFactory(round=personas.round, lead=personas.other_org, status=BidStatus.SUBMITTED)
    # Closing at midday makes "20 hours before" fall on the previous afternoon whatever time the
    # suite runs, so the wording is "tomorrow" by the calendar, not by the clock of the CI run.
    closes = timezone.localtime(personas.round.closes_at).replace(hour=12, minute=0, second=0, microsecond=0)
    Round.objects.filter(pk=personas.round.pk).update(closes_at=closes)
    with time_machine.travel(closes - timedelta(days=8), tick=False):
        send_due()
    assert _reminders(personas.lead_officer) == []
    with time_machine.travel(closes - timedelta(days=6, hours=23), tick=False):
        send_due()
        send_due()
    assert len(_reminders(personas.lead_officer)) == 1
    with time_machine.travel(closes - timedelta(hours=20), tick=False):
        send_due()
    notes = _reminders(personas.lead_officer)
    assert len(notes) == 2 and notes[-1].context["when"] == "tomorrow"
    assert notes[-1].url == f"/bids/{bid.pk}/"
    assert _reminders(personas.other_officer) == []  # submitted bids need no reminder
