"""Forming a standing partnership from the pages (issue 17): programme managers, for the
programmes they manage."""

from datetime import date

import pytest
from django.urls import reverse

from grants.awards import services
from grants.models import AuditEvent, Partnership
from tests.factories import FunderFactory

pytestmark = pytest.mark.django_db

URL = "/staff/partnerships/new/"


def _form(personas, **changes) -> dict:
    return {
        "programme": str(personas.programme.pk),
        "name": "Kent and Medway estate",
        "code": "OPE-KM",
        "lead": "KEX",
        "members": "MDX, ldx",
        "formed_on_0": "1",
        "formed_on_1": "4",
        "formed_on_2": "2017",
        **changes,
    }


def test_the_url_is_named():
    assert reverse("awards:partnership_new") == URL


def test_a_manager_forms_one_with_its_members(client_for, personas, django_assert_max_num_queries):
    c = client_for(personas.programme_manager)
    assert reverse("awards:partnership_new") in c.get(reverse("awards:partnerships")).content.decode()
    with django_assert_max_num_queries(12):
        r = c.get(URL)
    page = r.content.decode()
    assert r.status_code == 200 and personas.programme.name in page
    assert personas.other_programme.name not in page  # only the programmes they manage are offered
    r = c.post(URL, _form(personas))
    p = Partnership.objects.get(name="Kent and Medway estate")
    assert r.status_code == 302 and r.url == p.get_absolute_url()
    assert p.programme == personas.programme and p.lead == personas.lead_org and p.code == "OPE-KM"
    members = {m.organisation: m.joined_on for m in p.members.all()}
    expected = {personas.lead_org, personas.partner_org, personas.other_org}
    assert members == dict.fromkeys(expected, date(2017, 4, 1))
    audit = AuditEvent.objects.get(action="partnership.created")
    assert audit.actor == personas.programme_manager
    assert "Kent and Medway estate formed" in c.get(r.url).content.decode()


def test_errors_are_shown_and_keep_what_was_typed(client_for, personas):
    c = client_for(personas.programme_manager)
    r = c.post(URL, _form(personas, lead="Nowhere", members="MDX, Atlantis, Medway Council"))
    page = r.content.decode()
    assert r.status_code == 200 and "govuk-error-summary" in page
    assert "No council matches &#x27;Nowhere&#x27;" in page and "No council matches &#x27;Atlantis&#x27;" in page
    # The reference data has a Medway Council too: the code is asked for.
    assert "More than one council matches &#x27;Medway Council&#x27;: enter its three-letter code" in page
    assert 'value="Nowhere"' in page and 'value="MDX, Atlantis, Medway Council"' in page and 'value="OPE-KM"' in page
    r = c.post(URL, {})
    page = r.content.decode()
    for error in ("Choose the programme", "Enter the partnership&#x27;s name", "Enter the lead council"):
        assert error in page
    # A funder is no council: the service refuses it as a member, on the form.
    funder = FunderFactory(name="Estates Trust", short_name="Estates Trust")
    r = c.post(URL, _form(personas, members=funder.name))
    assert "Only a council can be a member: Estates Trust is not" in r.content.decode()
    assert not Partnership.objects.exists()
    # The name is the programme's once (whatever the case): refused, with what was typed kept.
    services.partnership_create(
        programme=personas.programme, name="Kent and Medway estate", lead=personas.lead_org,
        formed_on=date(2016, 1, 1), actor=None,
    )  # fmt: skip
    r = c.post(URL, _form(personas, name="KENT AND MEDWAY ESTATE"))
    page = r.content.decode()
    assert (
        "already has a partnership called KENT AND MEDWAY ESTATE" in page and 'value="KENT AND MEDWAY ESTATE"' in page
    )
    assert Partnership.objects.count() == 1
    assert AuditEvent.objects.filter(action="partnership.created").count() == 1  # the seeded one only


def test_another_programmes_manager_cannot_form_one_for_it(client_for, personas):
    c = client_for(personas.other_programme_manager)
    page = c.get(URL).content.decode()
    assert personas.other_programme.name in page and f'value="{personas.programme.pk}"' not in page
    r = c.post(URL, _form(personas))  # forged: a programme they do not manage
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()
    assert not Partnership.objects.exists()
    r = c.post(URL, _form(personas, programme=str(personas.other_programme.pk)))
    assert r.status_code == 302 and Partnership.objects.get().programme == personas.other_programme


@pytest.mark.parametrize("who", ["finance_officer", "board_viewer", "lead_officer"])
def test_nobody_who_manages_no_programme_reaches_it(client_for, personas, who):
    c = client_for(getattr(personas, who))
    assert c.get(URL).status_code == 404
    assert c.post(URL, _form(personas)).status_code == 404
    assert not Partnership.objects.exists()
    if who != "lead_officer":  # staff who read partnerships are not offered the link
        assert reverse("awards:partnership_new") not in c.get(reverse("awards:partnerships")).content.decode()
