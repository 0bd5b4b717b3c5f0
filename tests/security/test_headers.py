"""Headers: a Content-Security-Policy that allows no inline script or style, and no caching of
anything that belongs to one person.

Every URL of the access matrix (tests/security/urlwalk.py) is asked by every persona, whatever
the answer (a 200, a redirect to sign in, a 404 page), and so are allauth's pages and the admin's
(the walk of the matrix's URLs is test_url_matrix.py's, which checks each response with `Report`):
- every response carries the policy: script-src and style-src without 'unsafe-inline' (nor
  anything else that lets injected code run), frame-ancestors and object-src 'none', base-uri and
  form-action 'self';
- every response to a signed-in persona, pages and downloads alike, is `private, no-store`;
- every HTML page has no inline script or <style> without the policy's nonce, no on*= event
  handler, no style= attribute and no javascript: link, any of which the browser would refuse
  (the page breaks) or, once allowed, would open the door the policy closes.
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories as f
from tests.conftest import enable_mfa

from .observe import isolated
from .world import build_world

# Sources that let an attacker's inline or injected code run under script-src or style-src.
UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:", "blob:"}
REQUIRED = {
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# <script> types a browser does not run (data blocks), so the policy does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# Downloads the walk must reach (a 200 to someone), so their Cache-Control is really checked.
DOWNLOADS = {
    "applications:evidence_download",
    "applications:staff_bid_export",
    "awards:offer_pdf",
    "awards:evidence_download",
    "scoring:export_scores",
    "reporting:board_report_pdf",
    "reporting:download",
    "reporting:export_file",
}


def policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        if not part.strip():
            continue
        name, *sources = part.split()
        directives[name.lower()] = sources
    return directives


def policy_problems(header: str | None) -> list[str]:
    if not header:
        return ["no Content-Security-Policy header"]
    directives = policy(header)
    problems = []
    for name in ("script-src", "style-src", "script-src-elem", "script-src-attr", "style-src-elem", "style-src-attr"):
        sources = directives.get(name)
        if sources is None and name in ("script-src", "style-src"):
            sources = directives.get("default-src")
            if sources is None:
                problems.append(f"neither {name} nor default-src")
                continue
        if unsafe := UNSAFE_SOURCES & set(sources or []):
            problems.append(f"{name} allows {sorted(unsafe)}")
    for name, expected in REQUIRED.items():
        if directives.get(name) != expected:
            problems.append(f"{name} is {directives.get(name)}, expected {expected}")
    return problems


def nonce_of(header: str | None) -> str | None:
    for source in policy(header or "").get("script-src", []):
        if match := re.fullmatch(r"'nonce-(.+)'", source):
            return match.group(1)
    return None


class InlineCode(HTMLParser):
    """What the policy would refuse on a page: inline scripts and styles without the nonce,
    event handler and style attributes, javascript: links."""

    def __init__(self, nonce: str | None):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            elif name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        nonced = self.nonce is not None and found.get("nonce") == self.nonce
        if tag == "script" and "src" not in found and not nonced:
            if (found.get("type") or "").strip().lower() not in DATA_SCRIPT_TYPES:
                self.problems.append(f"inline <script {found}> without the policy's nonce")
        if tag == "style" and not nonced:
            self.problems.append("<style> element without the policy's nonce")


def page_problems(html: str, nonce: str | None) -> list[str]:
    parser = InlineCode(nonce)
    parser.feed(html)
    parser.close()
    return parser.problems


def is_private(response) -> bool:
    directives = {d.strip().lower() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


class Report:
    def __init__(self):
        self.problems: list[str] = []
        self.html_pages = 0
        self.downloads: set[str] = set()

    def check(self, name: str, url: str, who: str, response) -> None:
        where = f"{name} {url} as {who} ({response.status_code})"
        header = response.get("Content-Security-Policy")
        self.problems += [f"{where}: {p}" for p in policy_problems(header)]
        if who != "anonymous" and not is_private(response):
            self.problems.append(f"{where}: Cache-Control is {response.get('Cache-Control')!r}")
        if response.cookies and not is_private(response):
            self.problems.append(f"{where}: sets {sorted(response.cookies)} but Cache-Control is "
                                 f"{response.get('Cache-Control')!r}")  # fmt: skip
        if response.status_code == 200:
            if response.get("Content-Type", "").startswith("text/html"):
                self.html_pages += 1
                body = response.content.decode()
                self.problems += [f"{where}: {p}" for p in page_problems(body, nonce_of(header))]
            else:
                self.downloads.add(name)

    def assert_clean(self) -> None:
        assert not self.problems, f"{len(self.problems)} problems:\n" + "\n".join(self.problems[:200])


def _library_pages() -> list[str]:
    """allauth's and the admin's pages that take no arguments (the walk skips both)."""

    def walk(resolver, ns, module):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = getattr(entry.urlconf_module, "__name__", module)
                yield from walk(entry, entry.namespace or ns, inner)
            elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
                if module.startswith("allauth.") or ns == "admin":
                    yield f"{ns}:{entry.name}" if ns else entry.name

    return sorted(set(walk(get_resolver(), "", "")))


@pytest.fixture
def superuser(db):
    user = f.UserFactory(email="superuser@example.com", is_staff=True, is_superuser=True)
    enable_mfa(user)
    return user


def _signed_in(user) -> Client:
    """Signed in and just reauthenticated with the password, so allauth's pages that ask for a
    recent sign-in (the two-factor set-up with its QR code) answer with themselves."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
        response = client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})
        assert response.status_code == 302, response
    return client


