"""Playwright in Debian's Chromium, with axe-core from npm, for journey tests.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Journeys run against
pytest-django's live_server; `check_a11y(page)` runs axe on the page and fails on serious or
critical violations.

Every page a journey visits is also watched for the Content-Security-Policy: a script, style,
event handler or style attribute the policy refuses is reported by the browser (a
`securitypolicyviolation` event, which an init script turns into a console message, and the
browser's own console error), and `check_a11y` and the end of each test fail on any of them. Axe
is injected through the DevTools protocol (`page.evaluate`), which the policy does not govern, so
the check itself causes no violation.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GRANTBENCH_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Evaluated as a script (the file ends in an expression statement), not added as a <script> tag,
# which the page's Content-Security-Policy would refuse.
AXE_SOURCE = AXE.read_text() + "\n;undefined"
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


# Runs in every document before its own scripts: each refusal by the policy becomes a console error.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline code"}`
    + ` at ${e.sourceFile || document.location.href}:${e.lineNumber} (${e.sample || ""})`);
});
"""
CSP_MARKERS = ("CSP violation", "Content Security Policy")
# Every context opened by new_context() during the current test, checked when the test ends.
_watched: list = []


def new_context(browser, live_server):
    """A browser context for a journey, watched for Content-Security-Policy violations on every
    page it opens. Journeys that sign in several people at once open one each with this."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15000)
    context.add_init_script(script=REPORT_CSP_VIOLATIONS)
    context.csp_violations = []

    def on_console(message):
        if any(marker in message.text for marker in CSP_MARKERS):
            context.csp_violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
    _watched.append(context)
    return context


@pytest.fixture(autouse=True)
def _no_csp_violations():
    """However a test ends its contexts, a violation on any page it visited fails it."""
    _watched.clear()
    yield
    violations = [v for context in _watched for v in context.csp_violations]
    _watched.clear()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(browser, live_server):
    context = new_context(browser, live_server)
    yield context.new_page()
    context.close()


def check_csp(page) -> None:
    """Fail if any page of this page's context broke the Content-Security-Policy so far."""
    violations = getattr(page.context, "csp_violations", None)
    assert violations is not None, "open the page's context with new_context(), which watches for CSP violations"
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


def check_govuk_frontend_started(page) -> None:
    """The page's scripts ran under its policy: the body is marked for GOV.UK Frontend (a static
    file at the top of <body>) and its components are initialised (a module loaded at the end)."""
    page.wait_for_function(
        "() => document.body !== null && document.body.classList.contains('govuk-frontend-supported')"
        " && document.querySelector('[data-govuk-skip-link-init]') !== null",
        timeout=5000,
    )


def check_a11y(page, *, allow: tuple[str, ...] = ()) -> None:
    """Run axe-core on the current page; fail on any serious or critical violation, on any
    Content-Security-Policy violation so far, or if GOV.UK Frontend did not start."""
    check_csp(page)
    check_govuk_frontend_started(page)
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
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


def signed_in(browser, live_server, email: str, password: str, secret: str | None = None):
    """A new browser context signed in as this person: password, then (given their two-factor
    secret) a code from their authenticator app. Returns (context, page) on the page they land on."""
    from tests.totp import current_code

    context = new_context(browser, live_server)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    click_through(page.get_by_role("button", name="Sign in"))
    if secret:
        page.wait_for_url("**/2fa/authenticate/**")
        check_a11y(page)
        page.locator("input[name=code]").fill(current_code(secret))
        click_through(page.locator("form button[type=submit]").first)
    assert "/accounts/" not in page.url, page.url
    check_a11y(page)
    return context, page


def click_through(locator) -> None:
    """Click a link or button and wait for the page it leads to. wait_for_load_state() after a
    click returns at once (the old page is loaded), so a check could read the page being left."""
    with locator.page.expect_navigation():
        locator.click()


def sign_out(page) -> None:
    """Sign out through the header link and allauth's confirmation page, then wait until the
    header offers "Sign in" again, so the next step never races the logout POST."""
    page.get_by_role("link", name="Sign out").click()
    button = page.get_by_role("button", name="Sign Out")
    button.wait_for()
    check_a11y(page)
    button.click()
    page.get_by_role("link", name="Sign in").wait_for()
