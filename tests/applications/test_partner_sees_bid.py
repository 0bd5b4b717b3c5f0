"""A council asked to be a partner reads the whole bid (answers, amounts, partners, files), read
only, on the page where it confirms or declines, and can open the files; nobody else gains that."""

import re

import pytest
from django.urls import reverse

from applications.models import PartnerStatus
from tests import factories as f

from .test_services import complete, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(personas, form):
    """A draft joint bid with answers and a file, naming two partners who have not answered yet."""
    other = f.OrganisationFactory(short_name="Swale")
    bid = start(personas, partners=[personas.partner_org, other])
    complete(bid, personas, form)
    return bid


def test_the_partner_page_shows_the_whole_bid_before_the_form(personas, client_for, asked, form):
    page = client_for(personas.partner_officer).get(reverse("applications:partner_respond", args=[asked.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    bid_part, form_part = body.split('data-testid="partner-status"')
    # Answers, amounts and partners, read only, before the confirm or decline form.
    for text in ("What is the aim?", "Get people online", "£20,000", "£2,000", "Swale", "About the project"):
        assert text in bid_part, text
    assert re.search(r"How many people\?</dt>\s*<dd[^>]*>1,?200<", bid_part)
    evidence = asked.evidence.get()
    file_url = reverse("applications:evidence_download", args=[asked.pk, evidence.pk])
    assert file_url in bid_part and "plan.pdf" in bid_part
    assert "Change" not in bid_part and reverse("applications:bid_details", args=[asked.pk]) not in body
    assert 'name="decision"' in form_part


def test_the_partner_can_open_the_files_it_is_shown(personas, client_for, asked):
    evidence = asked.evidence.get()
    url = reverse("applications:evidence_download", args=[asked.pk, evidence.pk])
    assert asked.partners.get(organisation=personas.partner_org).status == PartnerStatus.REQUESTED
    assert client_for(personas.partner_officer).get(url).status_code == 200
    assert client_for(personas.other_officer).get(url).status_code == 404  # not asked: still nothing
