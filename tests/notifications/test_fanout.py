"""The reminder fan-out: batches, one bad reminder, reminders already sent, queries per batch."""

import logging

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import reminders
from notifications.models import Channel, Notification, Preference, Status

from ..factories import CouncilOfficerFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_provider(monkeypatch):
    """Run send_due with just the provider the test registers."""
    monkeypatch.setattr(reminders, "_PROVIDERS", {})

    def register(func):
        reminders.provider(func)
        return f"{func.__module__}.{func.__qualname__}"

    return register


def _milestone(user, key, **kw):
    return reminders.Reminder(
        user,
        kw.pop("event", "milestone_due"),
        kw.pop("context", {"reference": "AW-1", "title": key, "when": "in 3 days"}),
        key,
        **kw,
    )


def test_one_bad_reminder_in_the_middle_does_not_stop_the_rest(
    only_provider, caplog, django_capture_on_commit_callbacks
):
    a, b, c = CouncilOfficerFactory.create_batch(3)

    def due(now):
        yield _milestone(a, "m:1")
        yield _milestone(b, "m:2", event="no_such_event")
        yield _milestone(b, "m:3", context={"reference": "AW-1", "title": object()})  # not JSON
        yield _milestone(CouncilOfficerFactory.build(), "m:4")  # a recipient never saved
        yield _milestone(c, "m:5")

    name = only_provider(due)
    with caplog.at_level(logging.ERROR, logger="notifications"), django_capture_on_commit_callbacks(execute=True):
        counts = reminders.send_due()
    assert counts[name] == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, c.email])
    assert not Notification.objects.filter(recipient=b).exists()
    logged = caplog.text
    assert "'m:2'" in logged and "'m:3'" in logged and "'m:4'" in logged


def test_a_provider_that_fails_half_way_still_sends_what_it_found(only_provider, django_capture_on_commit_callbacks):
    a = CouncilOfficerFactory()

    def due(now):
        yield _milestone(a, "m:1")
        raise RuntimeError("provider bug")

    name = only_provider(due)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_due()[name] == 1
    assert [m.to for m in mail.outbox] == [[a.email]]


def test_batches_write_every_reminder_once_with_preferences_applied(only_provider, django_capture_on_commit_callbacks):
    people = CouncilOfficerFactory.create_batch(7)
    Preference.objects.create(user=people[0], emails_off=["milestone_due"])
    programme = ProgrammeFactory()

    def due(now):
        for i, person in enumerate(people):
            yield _milestone(person, f"m:{i}", programme_id=programme.pk)
            yield _milestone(person, f"m:{i}", programme_id=programme.pk)  # found twice in one run

    name = only_provider(due)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        counts = reminders.send_due(batch_size=3)
    assert counts[name] == 7
    assert len(callbacks) >= 3  # one queueing per batch, not one per email
    assert Notification.objects.filter(channel=Channel.IN_APP).count() == 7
    emails = Notification.objects.filter(channel=Channel.EMAIL)
    assert emails.count() == 6 and set(emails.values_list("status", flat=True)) == {Status.SENT}
    assert set(Notification.objects.values_list("programme_id", flat=True)) == {programme.pk}
    assert len(mail.outbox) == 6
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_due(batch_size=3)[name] == 0
    assert len(mail.outbox) == 6


def test_reminders_already_sent_are_skipped_without_trying_to_insert(only_provider, django_capture_on_commit_callbacks):
    people = CouncilOfficerFactory.create_batch(30)

    def due(now):
        for i, person in enumerate(people):
            yield _milestone(person, f"m:{i}")

    name = only_provider(due)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_due()
    with CaptureQueriesContext(connection) as again:
        assert reminders.send_due()[name] == 0
    sql = [q["sql"] for q in again.captured_queries]
    assert not [s for s in sql if s.lstrip().upper().startswith("INSERT")]
    assert len(sql) <= 4  # one look-up for the whole batch (plus its savepoint)


def test_queries_per_batch_do_not_grow_with_reminders(only_provider, django_capture_on_commit_callbacks):
    people = CouncilOfficerFactory.create_batch(40)
    size = {"n": 5}

    def due(now):
        for i, person in enumerate(people[: size["n"]]):
            yield _milestone(person, f"q{size['n']}:{i}")

    only_provider(due)
    with CaptureQueriesContext(connection) as few, django_capture_on_commit_callbacks(execute=False):
        reminders.send_due()
    size["n"] = 20  # (SQLite splits an insert of more rows by its limit on parameters)
    with CaptureQueriesContext(connection) as many, django_capture_on_commit_callbacks(execute=False):
        reminders.send_due()
    assert len(many.captured_queries) == len(few.captured_queries)
