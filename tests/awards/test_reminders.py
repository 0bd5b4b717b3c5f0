"""Milestone and return reminders: 14 and 3 days before, the day after, then weekly; each once."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from grants.awards import services as s
from grants.awards.models import AwardStatus, MilestoneStatus
from grants.awards.reminders import award_reminders
from notifications.models import Notification
from notifications.reminders import providers, send_due

from .factories import AwardFactory, MilestoneFactory, ReturnPeriodFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _at(day):
    return datetime.combine(day, time(9), tzinfo=LONDON)


def test_provider_is_registered():
    assert any(name.endswith("award_reminders") for name in providers())


def test_schedule_of_reminders(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    due = timezone.localdate() + timedelta(days=40)
    MilestoneFactory(award=award, due_on=due)
    ReturnPeriodFactory(round=personas.round, title="Q1", due_on=due)
    s.returns_create(award=award)
    sent_on = {}
    for offset in range(-20, 20):
        day = due + timedelta(days=offset)
        for r in award_reminders(_at(day)):
            if r.recipient == personas.lead_officer:
                sent_on.setdefault(r.event, []).append(offset)
    assert sent_on["milestone_due"] == [-14, -3]
    assert sent_on["return_due"] == [-14, -3]
    assert sent_on["overdue"] == [1, 1, 8, 8, 15, 15]  # milestone and return each


def test_sent_once_and_stops_when_done(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    due = timezone.localdate() + timedelta(days=3)
    m = MilestoneFactory(award=award, due_on=due)
    send_due(now=_at(timezone.localdate()))
    send_due(now=_at(timezone.localdate()) + timedelta(hours=1))
    assert (
        Notification.objects.filter(event="milestone_due", recipient=personas.lead_officer, channel="in_app").count()
        == 1
    )
    m.status = MilestoneStatus.COMPLETE
    m.save()
    assert not list(award_reminders(_at(due + timedelta(days=1))))


def test_no_reminders_for_offered_or_other_councils(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.OFFERED)
    due = timezone.localdate() + timedelta(days=3)
    MilestoneFactory(award=award, due_on=due)
    assert not list(award_reminders(_at(timezone.localdate())))
    award.status = AwardStatus.ACTIVE
    award.save()
    people = {r.recipient for r in award_reminders(_at(timezone.localdate()))}
    assert people == {personas.lead_officer, personas.signatory}
