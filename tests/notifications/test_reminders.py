"""Scheduled reminders: the registry, providers found at start-up, digests, requeueing.

The round-opening provider is a bidding rule: its tests are in tests/applications/test_round_opening.py."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from notifications import reminders
from notifications.models import Channel, Notification, Preference, Status
from notifications.services import notify
from notifications.tasks import digests_send, reminders_send_due

from ..factories import CouncilOfficerFactory

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


def test_registered_provider_runs_and_a_broken_one_does_not_stop_the_rest(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(reminders, "_PROVIDERS", dict(reminders._PROVIDERS))
    officer = CouncilOfficerFactory()

    @reminders.provider
    def broken(now):
        raise RuntimeError("provider bug")

    @reminders.provider
    def milestones(now):
        yield reminders.Reminder(
            recipient=officer,
            event="milestone_due",
            context={"reference": "BI4-000007", "title": "Interim report", "when": "in 14 days"},
            dedupe_key="milestone:7:14d",
            url="/awards/7/",
        )

    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders.send_due()
    assert (
        counts[f"{__name__}.test_registered_provider_runs_and_a_broken_one_does_not_stop_the_rest.<locals>.milestones"]
        == 1
    )
    assert reminders.send_due()[f"{milestones.__module__}.{milestones.__qualname__}"] == 0
    assert [m.subject for m in mail.outbox] == ["Milestone due in 14 days: Interim report"]


def test_digest_collects_a_days_emails_into_one(personas, run, django_capture_on_commit_callbacks):
    Preference.objects.create(user=personas.programme_manager, daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            notify(
                recipient=personas.programme_manager,
                event="conflict_declared",
                context={"reference": f"BI4-00000{n}"},
                dedupe_key=f"conflict:{n}",
                url=f"/staff/bids/{n}/",
            )
    assert mail.outbox == []
    assert run(digests_send) == 3
    assert run(digests_send) == 0  # nothing twice
    [message] = mail.outbox
    assert message.subject == "Your daily summary: 3 updates"
    assert "Conflict of interest declared on bid BI4-000002" in message.body
    assert "/staff/bids/2/" in message.body
    assert set(Notification.objects.filter(channel=Channel.EMAIL).values_list("status", flat=True)) == {Status.SENT}


def test_stale_queued_email_is_requeued_by_the_hourly_task(monkeypatch, run):
    officer = CouncilOfficerFactory()
    with time_machine.travel(OPENS, tick=False):
        monkeypatch.setattr("notifications.services._enqueue_on_commit", lambda pk: None)  # broker down at commit
        notify(
            recipient=officer,
            event="outcome",
            context={"reference": "X1", "round_name": "Round 1", "outcome": "not_funded"},
            dedupe_key="o1",
        )
        monkeypatch.undo()
    assert mail.outbox == []
    with time_machine.travel(OPENS + timedelta(hours=1), tick=False):
        run(reminders_send_due)
    assert [m.subject for m in mail.outbox] == ["Decision on bid X1"]
