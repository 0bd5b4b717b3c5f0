"""A session lasts SESSION_COOKIE_AGE after its last use, renewed at most once a minute
(grants/core/sessions.py), so a busy page does not write the session on every request."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db


def _signed_in(client):
    user = f.CouncilOfficerFactory()
    assert client.post(reverse("account_login"), {"login": user.email, "password": f.PASSWORD}).status_code == 302
    return Session.objects.get(session_key=client.session.session_key)


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_sessions_are_short():
    from config import settings as project  # the project's values, not tests/conftest.py's

    assert project.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert not project.SESSION_SAVE_EVERY_REQUEST and project.SESSION_RENEW_SECONDS <= 60


@pytest.fixture(autouse=True)
def _a_minute(settings):
    settings.SESSION_RENEW_SECONDS = 60


def test_pages_within_the_minute_do_not_write_the_session(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _signed_in(client)
        assert _session_writes(client, reverse("home")) == []  # signing in counted as the renewal
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert _session_writes(client, reverse("home")) == []
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert _session_writes(client, reverse("home")), "a minute on, the page renews the session"
        assert _session_writes(client, reverse("home")) == []


def test_use_after_the_minute_moves_the_expiry_on(client, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        session = _signed_in(client)
        client.get(reverse("home"))
    with time_machine.travel(start + timedelta(hours=7), tick=False):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))
        assert any(q["sql"].startswith("UPDATE") and "django_session" in q["sql"] for q in queries), "not renewed"
    renewed = Session.objects.get(session_key=session.session_key).expire_date
    assert renewed >= start + timedelta(hours=7, seconds=settings.SESSION_COOKIE_AGE) - timedelta(seconds=1)
    with time_machine.travel(start + timedelta(hours=14), tick=False):  # 7 hours after that use: still in
        assert client.get(reverse("home")).context["user"].is_authenticated
    with time_machine.travel(start + timedelta(hours=23), tick=False):  # more than 8 hours idle: out
        assert not client.get(reverse("home")).context["user"].is_authenticated


def test_anonymous_visits_make_no_session(client):
    client.get(reverse("home"))
    client.get(reverse("home"))
    assert not Session.objects.exists()
