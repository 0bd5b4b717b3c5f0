"""Scoring deadline reminders go to assessors with work outstanding, once per window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import Round
from notifications.models import Notification
from notifications.reminders import providers, send_due
from scoring.models import Assignment, Scale

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db


def test_reminder_goes_to_assessors_with_unsubmitted_work_once(personas):
    assert "scoring.reminders.scoring_deadline" in providers()
    rnd = personas.round
    # 10am tomorrow: the deadline 20 hours later is then "tomorrow" whatever time the suite runs.
    now = (timezone.localtime() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    Round.objects.filter(pk=rnd.pk).update(
        closes_at=timezone.now() - timedelta(hours=1), assessment_deadline=now + timedelta(hours=20)
    )
    rnd.refresh_from_db()
    c = CriterionFactory(round=rnd, scale=Scale.ZERO_THREE)
    done, todo = SubmittedBidFactory(round=rnd), SubmittedBidFactory(round=rnd)
    for person in (personas.assessor, personas.panel_chair):
        declare(person, rnd)
    assign_and_submit(bid=done, assessor=personas.panel_chair, criteria=[c], scores={c: 2})
    Assignment.objects.create(bid=todo, assessor=personas.assessor)
    send_due(now=now)
    send_due(now=now + timedelta(minutes=30))
    sent = Notification.objects.filter(event="scoring_deadline_approaching", channel="in_app")
    assert list(sent.values_list("recipient__email", flat=True)) == [personas.assessor.email]
    assert sent.get().context["outstanding"] == 1 and sent.get().context["when"] == "tomorrow"
