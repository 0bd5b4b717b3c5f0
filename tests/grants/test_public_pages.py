"""The pages a UK public service owes (issue 15, item 6): help and contact, privacy notice,
cookies and the accessibility statement. Open to everyone, linked from every page's footer,
saying what the service actually does (from settings, not from copies of them)."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from grants.contacts import contact_for
from grants.public_views import _duration
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGES = ("help", "privacy", "cookies", "accessibility")


@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_without_signing_in(name, client):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.context["user"].is_anonymous


@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_before_two_factor_set_up(name, personas, client_for):
    """Staff must set up two-factor before any other page; these stay open (grants.middleware)."""
    Authenticator.objects.filter(user=personas.programme_manager).delete()
    client = client_for(personas.programme_manager)
    assert client.get(reverse("grants:staff_home")).status_code == 302  # the guard is on
    assert client.get(reverse(name)).status_code == 200


def _footer(html: str) -> str:
    return html[html.index('<footer class="govuk-template__footer"') :]


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/rounds/"),
        (None, "/no-such-page/"),
        ("lead_officer", "/bids/"),
        ("assessor", "/assess/"),
        ("programme_manager", "/staff/"),
        ("finance_officer", "/awards/"),
        (None, "/accessibility/"),
    ],
)
def test_every_kind_of_page_links_to_them_from_its_footer(who, url, personas, client_for):
    response = client_for(getattr(personas, who) if who else None).get(url)
    assert response.status_code in (200, 404)
    footer = _footer(response.content.decode())
    for name in PAGES:
        assert f'href="{reverse(name)}"' in footer, f"{url} for {who}: no link to {name}"


def test_the_phase_banner_asks_for_feedback_where_the_setting_says(client, settings):
    settings.GRANTBENCH_FEEDBACK_URL = "https://feedback.example.gov.uk/grantbench"
    html = client.get(reverse("grants:round_list")).content.decode()
    banner = html[html.index("govuk-phase-banner") : html.index("</div>", html.index("govuk-phase-banner"))]
    assert 'href="https://feedback.example.gov.uk/grantbench"' in banner
    assert "give your feedback" in banner


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_accessibility_statement_has_what_the_regulations_require(client, settings):
    settings.GRANTBENCH_ACCESSIBILITY_PREPARED = "2026-11-02"
    settings.GRANTBENCH_ACCESSIBILITY_REVIEWED = "2027-01-15"
    settings.GRANTBENCH_CONTACT_EMAIL = "access@lga.example.gov.uk"
    settings.GRANTBENCH_RESPONSE_DAYS = 3
    text = _text(client.get(reverse("accessibility")))
    for heading in (
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Technical information about this service's accessibility",
        "Compliance status",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Disproportionate burden",
        "How we tested this service",
        "Preparation of this accessibility statement",
    ):
        assert heading in text, heading
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018" in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Commission for Northern Ireland (ECNI)" in text
    assert "access@lga.example.gov.uk" in text and "in 3 working days" in text
    assert "prepared on 2 November 2026. It was last reviewed on 15 January 2027." in text
    assert "axe-core" in text


def test_the_privacy_notice_states_the_retention_periods_the_service_applies(client, settings):
    settings.GRANTBENCH_RETENTION_YEARS = 9
    settings.GRANTBENCH_RETENTION = {**settings.GRANTBENCH_RETENTION, "export_files_days": 11}
    settings.SESSION_COOKIE_AGE = 2 * 60 * 60
    settings.GRANTBENCH_DPO_EMAIL = "dpo@lga.example.gov.uk"
    text = _text(client.get(reverse("privacy")))
    assert "9 years after the grant or the funding round ends" in text
    assert "11 days, then deleted automatically" in text
    assert "2 hours after you last use the service" in text
    assert "dpo@lga.example.gov.uk" in text
    for must in ("Article 6(1)(e)", "Information Commissioner's Office", "0303 123 1113", "Your rights"):
        assert must in text, must
    for data in ("declarations", "scores", "audit trail", "email log", "upload"):
        assert data in text, data


def test_the_cookies_page_lists_every_cookie_the_service_sets(personas, settings):
    """Sign in, post a form and get a message: every cookie the browser holds is on the page."""
    settings.SESSION_COOKIE_NAME = "gb_session"
    settings.CSRF_COOKIE_NAME = "gb_csrf"
    client = Client()
    client.get(reverse("account_login"))  # a form: the CSRF cookie
    client.post(reverse("account_login"), {"login": personas.lead_officer.email, "password": f.PASSWORD})
    client.post(reverse("notifications:mark_all_read"))
    set_by_service = set(client.cookies)
    assert {"gb_session", "gb_csrf"} <= set_by_service
    page = Client().get(reverse("cookies"))
    listed = {row["name"] for row in page.context["cookies"]}
    assert set_by_service <= listed
    text = _text(page)
    for name in listed:
        assert name in text
    assert "8 hours after you last use the service" in text or _duration(settings.SESSION_COOKIE_AGE) in text
    assert "no cookie banner" in text


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(8 * 3600, "8 hours"), (3600, "1 hour"), (86400, "1 day"), (14 * 86400, "2 weeks"), (364 * 86400, "1 year")],
)
def test_durations_in_words(seconds, words):
    assert _duration(seconds) == words


def test_help_lists_each_published_programmes_contact(client, personas, settings):
    settings.GRANTBENCH_CONTACT_EMAIL = "grants@lga.example.gov.uk"
    programme = personas.programme
    programme.contact_name, programme.contact_email = "Digital team", "digital@lga.example.gov.uk"
    programme.save()
    personas.round.published = True
    personas.round.save()
    text = _text(client.get(reverse("help")))
    for group in ("If you work for a council", "If you are a panel member", "If you are programme staff"):
        assert group in text
    assert "grants@lga.example.gov.uk" in text
    assert "Digital team digital@lga.example.gov.uk" in text


def test_a_rounds_contact_is_its_own_else_its_programmes_else_the_services(personas, settings):
    settings.GRANTBENCH_CONTACT_NAME, settings.GRANTBENCH_CONTACT_EMAIL = "Grants team", "grants@example.gov.uk"
    rnd, programme = personas.round, personas.programme
    assert contact_for(round=rnd).email == "grants@example.gov.uk"
    programme.contact_name, programme.contact_email = "Digital team", "digital@example.gov.uk"
    programme.save()
    assert (contact_for(round=rnd).name, contact_for(round=rnd).email) == ("Digital team", "digital@example.gov.uk")
    rnd.contact_email = "panel@example.gov.uk"
    assert (contact_for(round=rnd).name, contact_for(round=rnd).email) == ("Digital team", "panel@example.gov.uk")


def test_the_round_page_shows_its_contact(client, personas):
    rnd = personas.round
    rnd.published = True
    rnd.contact_name, rnd.contact_email = "Panel secretary", "panel@lga.example.gov.uk"
    rnd.save()
    text = _text(client.get(rnd.get_absolute_url()))
    assert "Contact Panel secretary at panel@lga.example.gov.uk" in text


def test_a_manager_sets_the_contacts_on_the_programme_and_round_forms(personas, client_for):
    client = client_for(personas.programme_manager)
    programme, rnd = personas.programme, personas.round
    form = client.get(reverse("grants:staff_programme_edit", args=[programme.slug])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "partner_bodies"}
    data.update(contact_name="Digital team", contact_email="not an email")
    response = client.post(reverse("grants:staff_programme_edit", args=[programme.slug]), data)
    assert response.status_code == 200
    assert "Enter the contact email address in the correct format" in response.content.decode()
    data["contact_email"] = "digital@lga.example.gov.uk"
    response = client.post(reverse("grants:staff_programme_edit", args=[programme.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    programme.refresh_from_db()
    assert (programme.contact_name, programme.contact_email) == ("Digital team", "digital@lga.example.gov.uk")
    edit = client.get(reverse("grants:staff_round_edit", args=[rnd.slug])).content.decode()
    assert 'name="contact_email"' in edit and 'name="contact_name"' in edit
