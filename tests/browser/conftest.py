"""Playwright in Debian's Chromium, with axe-core from npm, for journey tests.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Journeys run against
pytest-django's live_server; `check_a11y(page)` runs axe on the page and fails on serious or
critical violations.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GRANTBENCH_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def check_a11y(page, *, allow: tuple[str, ...] = ()) -> None:
    """Run axe-core on the current page; fail on any serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical") and v["id"] not in allow
    ]
    assert not bad, f"axe on {page.url}:\n" + "\n".join(bad)


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    check_a11y(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def sign_out(page) -> None:
    """Sign out through the header link and allauth's confirmation page, then wait until the
    header offers "Sign in" again, so the next step never races the logout POST."""
    page.get_by_role("link", name="Sign out").click()
    button = page.get_by_role("button", name="Sign Out")
    button.wait_for()
    check_a11y(page)
    button.click()
    page.get_by_role("link", name="Sign in").wait_for()
