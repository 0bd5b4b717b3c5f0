"""Every link in every email opens on the service that sent it (issue 15, item 8).

The base URL is set to an address no test client uses (not the request's `testserver`, not the
old default port 8000), so a link built from anything but GRANTBENCH_BASE_URL fails. Emails come
from the service's own flows: the access-control world (tests/security/world.py) and a few more
steps on it, allauth's sign-up and password emails, and the daily digest; each event of the
registry (notifications/events.py) is also rendered on its own. Each link must start with the base
URL, resolve to one of the service's views, and open for its recipient (200) or send them to sign
in, never 404.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse

from applications import services as bid_services
from applications.models import PartnerStatus
from grants.awards import services as award_services
from grants.awards.models import AwardStatus
from notifications.events import EVENTS
from notifications.models import Channel, Notification, Status
from notifications.services import digest_send, render_email
from scoring import services as scoring_services
from tests import factories as f
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8263"
LINK = re.compile(r"""https?://[^\s"'<>]+""")


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.GRANTBENCH_BASE_URL = BASE


def links(*bodies: str) -> set[str]:
    return {m.rstrip(".,)") for body in bodies for m in LINK.findall(body)}


def opens_for(user, url: str) -> str | None:
    """None when `url` opens for `user` (200, or a redirect to sign in); else what went wrong."""
    if not url.startswith(BASE + "/"):
        return f"{url} does not start with {BASE}/"
    parts = urlsplit(url)
    resolve(parts.path)  # raises Resolver404 for a path the service does not have
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    login = reverse("account_login")
    if response.status_code == 200 or (response.status_code == 302 and response["Location"].startswith(login)):
        return None
    if response.status_code == 302 and user is None:  # allauth's reset link moves its key out of the address
        followed = client.get(response["Location"])
        if followed.status_code == 200:
            return None
    return f"{url} answers {response.status_code} to {getattr(user, 'email', 'anonymous')}"


def _more_emails(world) -> None:
    """Steps beyond the world's, each sending the email of one more event."""
    p = world.personas
    invite = world.invite_bid.partners.get(organisation=p.partner_org, status=PartnerStatus.REQUESTED)
    bid_services.respond_to_partner(partner=invite, actor=p.partner_officer, confirm=True)
    award_services.variation_decide(variation=world.variation, actor=p.programme_manager, approve=False, reason="No")
    award_services.award_end(
        award=world.offered_award, actor=p.programme_manager, to=AwardStatus.WITHDRAWN, reason="Plans changed"
    )
    bid_services.grant_extension(
        round=world.draft_round,
        organisation=p.lead_org,
        new_deadline=world.draft_round.closes_at + timedelta(days=7),
        reason="Flooding",
        actor=p.programme_manager,
    )
    scoring_services.conflict_declare(bid=world.bid, user=p.panel_chair, nature="My sister works there")
    bid_services.withdraw_bid(bid=world.bid, actor=p.lead_officer, reason="Another source funded it")


def test_every_link_in_the_emails_the_service_sends_opens_on_the_service(personas):
    world = build_world(personas)
    _more_emails(world)
    rows = list(Notification.objects.filter(channel=Channel.EMAIL).select_related("recipient"))
    sent = {row.event for row in rows}
    # The flows above send these; a flow that stops sending one shrinks what this test covers.
    assert sent >= {
        "bid_submitted",
        "assessor_assigned",
        "partner_confirmation_requested",
        "partner_responded",
        "variation_requested",
        "variation_decided",
        "award_ended",
        "extension_granted",
        "conflict_declared",
        "bid_withdrawn",
    }, sorted(sent)
    problems = []
    for row in rows:
        _subject, text, html = render_email(row)
        found = links(text, html)
        if row.url and not found:
            problems.append(f"{row.event}: no link in the email")
        problems += [f"{row.event}: {p}" for url in sorted(found) if (p := opens_for(row.recipient, url))]
    assert not problems, "\n".join(problems)


def test_the_daily_digest_links_open_on_the_service(personas):
    world = build_world(personas)
    rows = Notification.objects.filter(channel=Channel.EMAIL, recipient=personas.assessor)
    assert rows.exists()
    rows.update(status=Status.DIGEST)
    mail.outbox.clear()
    assert digest_send(user_id=personas.assessor.pk) == rows.count()
    (message,) = mail.outbox
    found = links(message.body, message.alternatives[0][0])
    assert found
    assert [p for url in sorted(found) if (p := opens_for(personas.assessor, url))] == []
    assert world.round.slug in " ".join(found)


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_each_event_links_only_to_the_base_url(name, personas):
    """Every kind of email, including those no flow above sends: its link and nothing else."""
    row = Notification(
        recipient=personas.lead_officer,
        channel=Channel.EMAIL,
        event=name,
        subject="Subject",
        context=dict.fromkeys(EVENTS[name].keys, "x"),
        url=personas.round.get_absolute_url(),
        programme=personas.programme,
    )
    _subject, text, html = render_email(row)
    assert links(text, html) == {BASE + personas.round.get_absolute_url()}


def _allauth_links() -> list[tuple[str, set[str]]]:
    return [(m.subject, links(m.body, *[a[0] for a in getattr(m, "alternatives", [])])) for m in mail.outbox]


def test_account_emails_link_to_the_base_url_not_the_requests_host(db):
    """allauth builds its links from the request (here `testserver`); they go through the same
    function as every other email link."""
    user = f.UserFactory(email="known@example.com")
    client = Client()
    client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": f.PASSWORD * 2, "password2": f.PASSWORD * 2},
    )
    client.post(reverse("account_reset_password"), {"email": user.email})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    sent = _allauth_links()
    assert len(sent) >= 3, sent
    problems = [f"{subject}: {p}" for subject, found in sent for url in sorted(found) if (p := opens_for(None, url))]
    assert all(found for _subject, found in sent), sent
    assert not problems, "\n".join(problems)
    assert all("testserver" not in m.body for m in mail.outbox)
    assert settings.GRANTBENCH_BASE_URL == BASE


def test_emails_say_who_to_ask_about_their_round(personas, settings):
    settings.GRANTBENCH_CONTACT_NAME, settings.GRANTBENCH_CONTACT_EMAIL = "Grants team", "grants@example.gov.uk"
    rnd = personas.round
    rnd.contact_name, rnd.contact_email = "Panel secretary", "panel@example.gov.uk"
    rnd.save()

    def email(programme, round_name):
        row = Notification(
            recipient=personas.lead_officer,
            channel=Channel.EMAIL,
            event="bid_submitted",
            subject="We have received bid THIS-000001",
            context={"reference": "THIS-000001", "round_name": round_name},
            programme=programme,
        )
        return render_email(row)

    _subject, text, html = email(personas.programme, rnd.name)
    assert "Questions? Contact Panel secretary at panel@example.gov.uk." in text
    assert 'Questions? Contact Panel secretary at <a href="mailto:panel@example.gov.uk"' in html
    _subject, text, _html = email(None, rnd.name)
    assert "Questions? Contact Grants team at grants@example.gov.uk." in text
