"""A programme's co-funders (issue 18, item 4): set by its manager on the programme's edit page,
each with an organisation id for 360Giving, errors on the page keeping what was chosen."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants.models import AuditEvent, Programme
from grants.services import co_funder_errors, programme_save
from tests import factories as f

pytestmark = pytest.mark.django_db


def _edit(client, programme: Programme, **changes):
    data = {
        "name": programme.name,
        "slug": programme.slug,
        "code": programme.code,
        "description": programme.description,
        "funder": programme.funder_id,
        "partner_bodies": [],
        "co_funders": [],
        "contact_name": "",
        "contact_email": "",
    } | changes
    return client.post(reverse("grants:staff_programme_edit", args=[programme.slug]), data)


def test_a_manager_sets_co_funders_and_the_programme_page_shows_them(personas, client_for):
    cabinet = f.FunderFactory(name="Cabinet Office", short_name="Cabinet Office", other_identifier="GB-GOR-D2")
    mhclg = f.FunderFactory(name="Ministry of Housing", short_name="MHCLG", other_identifier="GB-GOR-D4")
    client = client_for(personas.programme_manager)
    page = client.get(reverse("grants:staff_programme_edit", args=[personas.programme.slug])).content.decode()
    assert "Co-funders (optional)" in page and "Cabinet Office" in page
    r = _edit(client, personas.programme, co_funders=[cabinet.pk, mhclg.pk])
    assert r.status_code == 302
    assert set(personas.programme.co_funders.all()) == {cabinet, mhclg}
    event = AuditEvent.objects.filter(action="programme.update").latest("pk")
    assert event.data["changes"]["co_funders"] == [[], ["Cabinet Office", "MHCLG"]]
    detail = client.get(reverse("grants:staff_programme_detail", args=[personas.programme.slug])).content.decode()
    assert "Cabinet Office (GB-GOR-D2), MHCLG (GB-GOR-D4)" in detail
    assert _edit(client, personas.programme, co_funders=[]).status_code == 302
    assert not personas.programme.co_funders.exists()


def test_a_co_funder_without_an_id_or_the_funder_itself_is_refused_on_the_page(personas, client_for):
    nameless = f.FunderFactory(short_name="Design Council", other_identifier="")
    cabinet = f.FunderFactory(short_name="Cabinet Office", other_identifier="GB-GOR-D2")
    client = client_for(personas.programme_manager)
    r = _edit(client, personas.programme, co_funders=[cabinet.pk, nameless.pk], name="Renamed in the same post")
    assert r.status_code == 200
    page = r.content.decode()
    assert "govuk-error-summary" in page
    assert "Design Council has no organisation identifier: add one on its organisation page" in page
    assert 'href="#id_co_funders' in page  # the summary links to the field
    assert "Renamed in the same post" in page  # what was typed is kept
    assert r.context["form"]["co_funders"].value() == [str(cabinet.pk), str(nameless.pk)]
    assert not personas.programme.co_funders.exists()
    r = _edit(client, personas.programme, co_funders=[personas.programme.funder_id])
    assert r.status_code == 200
    assert "is the funder: choose only the bodies that fund the grants with it" in r.content.decode()
    assert not personas.programme.co_funders.exists()


def test_the_service_refuses_what_the_form_refuses(personas):
    """Commands and other callers go through programme_save: the same rule, the same words."""
    council = f.OrganisationFactory(short_name="Kent")
    assert co_funder_errors(funder=personas.programme.funder, co_funders=[council]) == (
        "Kent is a council: co-funders are other public bodies"
    )
    nameless = f.FunderFactory(short_name="Design Council", other_identifier="")
    with pytest.raises(ValidationError) as caught:
        programme_save(actor=personas.administrator, programme=personas.programme, co_funders=[nameless])
    assert "Design Council has no organisation identifier" in str(caught.value.message_dict["co_funders"])
    assert not personas.programme.co_funders.exists()
    assert co_funder_errors(funder=personas.programme.funder, co_funders=[]) == ""


def test_a_co_funders_identifier_cannot_be_emptied_on_its_organisation_page(personas, client_for):
    cabinet = f.FunderFactory(name="Cabinet Office", short_name="Cabinet Office", other_identifier="GB-GOR-D2")
    personas.programme.co_funders.add(cabinet)
    data = {
        "name": "Cabinet Office", "short_name": "Cabinet Office", "kind": "other", "region": "",
        "other_identifier": "", "gss_code": "", "aliases": "",
    }  # fmt: skip
    url = reverse("grants:staff_organisation_edit", args=[cabinet.pk])
    r = client_for(personas.administrator).post(url, data)
    assert r.status_code == 200
    assert (
        f"Enter the identifier: Cabinet Office co-funds {personas.programme.name}, and open data names every "
        "funder by its identifier"
    ) in r.content.decode()
    cabinet.refresh_from_db()
    assert cabinet.other_identifier == "GB-GOR-D2"
    r = client_for(personas.administrator).post(url, data | {"other_identifier": "GB-GOR-D2X"})
    assert r.status_code == 302
    cabinet.refresh_from_db()
    assert cabinet.other_identifier == "GB-GOR-D2X"
