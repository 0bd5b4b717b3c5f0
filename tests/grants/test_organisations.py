"""Public bodies other than councils: added and changed by staff, audited, no duplicate names."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants.models import AuditEvent, Organisation
from grants.services import organisation_create, organisation_update
from tests import factories as f


def _org_post(**overrides) -> dict:
    data = {
        "name": "Kent Fire and Rescue Service",
        "short_name": "Kent Fire",
        "kind": "fire_rescue",
        "region": "South East",
        "other_identifier": "",
        "gss_code": "",
        "aliases": "",
    }
    data.update(overrides)
    return data


def test_staff_change_a_public_body_with_its_other_names(personas, client_for):
    body = f.FunderFactory(name="Kent Fire Authority", short_name="Kent Fire", kind="fire_rescue")
    client = client_for(personas.programme_manager)
    url = reverse("grants:staff_organisation_edit", args=[body.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _org_post(
            other_identifier="GB-GOR-PC000123",
            end_date_0="31",
            end_date_1="3",
            end_date_2="2024",
            aliases="Kent Fire Authority\nKFRS\n\n kent fire brigade ",
        ),
    )
    assert response.status_code == 302, response.text[:3000]
    body.refresh_from_db()
    assert (body.name, body.other_identifier, body.end_date) == (
        "Kent Fire and Rescue Service",
        "GB-GOR-PC000123",
        date(2024, 3, 31),
    )
    assert sorted(body.aliases.values_list("name", flat=True)) == ["KFRS", "Kent Fire Authority", "kent fire brigade"]
    event = AuditEvent.objects.get(action="organisation.update", target_id=str(body.pk))
    assert event.actor == personas.programme_manager
    assert event.data["changes"]["name"] == ["Kent Fire Authority", "Kent Fire and Rescue Service"]
    assert event.data["changes"]["aliases"] == [[], ["Kent Fire Authority", "kent fire brigade", "KFRS"]]
    # Searching by a former name finds it.
    listing = client.get(reverse("grants:staff_organisations") + "?q=kfrs")
    assert [o.pk for o in listing.context["results"]] == [body.pk]


def test_a_council_cannot_be_changed_here(personas, client_for):
    url = reverse("grants:staff_organisation_edit", args=[personas.lead_org.pk])
    assert client_for(personas.administrator).get(url).status_code == 404
    with pytest.raises(ValidationError):
        organisation_update(actor=personas.administrator, organisation=personas.lead_org, name="Kent CC")
    with pytest.raises(ValidationError):
        body = f.FunderFactory()
        organisation_update(actor=personas.administrator, organisation=body, kind="county")


@pytest.mark.parametrize("name", ["Kent Fire and Rescue Service", "KENT FIRE AND RESCUE SERVICE "])
def test_a_duplicate_body_name_is_refused_on_create(personas, client_for, name):
    f.FunderFactory(name="Kent Fire and Rescue Service", kind="fire_rescue")
    response = client_for(personas.programme_manager).post(
        reverse("grants:staff_organisation_create"), _org_post(name=name)
    )
    assert response.status_code == 200
    assert "An organisation with this name already exists" in response.text
    assert Organisation.objects.filter(name__iexact="kent fire and rescue service").count() == 1


def test_a_duplicate_body_name_is_refused_on_edit(personas, client_for):
    f.FunderFactory(name="Kent Police", kind="police")
    body = f.FunderFactory(name="Kent Constabulary", kind="police")
    response = client_for(personas.administrator).post(
        reverse("grants:staff_organisation_edit", args=[body.pk]), _org_post(name="kent police", kind="police")
    )
    assert response.status_code == 200
    assert "An organisation with this name already exists" in response.text
    body.refresh_from_db()
    assert body.name == "Kent Constabulary"


def test_a_body_may_share_a_councils_name_and_keep_its_own(personas):
    body = organisation_create(actor=personas.administrator, name="Kent County Council", short_name="KCC", kind="other")
    organisation_update(actor=personas.administrator, organisation=body, name="Kent County Council", short_name="Kent")


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": ""}, "Enter the official name"),
        ({"short_name": ""}, "Enter the short name"),
        ({"kind": ""}, "Select the type of organisation"),
        ({"kind": "county"}, "Select the type of organisation from the list"),
        ({"region": "Narnia"}, "Select the region from the list"),
        ({"gss_code": "E0700000000"}, "GSS code must be 9 characters or fewer"),
        ({"end_date_0": "31", "end_date_1": "2", "end_date_2": "2024"}, "The date it closed must be a real date"),
    ],
)
def test_organisation_form_messages_name_the_field(personas, client_for, overrides, message):
    response = client_for(personas.administrator).post(
        reverse("grants:staff_organisation_create"), _org_post(**overrides)
    )
    assert response.status_code == 200
    assert message in response.text
    assert "This field is required" not in response.text
