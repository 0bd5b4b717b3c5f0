"""A NUL byte in a query string or form post never reaches a view (PostgreSQL refuses them)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_nul_in_query_string_is_dropped(personas, client_for):
    response = client_for(personas.programme_manager).get(reverse("grants:staff_organisations") + "?q=Ke%00nt")
    assert response.status_code == 200
    assert response.context["query"] == "Kent"


def test_nul_in_a_form_post_is_dropped(personas, client_for):
    url = reverse("grants:staff_organisation_create")
    response = client_for(personas.programme_manager).post(
        url,
        {
            "name": "Kent\x00 Police",
            "short_name": "Kent Police",
            "kind": "police",
            "region": "",
            "other_identifier": "",
            "gss_code": "",
        },
    )
    assert response.status_code == 302
    from grants.models import Organisation

    assert Organisation.objects.filter(name="Kent Police").exists()
