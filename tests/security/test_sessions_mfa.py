"""MFA is enforced for staff and panel members on every page outside the open ones, and sessions
expire. (Login lockout and the staff TOTP sign-in are in tests/grants/test_accounts.py.)"""

from datetime import timedelta

import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

from .observe import isolated
from .urlwalk import patterns, url_for
from .world import build_world

OPEN_PREFIXES = (
    "/rounds/",
    "/open-data/",
    "/healthz",
    "/readyz",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/help/",
    "/api/v1/",  # issue 18: reads no session (a bearer token); its docs and schema are public
)
MUST_SET_UP = ("assessor", "panel_chair", "programme_manager", "finance_officer", "board_viewer", "administrator")


def _closed_urls(world) -> list[str]:
    urls = [url_for(p, world) for p in patterns()]
    return [u for u in urls if u != "/" and not u.startswith(OPEN_PREFIXES)]


def test_staff_and_panel_without_mfa_are_sent_to_set_it_up_everywhere(personas, client_for):
    world = build_world(personas)
    urls = _closed_urls(world)
    not_sent = []
    for who in MUST_SET_UP:
        user = personas.all()[who]
        Authenticator.objects.filter(user=user).delete()
        client = client_for(user)
        for url in urls:
            response = isolated(client, "get", url)
            if response.status_code != 302 or not response["Location"].startswith(reverse("mfa_activate_totp")):
                not_sent.append(f"{who} {url}: {response.status_code}")
        # Public pages stay open to them.
        assert client.get(reverse("grants:round_list")).status_code == 200
    assert not not_sent, "\n".join(not_sent)


def test_council_officers_are_not_forced_to_set_up_mfa(personas, client_for):
    assert client_for(personas.lead_officer).get(reverse("applications:bid_dashboard")).status_code == 200


def test_panel_member_signing_in_must_give_a_code(personas, client):
    response = client.post("/accounts/login/", {"login": personas.assessor.email, "password": f.PASSWORD})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert client.get(reverse("scoring:my_rounds")).status_code == 302  # still signed out
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200 and not response.context["user"].is_authenticated


def test_staff_without_mfa_signing_in_go_straight_to_set_up(personas, client):
    """No stop on a public page, no second password prompt: the set-up form itself
    (tests/grants/test_mfa_setup.py follows the whole set-up)."""
    user = personas.programme_manager
    Authenticator.objects.filter(user=user).delete()
    response = client.post("/accounts/login/", {"login": user.email, "password": f.PASSWORD, "next": "/staff/"})
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_activate_totp"))
    assert client.get(response.url).status_code == 200


def _sign_in(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": f.PASSWORD})
    assert response.status_code == 302 and response.url != reverse("mfa_authenticate")
    return response


def test_session_ends_within_session_cookie_age(personas, client, settings):
    """The cookie ends with the browser unless "remember me" (then lasts the age); the server's
    record ends SESSION_COOKIE_AGE after the last request either way."""
    response = _sign_in(client, personas.lead_officer)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["max-age"] in ("", settings.SESSION_COOKIE_AGE)
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((session.expire_date - expected).total_seconds()) < 60


def test_idle_session_expires_and_is_sent_to_sign_in(personas, client, settings):
    """Activity renews the session (SESSION_SAVE_EVERY_REQUEST); idleness beyond the age ends it."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, personas.lead_officer)
        assert client.get("/bids/").status_code == 200
    with time_machine.travel(start + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60), tick=False):
        assert client.get("/bids/").status_code == 200  # still in, and renewed
    later = start + timedelta(seconds=2 * settings.SESSION_COOKIE_AGE)
    with time_machine.travel(later, tick=False):
        response = client.get("/bids/")
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
