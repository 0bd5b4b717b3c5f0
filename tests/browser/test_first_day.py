"""Each role's first day on the demo, in Chromium, by the labels on the pages.

A newcomer opens the page their work starts on, is asked to sign in, and (staff and panel members)
sets up two-factor straight after the password: no second password prompt, the setup key read
from the page as someone who cannot scan a QR code would, the recovery codes shown as text, then
Continue lands them on the page they asked for. A council officer needs no two-factor and signs in
to the home page. axe runs on every page; screenshots go to test-results/first-day/<role>/
(ignored by git).

`ROLES` holds each role's journey: the demo account, `lands_on` (the page the person asked for and
must land on: their home page unless they followed a link) and `after_landing`, the clicks from
there to the role's main task (at most three).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from grants.councils import councils_load
from grants.demo import DEMO_PASSWORD
from grants.models import User
from tests.totp import current_code

from .conftest import check_a11y, click_through, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "first-day"


def programme_manager_lands_on() -> str:
    return reverse("grants:staff_home")


def home() -> str:
    return reverse("home")


# The role's main task from its home page, each step one click by a label the page shows: the
# issue's promise is the main task within three clicks of signing in.


def _follow(page, camera, name, heading, shot: str) -> None:
    click_through(page.get_by_role("link", name=name).first)
    assert re.search(heading, page.get_by_role("heading", level=1).inner_text()), page.url
    camera.check(shot)


def manager_goes_home(page, camera) -> None:
    click_through(page.get_by_role("link", name="Your work").first)
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    camera.check("home")


def manager_assigns(page, camera) -> None:
    _follow(page, camera, "Bids waiting for assignment", "Assignments", "assignments")


def assessor_opens_queue(page, camera) -> None:
    _follow(page, camera, re.compile(r"Behavioural Insights phase 6"), r"Bids to assess|Declare", "queue")


def finance_pays(page, camera) -> None:
    _follow(page, camera, re.compile(r"^Pay "), r"[Pp]ayment", "record-payment")


def board_reads_report(page, camera) -> None:
    _follow(page, camera, "Read the quarterly board report", "Board report at", "board-report")
    assert "Green" in page.get_by_role("main").inner_text()


def council_starts_bid(page, camera) -> None:
    rounds = page.get_by_test_id("home-rounds")
    click_through(rounds.get_by_role("listitem").filter(has_text="open, closes").first.get_by_role("link").first)
    assert "can apply" in page.get_by_role("main").inner_text()
    camera.check("round")
    click_through(page.get_by_role("button", name="Start a bid"))
    assert page.get_by_role("heading", level=1).inner_text() == "Start a bid"
    camera.check("start-a-bid")


@dataclass(frozen=True)
class Role:
    email: str
    lands_on: Callable[[], str]
    two_factor: bool = True
    # Steps on the landing page and beyond: (page, camera) -> None, one click each, each checking
    # what the page it reaches shows.
    after_landing: tuple[Callable, ...] = field(default=())


# The programme manager opens a staff page first (an email's link, say) and must land back on it
# after set-up; everyone else signs in from the sign-in page and lands on their home page.
ROLES = {
    "programme_manager": Role(
        "programme.manager@lga.example.com",
        programme_manager_lands_on,
        after_landing=(manager_goes_home, manager_assigns),
    ),
    "panel_member": Role("panel.member@lga.example.com", home, after_landing=(assessor_opens_queue,)),
    "panel_chair": Role("panel.chair@lga.example.com", home, after_landing=(assessor_opens_queue,)),
    "finance_officer": Role("finance@lga.example.com", home, after_landing=(finance_pays,)),
    "board_viewer": Role("board@lga.example.com", home, after_landing=(board_reads_report,)),
    "council_officer": Role(
        "council.officer@kent.example.com", home, two_factor=False, after_landing=(council_starts_bid,)
    ),
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


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _set_up_two_factor(page, camera: Camera, user: User) -> None:
    page.wait_for_url("**/2fa/totp/activate/**")  # straight after the password: no "Confirm access"
    camera.check("set-up")
    page.get_by_text("I cannot scan the QR code").click()
    secret = re.search(r"\b[A-Z2-7]{32}\b", page.locator("details").inner_text()).group(0)
    page.get_by_label("Code from your authenticator app").fill(current_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_url("**/2fa/recovery-codes/")
    camera.check("recovery-codes")
    shown = page.get_by_role("main").inner_text()
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    assert codes and all(code in shown for code in codes), "the recovery codes are not on the page"
    page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("role", list(ROLES))
def test_first_day(browser, live_server, role):
    # A transactional test starts from an emptied database: put back the councils that migrate
    # loads, as the demo is seeded on top of them. (Not serialized_rollback: restoring Django's own
    # rows clashes with the content types an earlier test's flush re-created.)
    councils_load()
    call_command("seed_demo")
    spec = ROLES[role]
    user = User.objects.get(email=spec.email)
    assert not Authenticator.objects.filter(user=user).exists(), "the demo must leave two-factor to the person"
    wanted = spec.lands_on()
    context = new_context(browser, live_server)
    page = context.new_page()
    camera = Camera(page, role)

    page.goto(wanted if wanted != home() else reverse("account_login"))
    page.wait_for_url("**/accounts/login/**")
    camera.check("sign-in")
    page.get_by_label("Email address").fill(spec.email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if spec.two_factor:
        _set_up_two_factor(page, camera, user)
    page.wait_for_url(lambda url: _path(url) == wanted)
    camera.check("landed")
    assert len(spec.after_landing) <= 3
    for step in spec.after_landing:
        step(page, camera)
    context.close()
