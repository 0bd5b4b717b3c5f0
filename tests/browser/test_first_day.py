"""Each role's first day on the demo, in Chromium, by the labels on the pages.

A newcomer opens the page their work starts on, is asked to sign in, and (staff and panel members)
sets up two-factor straight after the password: no second password prompt, the setup key read
from the page as someone who cannot scan a QR code would, the recovery codes shown as text, then
Continue lands them on the page they asked for. A council officer needs no two-factor and signs in
to the home page. axe runs on every page; screenshots go to test-results/first-day/<role>/
(ignored by git).

`ROLES` is the hook for each role's journey: the demo account, and `lands_on`, a function giving
the page the person asked for and must land on. Steps after landing (the home page, the role's
main task) go in `after_landing`, per role.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time
from django.core.management import call_command
from django.urls import reverse

from grants.demo import DEMO_PASSWORD
from grants.models import User

from .conftest import check_a11y, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "first-day"


def programme_manager_lands_on() -> str:
    return reverse("grants:staff_home")


def panel_member_lands_on() -> str:
    return reverse("scoring:my_rounds")


def panel_chair_lands_on() -> str:
    return reverse("scoring:my_rounds")


def finance_officer_lands_on() -> str:
    return reverse("awards:portfolio")


def board_viewer_lands_on() -> str:
    return reverse("reporting:board_report")


def council_officer_lands_on() -> str:
    return reverse("home")


@dataclass(frozen=True)
class Role:
    email: str
    lands_on: Callable[[], str]
    two_factor: bool = True
    # Steps on the landing page and beyond: (page, role) -> None, each checking what it shows.
    after_landing: tuple[Callable, ...] = field(default=())


ROLES = {
    "programme_manager": Role("programme.manager@lga.example.com", programme_manager_lands_on),
    "panel_member": Role("panel.member@lga.example.com", panel_member_lands_on),
    "panel_chair": Role("panel.chair@lga.example.com", panel_chair_lands_on),
    "finance_officer": Role("finance@lga.example.com", finance_officer_lands_on),
    "board_viewer": Role("board@lga.example.com", board_viewer_lands_on),
    "council_officer": Role("council.officer@kent.example.com", council_officer_lands_on, two_factor=False),
}


class Camera:
    """Numbered screenshots of one role's journey, after axe has checked each page."""

    def __init__(self, page, role: str):
        self.page, self.folder, self.count = page, SCREENSHOTS / role, 0
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()

    def check(self, name: str) -> None:
        check_a11y(self.page)
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=True)


def _code(secret: str) -> str:
    return f"{hotp_value(secret, next(iter(yield_hotp_counters_from_time()))):06d}"


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _set_up_two_factor(page, camera: Camera, user: User) -> None:
    page.wait_for_url("**/2fa/totp/activate/**")  # straight after the password: no "Confirm access"
    camera.check("set-up")
    page.get_by_text("I cannot scan the QR code").click()
    secret = re.search(r"\b[A-Z2-7]{32}\b", page.locator("details").inner_text()).group(0)
    page.get_by_label("Code from your authenticator app").fill(_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_url("**/2fa/recovery-codes/")
    camera.check("recovery-codes")
    shown = page.get_by_role("main").inner_text()
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    assert codes and all(code in shown for code in codes), "the recovery codes are not on the page"
    page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("role", list(ROLES))
def test_first_day(browser, live_server, role):
    call_command("seed_demo")
    spec = ROLES[role]
    user = User.objects.get(email=spec.email)
    assert not Authenticator.objects.filter(user=user).exists(), "the demo must leave two-factor to the person"
    wanted = spec.lands_on()
    context = new_context(browser, live_server)
    page = context.new_page()
    camera = Camera(page, role)

    page.goto(wanted if spec.two_factor else reverse("account_login"))
    page.wait_for_url("**/accounts/login/**")
    camera.check("sign-in")
    page.get_by_label("Email address").fill(spec.email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if spec.two_factor:
        _set_up_two_factor(page, camera, user)
    page.wait_for_url(lambda url: _path(url) == wanted)
    camera.check("landed")
    for step in spec.after_landing:
        step(page, role)
    context.close()