def test_sign_in_two_factor_and_admin_pages(personas, superuser):
    """allauth's pages (sign in, reset, two-factor set-up with its QR code) and the admin's, as
    someone signed out, a council officer without two-factor, staff with it and a superuser."""
    users = {
        "anonymous": None,
        "lead_officer": personas.lead_officer,
        "programme_manager": personas.programme_manager,
        "superuser": superuser,
    }
    report = Report()
    names = _library_pages()
    assert {"account_login", "mfa_activate_totp", "admin:index"} <= set(names), names
    for who, user in users.items():
        client = _signed_in(user)
        for name in names:
            url = reverse(name)
            report.check(name, url, who, isolated(client, "get", url))
    report.assert_clean()
    assert report.html_pages > 20, report.html_pages
    # The QR code is a data: image, which img-src allows.
    page = _signed_in(personas.lead_officer).get(reverse("mfa_activate_totp"))
    assert 'src="data:image/svg+xml' in page.content.decode()
    assert "data:" in policy(page["Content-Security-Policy"])["img-src"]


def test_anonymous_answers_that_set_a_cookie_are_not_cached(client):
    """The sign-in form sets the CSRF cookie: a shared cache must not hand it to the next visitor."""
    response = client.get(reverse("account_login"))
    assert "csrftoken" in response.cookies
    assert response["Cache-Control"] == "private, no-store"


def test_public_files_and_static_files_keep_their_caching(personas, client):
    """The middleware leaves alone what is the same for everyone."""
    world = build_world(personas)
    published = client.get(reverse("reporting:open_data_file", args=[world.published_file.pk,
                                                                    world.published_file.filename]))  # fmt: skip
    assert published.status_code == 200
    assert not published.cookies
    assert "no-store" not in published.get("Cache-Control", "")
    icon = client.get("/favicon.ico")  # the service's own, served by whitenoise from static/root
    assert icon.status_code == 200
    assert "max-age" in icon["Cache-Control"]
    assert "no-store" not in icon["Cache-Control"]


def test_signed_in_downloads_replace_any_caching_the_view_chose(personas, client_for):
    """A view that says `no-store` alone (the export status JSON) still ends `private, no-store`."""
    world = build_world(personas)
    response = client_for(personas.programme_manager).get(
        reverse("reporting:export_status", args=[world.export_job.pk])
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script nonce="other">alert(1)</script>',
        '<script type="module">import "x"</script>',
        "<style>p { color: red }</style>",
        '<button onclick="go()">Go</button>',
        '<img src="x" onerror="go()">',
        '<p style="color: red">Red</p>',
        '<a href="javascript:go()">Go</a>',
    ],
)
def test_the_page_check_finds_inline_code(html):
    """Control: the HTML check above refuses each kind of inline code the policy refuses."""
    assert page_problems(f"<!DOCTYPE html><html><body>{html}</body></html>", "right")


def test_the_page_check_passes_nonced_and_external_code():
    html = (
        '<script src="/static/js/grantbench.js"></script><script nonce="right">go()</script>'
        '<script type="application/json">{"a": 1}</script><style nonce="right">p {}</style>'
        '<p class="x" data-on="y">Fine</p>'
    )
    assert page_problems(html, "right") == []


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (None, "no Content-Security-Policy"),
        ("default-src 'self'; script-src 'self' 'unsafe-inline'", "script-src allows"),
        ("default-src 'self' 'unsafe-inline'", "style-src allows"),
        ("default-src 'self'; style-src-attr 'unsafe-inline'", "style-src-attr allows"),
        ("default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'", "frame-ancestors"),
    ],
)
def test_the_policy_check_finds_weak_policies(header, problem):
    assert any(problem in p for p in policy_problems(header)), policy_problems(header)
