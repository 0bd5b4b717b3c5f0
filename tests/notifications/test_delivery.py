"""Delivery in batches (the reminder fan-out): one mail-server connection, each email once."""

import pytest
from django.core import mail

from notifications.models import Channel, Notification, Status
from notifications.sending import deliver_many
from notifications.services import enqueue_many, notify
from notifications.tasks import notifications_deliver_batch

from ..factories import CouncilOfficerFactory
from . import backends

pytestmark = pytest.mark.django_db


def _queued(n, monkeypatch):
    monkeypatch.setattr("notifications.services._enqueue_on_commit", lambda pk: None)
    people = CouncilOfficerFactory.create_batch(n)
    rows = [
        notify(
            recipient=p,
            event="outcome",
            context={"reference": f"BI4-{i:06d}", "round_name": "Round 1", "outcome": "not_funded"},
            dedupe_key=f"o:{i}",
        )
        for i, p in enumerate(people)
    ]
    monkeypatch.undo()
    return [r.pk for r in rows]


def test_a_batch_uses_one_connection_and_a_rerun_sends_nothing_twice(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.notifications.backends.CountingBackend"
    backends.CountingBackend.opened = 0
    ids = _queued(5, monkeypatch)
    assert notifications_deliver_batch.delay(ids).get() == {"sent": 5}
    assert backends.CountingBackend.opened == 1
    assert notifications_deliver_batch.delay(ids).get() == {"skipped": 5}  # redelivered batch
    assert len(mail.outbox) == 5
    assert set(Notification.objects.filter(channel=Channel.EMAIL).values_list("status", "attempts")) == {
        (Status.SENT, 1)
    }


def test_a_failure_in_a_batch_retries_that_email_alone(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakySMTPBackend"
    ids = _queued(4, monkeypatch)
    backends.reset(failures=1)
    notifications_deliver_batch.delay(ids).get()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Notification.objects.filter(pk__in=ids).values_list("recipient__email", flat=True)
    )
    first = Notification.objects.get(pk=ids[0])
    assert first.status == Status.SENT and first.attempts == 2
    assert set(Notification.objects.filter(pk__in=ids[1:]).values_list("attempts", flat=True)) == {1}


def test_deliver_many_reports_each_row(monkeypatch):
    ids = _queued(2, monkeypatch)
    assert deliver_many(notification_ids=[*ids, 10**9]) == [(ids[0], "sent", None), (ids[1], "sent", None),
                                                            (10**9, "skipped", None)]  # fmt: skip


def test_ids_are_queued_in_batches_of_the_set_size(settings, monkeypatch):
    settings.NOTIFICATIONS_DELIVERY_BATCH = 2
    calls = []
    monkeypatch.setattr(notifications_deliver_batch, "apply_async", lambda args, **kw: calls.append(args[0]))
    enqueue_many([1, 2, 3, 4, 5])
    assert calls == [[1, 2], [3, 4], [5]]
