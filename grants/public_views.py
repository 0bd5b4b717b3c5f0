"""The pages a UK public service owes its users, open to everyone (no sign-in, and before
two-factor set-up: grants.middleware.OPEN_PREFIXES): help and contact, privacy notice, cookies
and the accessibility statement. What they state comes from settings, so a figure on a page is
the one the service applies (session length, export retention, contacts, review dates)."""

from datetime import date

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .contacts import contact_for, service_contact
from .core.dates import duration_words
from .core.personal_data import notice_rows, retention_table
from .models import Programme

_duration = duration_words


def cookie_table() -> list[dict[str, str]]:
    """Every cookie the service sets, named as settings name them. All are essential: there is no
    analytics, advertising or preference cookie, so the service asks no consent (and shows no banner)."""
    session_expiry = (
        "When you close your browser"
        if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        else f"{_duration(settings.SESSION_COOKIE_AGE)} after you last use the service"
    )
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": "Keeps you signed in as you move from page to page, and remembers where you are in "
            "signing in and setting up two-factor authentication",
            "expires": session_expiry,
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": "Stops other websites sending forms to this service in your name (security)",
            "expires": _duration(settings.CSRF_COOKIE_AGE)
            if settings.CSRF_COOKIE_AGE
            else "When you close your browser",
        },
        {
            "name": CookieStorage.cookie_name,
            "purpose": "Carries a message to the next page, such as 'Bid submitted', and is removed once shown",
            "expires": "When you close your browser, or once the message is shown",
        },
    ]


def _iso(value: str) -> date:
    return date.fromisoformat(value)


def help_page(request: HttpRequest) -> HttpResponse:
    programmes = [
        (programme, contact_for(programme=programme))
        for programme in Programme.objects.filter(rounds__published=True).distinct().order_by("name")
    ]
    return render(request, "grants/help.html", {"contact": service_contact(), "programmes": programmes})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "grants/privacy.html",
        {
            "contact": service_contact(),
            "controller": settings.GRANTBENCH_CONTROLLER_NAME,
            "dpo_email": settings.GRANTBENCH_DPO_EMAIL,
            "record": notice_rows(),
            "retention": retention_table(),
            "session_length": _duration(settings.SESSION_COOKIE_AGE),
        },
    )


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "grants/cookies.html", {"cookies": cookie_table()})


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement in the form the 2018 regulations ask; also the plain page
    `make bench` uses as its baseline (it reads no database)."""
    return render(
        request,
        "grants/accessibility.html",
        {
            "contact": service_contact(),
            "controller": settings.GRANTBENCH_CONTROLLER_NAME,
            "base_url": settings.GRANTBENCH_BASE_URL,
            "prepared": _iso(settings.GRANTBENCH_ACCESSIBILITY_PREPARED),
            "reviewed": _iso(settings.GRANTBENCH_ACCESSIBILITY_REVIEWED),
            "session_length": _duration(settings.SESSION_COOKIE_AGE),
        },
    )
