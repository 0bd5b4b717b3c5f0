"""Done when: no amount on any page, email or PDF of the demo shows ".00", no percentage "10.00%",
and no count "1 bids". The demo is seeded as `make run` seeds it; the pages are reached from each
persona's home page by following links (a bounded walk), every email the seed sends is read, and
the PDFs' text is the HTML handed to the PDF writer."""

import html
import re
from collections import deque

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from grants.awards.models import Award
from grants.models import User

pytestmark = pytest.mark.django_db

PENCE_00 = re.compile(r"£[\d,]+\.00(?!\d)")
PERCENT_00 = re.compile(r"\d\.\d*0%")
# Any other number with ".00": a spread, a threshold, "2.00 times the budget".
NUMBER_00 = re.compile(r"(?<![\d.£])\d[\d,]*\.00(?![\d%])")
ONE_PLURAL = re.compile(r"(?<![\d.,£])\b1 (bids|awards|returns|payments|assessments|councils|partners|points|days)\b")
SKIP = re.compile(r"logout|/accounts/|/admin/|download|export|\.csv|\.xlsx|\.json|\.pdf|/files/|/media/|/static/")
PERSONAS = (
    "programme.manager@lga.example.com",
    "cyber.manager@lga.example.com",
    "finance@lga.example.com",
    "board@lga.example.com",
    "panel.chair@lga.example.com",
    "council.officer@kent.example.com",
    "council.officer@leeds.example.com",
)
PAGES_EACH = 70


def _text(body: str) -> str:
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def _faults(where: str, text: str) -> list[str]:
    return [
        f"{where}: …{text[max(0, m.start() - 50) : m.end() + 20]}…"
        for pattern in (PENCE_00, PERCENT_00, NUMBER_00, ONE_PLURAL)
        for m in pattern.finditer(text)
    ]


def _signed_in(email: str) -> Client:
    user = User.objects.get(email=email)
    if not user.authenticator_set.filter(type="totp").exists():  # staff and panel need it set up
        TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return client


def _walk(client: Client, start: list[str]) -> dict[str, str]:
    seen, queue, pages = set(), deque(start), {}
    while queue and len(pages) < PAGES_EACH:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        pages[url] = body
        for href in re.findall(r'href="(/[^"#]*)"', body):
            href = html.unescape(href)
            if not SKIP.search(href) and href not in seen:
                queue.append(href)
    return pages


@pytest.fixture
def pdf_html(monkeypatch):
    """The HTML each PDF is drawn from: what weasyprint would have laid out."""
    import weasyprint

    drawn: list[str] = []

    class Capture:
        def __init__(self, string: str = "", **kwargs):
            drawn.append(string)

        def write_pdf(self, *args, **kwargs) -> bytes:
            return b"%PDF-1.4\n"

    monkeypatch.setattr(weasyprint, "HTML", Capture)
    return drawn


def test_the_demo_shows_no_pence_on_whole_pounds_no_decimal_percentages_and_no_1_bids(
    pdf_html, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the emails go after commit
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    faults: list[str] = []
    for message in mail.outbox:
        faults += _faults(f"email {message.subject!r}", message.body)
        for content, _ in getattr(message, "alternatives", []):
            faults += _faults(f"email {message.subject!r} (HTML)", _text(content))
    assert mail.outbox, "the seed sends emails: the walk reads them"
    walked = 0
    for email in PERSONAS:
        client = _signed_in(email)
        start = ["/", reverse("grants:round_list"), reverse("reporting:open_data")]
        if email.endswith("@lga.example.com") and not email.startswith("panel"):
            start += [reverse("reporting:dashboard"), reverse("reporting:board_report"), reverse("awards:portfolio")]
        if email.startswith("panel"):
            start += [
                reverse("scoring:moderation", args=["bi-phase-4"]),
                reverse("scoring:ranking", args=["bi-phase-4"]),
            ]
        pages = _walk(client, start)
        walked += len(pages)
        for url, body in pages.items():
            faults += _faults(f"{email} {url}", _text(body))
    pm = _signed_in("programme.manager@lga.example.com")
    for award in Award.objects.order_by("pk")[:12]:
        assert pm.get(reverse("awards:offer_pdf", args=[award.pk])).status_code == 200
    assert _signed_in("board@lga.example.com").get(reverse("reporting:board_report_pdf")).status_code == 200
    assert len(pdf_html) >= 2
    for n, drawn in enumerate(pdf_html):
        faults += _faults(f"PDF {n}", _text(drawn))
    assert walked > 200
    assert not faults, "\n".join(sorted(set(faults)))
