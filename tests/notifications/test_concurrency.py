"""Two workers at once on PostgreSQL: the same reminder is written once and an email is sent once."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections, transaction

from notifications import reminders
from notifications.models import Channel, Notification, Status
from notifications.services import deliver, notify

from ..factories import CouncilOfficerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (set DATABASE_URL)")


def _in_threads(target, n=2):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    return results


def test_two_workers_sending_the_same_reminder_write_it_once(monkeypatch):
    officer = CouncilOfficerFactory()
    monkeypatch.setattr(reminders, "_PROVIDERS", {})

    @reminders.provider
    def due(now):
        yield reminders.Reminder(
            recipient=officer,
            event="return_due",
            context={"reference": "BI4-000001", "title": "Q1 return", "when": "in 3 days"},
            dedupe_key="return:1:3d",
        )

    def worker():
        with transaction.atomic():
            counts = reminders.send_due()
            time.sleep(0.3)  # hold the transaction open so the other worker's insert must wait on it
        return counts[f"{due.__module__}.{due.__qualname__}"]

    assert sorted(_in_threads(worker)) == [0, 1]
    assert Notification.objects.filter(recipient=officer, channel=Channel.EMAIL).count() == 1
    assert Notification.objects.filter(recipient=officer, channel=Channel.IN_APP).count() == 1
    assert len(mail.outbox) == 1


def test_two_workers_concurrent_notify_one_returns_none():
    officer = CouncilOfficerFactory()

    def worker():
        with transaction.atomic():
            n = notify(
                recipient=officer,
                event="outcome",
                context={"reference": "X", "round_name": "Round 1", "outcome": "not_funded"},
                dedupe_key="outcome:9",
            )
            time.sleep(0.3)
        return n is not None

    assert sorted(_in_threads(worker)) == [False, True]


def test_two_workers_delivering_the_same_row_send_once(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.notifications.backends.SlowBackend"
    officer = CouncilOfficerFactory()
    monkeypatch.setattr("notifications.services._enqueue_on_commit", lambda pk: None)
    email = notify(
        recipient=officer,
        event="outcome",
        context={"reference": "X", "round_name": "Round 1", "outcome": "not_funded"},
        dedupe_key="outcome:1",
    )
    outcomes = _in_threads(lambda: deliver(notification_id=email.pk)[0])
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == Status.SENT and email.attempts == 1


def test_two_workers_delivering_the_same_batch_send_each_email_once(settings, monkeypatch):
    from notifications.sending import deliver_many

    settings.EMAIL_BACKEND = "tests.notifications.backends.SlowBackend"
    monkeypatch.setattr("notifications.services._enqueue_on_commit", lambda pk: None)
    ids = [
        notify(
            recipient=CouncilOfficerFactory(),
            event="outcome",
            context={"reference": "X", "round_name": "Round 1", "outcome": "not_funded"},
            dedupe_key="o",
        ).pk
        for _ in range(3)
    ]
    outcomes = _in_threads(lambda: [o for _, o, _ in deliver_many(notification_ids=ids)])
    assert sorted(o for run in outcomes for o in run) == ["sent"] * 3 + ["skipped"] * 3
    assert len(mail.outbox) == 3
    assert set(Notification.objects.filter(pk__in=ids).values_list("status", "attempts")) == {(Status.SENT, 1)}


def test_two_workers_with_overlapping_batches_in_chunks_send_each_email_once(settings, monkeypatch):
    """Batches in opposite orders and small chunks: the workers claim chunks as they go (skipping
    rows the other has locked), so between them each email goes once and every one goes."""
    from notifications.sending import deliver_many

    settings.EMAIL_BACKEND = "tests.notifications.backends.BriefDelayBackend"
    settings.NOTIFICATIONS_SEND_CHUNK = 3
    monkeypatch.setattr("notifications.services._enqueue_on_commit", lambda pk: None)
    ids = [
        notify(
            recipient=officer,
            event="outcome",
            context={"reference": "X", "round_name": "Round 1", "outcome": "not_funded"},
            dedupe_key="o",
        ).pk
        for officer in CouncilOfficerFactory.create_batch(24)
    ]
    orders = iter([ids, ids[::-1]])
    lock = threading.Lock()

    def worker():
        with lock:
            mine = next(orders)
        return [pk for pk, outcome, _ in deliver_many(notification_ids=mine) if outcome == "sent"]

    sent = _in_threads(worker)
    assert sorted(sent[0] + sent[1]) == sorted(ids)  # each once, none left
    assert sent[0] and sent[1]  # both really worked
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Notification.objects.filter(pk__in=ids).values_list("recipient__email", flat=True)
    )
    assert set(Notification.objects.filter(pk__in=ids).values_list("status", "attempts")) == {(Status.SENT, 1)}
