"""Sending a batch in chunks (notifications.sending): queries per chunk, not per email; failures
written like a single delivery's; rows not queued are left alone."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Channel, Notification, Status
from notifications.sending import deliver_many
from notifications.services import notify

from ..factories import CouncilOfficerFactory, RoundFactory
from . import backends

pytestmark = pytest.mark.django_db


def queued(n: int, monkeypatch, *, round=None, key: str = "d") -> list[int]:
    """`n` queued deadline reminders to `n` officers, about `round` when given (its contact is
    what the email names, read from the database)."""
    monkeypatch.setattr("notifications.services._enqueue_on_commit", lambda pk: None)
    ids = [
        notify(
            recipient=officer,
            event="deadline_approaching",
            context={"round_name": round.name if round else "Round 1", "when": "in 3 days"},
            dedupe_key=f"{key}:{i}",
            programme=round.programme_id if round else None,
        ).pk
        for i, officer in enumerate(CouncilOfficerFactory.create_batch(n))
    ]
    monkeypatch.undo()
    return ids


def queries_to_send(ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        outcomes = deliver_many(notification_ids=ids)
    assert [o for _, o, _ in outcomes] == ["sent"] * len(ids)
    # The test's transaction turns each chunk's BEGIN and COMMIT into a savepoint and its release.
    return sum(1 for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")))


def test_a_batch_costs_the_same_queries_whatever_its_size(settings, monkeypatch):
    """Lock the chunk (with recipients), read the round's contact once, mark the chunk sent."""
    settings.NOTIFICATIONS_SEND_CHUNK = 100
    round = RoundFactory(contact_name="Round team", contact_email="round@funder.example.com")
    small, large = queued(3, monkeypatch, round=round, key="s"), queued(30, monkeypatch, round=round, key="l")
    assert queries_to_send(small) == queries_to_send(large) == 3
    assert len(mail.outbox) == 33
    assert all("round@funder.example.com" in m.body for m in mail.outbox)
    assert set(Notification.objects.filter(pk__in=small + large).values_list("status", "attempts")) == {
        (Status.SENT, 1)
    }
    assert not Notification.objects.filter(pk__in=small + large, sent_at__isnull=True).exists()


def test_queries_grow_with_chunks_not_emails(settings, monkeypatch):
    settings.NOTIFICATIONS_SEND_CHUNK = 4
    ids = queued(10, monkeypatch)  # no programme: the service's contact, no query
    assert queries_to_send(ids) == 2 * 3  # three chunks: lock, mark sent


def test_a_failure_at_the_limit_is_recorded_failed_and_the_rest_go(settings, monkeypatch):
    settings.NOTIFICATIONS_SEND_CHUNK = 10
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakySMTPBackend"
    ids = queued(3, monkeypatch)
    backends.reset(failures=1)
    outcomes = deliver_many(notification_ids=ids)
    assert [o for _, o, _ in outcomes] == ["failed", "sent", "sent"]
    first = Notification.objects.get(pk=ids[0])
    assert (first.status, first.attempts, first.sent_at) == (Status.FAILED, 1, None)
    assert first.last_error.startswith("SMTPServerDisconnected")
    assert len(mail.outbox) == 2


def test_a_failure_under_the_limit_waits_for_its_retry(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakySMTPBackend"
    ids = queued(2, monkeypatch)
    backends.reset(failures=1)
    assert deliver_many(notification_ids=ids)[0] == (ids[0], "retry", 60)
    first = Notification.objects.get(pk=ids[0])
    assert (first.status, first.attempts) == (Status.QUEUED, 1)
    assert first.next_attempt_at is not None


def test_rows_not_queued_and_repeated_ids_are_skipped(monkeypatch):
    ids = queued(3, monkeypatch)
    Notification.objects.filter(pk=ids[1]).update(status=Status.DIGEST)
    in_app = Notification.objects.get(channel=Channel.IN_APP, dedupe_key="d:2").pk
    outcomes = deliver_many(notification_ids=[ids[0], ids[1], ids[0], in_app, ids[2]])
    assert outcomes == [
        (ids[0], "sent", None),
        (ids[1], "skipped", None),  # waiting for the digest
        (ids[0], "skipped", None),  # the same id twice is sent once
        (in_app, "skipped", None),
        (ids[2], "sent", None),
    ]
    assert len(mail.outbox) == 2
    assert Notification.objects.get(pk=ids[1]).status == Status.DIGEST
