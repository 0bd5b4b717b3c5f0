"""notify(): outbox rows in the caller's transaction, dedupe, preferences, delivery once, retries."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction

from notifications.events import EVENTS
from notifications.models import Channel, Notification, Preference, Status
from notifications.services import deliver, notify
from notifications.tasks import notification_deliver

from ..factories import CouncilOfficerFactory
from . import backends

pytestmark = pytest.mark.django_db


def _notify(user, key="k1", event="bid_submitted", **kw):
    return notify(
        recipient=user,
        event=event,
        context={"reference": "BI4-000123", "round_name": "Behavioural Insights 4"},
        dedupe_key=key,
        url="/bids/12/",
        **kw,
    )


def test_notify_writes_email_and_in_app_rows_and_sends_on_commit(django_capture_on_commit_callbacks, settings):
    settings.GRANTBENCH_BASE_URL = "https://grants.example.gov.uk"
    user = CouncilOfficerFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = _notify(user)
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert email.channel == Channel.EMAIL
    email.refresh_from_db()
    assert email.status == Status.SENT and email.attempts == 1 and email.sent_at is not None
    assert Notification.objects.in_app().get(recipient=user).subject == "We have received bid BI4-000123"
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "We have received bid BI4-000123"
    assert "https://grants.example.gov.uk/bids/12/" in message.body
    html = message.alternatives[0][0]
    assert 'href="https://grants.example.gov.uk/bids/12/"' in html


def test_context_is_stored_as_json(django_capture_on_commit_callbacks):
    context = {"reference": "BI4-000123", "amount": Decimal("1500.50")}
    with django_capture_on_commit_callbacks(execute=True):
        email = notify(recipient=CouncilOfficerFactory(), event="payment_made", context=context, dedupe_key="p")
    email.refresh_from_db()
    assert email.context["amount"] == "1500.50"


def test_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    user = CouncilOfficerFactory()

    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom):
        with transaction.atomic():
            _notify(user)
            raise Boom
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_same_dedupe_key_twice_writes_once_and_keeps_transaction_usable(django_capture_on_commit_callbacks):
    user = CouncilOfficerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            assert _notify(user) is not None
            assert _notify(user) is None
            CouncilOfficerFactory()  # the caller's transaction still works after the duplicate
    assert Notification.objects.filter(recipient=user).count() == 2  # one email, one in-app
    assert len(mail.outbox) == 1


def test_dedupe_key_is_per_recipient(django_capture_on_commit_callbacks):
    a, b = CouncilOfficerFactory(), CouncilOfficerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(a, key="deadline:1:7d")
        assert _notify(b, key="deadline:1:7d")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])


def test_non_essential_email_can_be_turned_off_but_in_app_remains(django_capture_on_commit_callbacks):
    user = CouncilOfficerFactory()
    Preference.objects.create(user=user, emails_off=["deadline_approaching", "bid_submitted"])
    with django_capture_on_commit_callbacks(execute=True):
        in_app = _notify(user, key="a", event="deadline_approaching")
        email = _notify(user, key="b", event="bid_submitted")  # essential: stays on
        downgraded = _notify(user, key="c", event="bid_submitted", essential=False)
    assert in_app.channel == Channel.IN_APP
    assert email.channel == Channel.EMAIL
    assert downgraded.channel == Channel.IN_APP
    assert len(mail.outbox) == 1
    assert Notification.objects.in_app().filter(recipient=user).count() == 3


def test_unknown_event_is_refused():
    user = CouncilOfficerFactory()
    with pytest.raises(ValueError, match="Unknown notification event"):
        _notify(user, event="bid_eaten")


def test_task_run_twice_sends_one_email(django_capture_on_commit_callbacks):
    user = CouncilOfficerFactory()
    with django_capture_on_commit_callbacks(execute=False):
        email = _notify(user)
    notification_deliver.delay(email.pk)
    notification_deliver.delay(email.pk)
    assert deliver(notification_id=email.pk) == ("skipped", None)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_smtp_failure_retries_then_sends(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakySMTPBackend"
    backends.reset(failures=2)
    user = CouncilOfficerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        email = _notify(user)
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.attempts == 3
    assert "SMTPServerDisconnected" in email.last_error
    assert len(mail.outbox) == 1


def test_smtp_failure_ends_failed_after_max_attempts(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakySMTPBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    backends.reset(failures=10)
    user = CouncilOfficerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        email = _notify(user)
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == 3
    assert backends.FlakySMTPBackend.calls == 3
    assert mail.outbox == []


def test_backoff_is_exponential(settings, django_capture_on_commit_callbacks):
    from notifications.services import retry_delay

    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_every_event_renders_text_and_html_with_link(event, settings, django_capture_on_commit_callbacks):
    settings.GRANTBENCH_BASE_URL = "https://grants.example.gov.uk/"
    user = CouncilOfficerFactory(full_name="Ada Lovelace")
    context = {key: f"<{key}>" for key in EVENTS[event].keys}
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, event=event, context=context, dedupe_key="x", url="/act/here/")
    [message] = mail.outbox
    assert message.body.startswith("Dear Ada,")
    assert "https://grants.example.gov.uk/act/here/" in message.body
    assert "\n\n\n" not in message.body
    html = message.alternatives[0][0]
    assert 'href="https://grants.example.gov.uk/act/here/"' in html
    assert "<script" not in html and "&lt;" in html or not context  # values are escaped in HTML


def test_emails_go_through_gov_uk_notify_backend(settings, monkeypatch, django_capture_on_commit_callbacks):
    """django-gov-notify sends our plain-text body with Notify's plain template (the HTTP client is faked)."""
    from notifications_python_client.notifications import NotificationsAPIClient

    sent = []
    monkeypatch.setattr(NotificationsAPIClient, "send_email_notification", lambda self, **kw: sent.append(kw))
    settings.EMAIL_BACKEND = "django_gov_notify.backends.NotifyEmailBackend"
    settings.GOVUK_NOTIFY_API_KEY = "test_key-" + "0" * 36 + "-" + "1" * 36
    settings.GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = "plain-template-id"
    user = CouncilOfficerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        email = _notify(user)
    email.refresh_from_db()
    assert email.status == Status.SENT
    [call] = sent
    assert call["email_address"] == user.email
    assert call["template_id"] == "plain-template-id"
    assert call["personalisation"]["subject"] == "We have received bid BI4-000123"
    assert "/bids/12/" in call["personalisation"]["body"]
