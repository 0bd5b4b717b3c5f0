"""Issue 17: the council's certifier of returns (section 151 officer or delegate) is a council
role: the signatory can give it when approving someone who asks to join, administrators on the
people pages; it acts for the council like an officer, and no approval makes a signatory."""

import pytest
from django.urls import reverse

from grants import membership
from grants.models import MembershipRequest, OrgRole
from grants.people_selectors import council_certifiers, is_council_certifier
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def join(personas):
    person = f.UserFactory(email="s151@kent.gov.uk", full_name="Sue Treasurer")
    return MembershipRequest.objects.create(user=person, organisation=personas.lead_org, matched_domain="kent.gov.uk")


def test_the_signatory_approves_someone_as_the_certifier(client_for, personas, join):
    signatory = client_for(personas.signatory)
    page = signatory.get(reverse("grants:join_request", args=[join.pk])).content.decode()
    assert "section 151 officer or delegate" in page
    response = signatory.post(reverse("grants:join_request", args=[join.pk]), {"decision": "approve_certifier"})
    assert response.status_code == 302
    person = join.user
    person.refresh_from_db()
    assert (person.organisation, person.org_role) == (personas.lead_org, OrgRole.CERTIFIER)
    assert list(council_certifiers(organisation_ids=[personas.lead_org.pk])) == [person]
    assert is_council_certifier(user=person, organisation_id=personas.lead_org.pk)
    assert not is_council_certifier(user=personas.lead_officer, organisation_id=personas.lead_org.pk)


def test_no_approval_makes_a_signatory(personas, join):
    with pytest.raises(membership.MembershipError):
        membership.decide(actor=personas.signatory, request=join, approve=True, org_role=OrgRole.SIGNATORY)
    join.refresh_from_db()
    assert join.user.organisation is None


def test_administrators_give_the_role_on_the_people_pages(client_for, personas):
    person = f.UserFactory(email="delegate@kent.gov.uk")
    page = client_for(personas.administrator).get(reverse("grants:staff_user", args=[person.pk]))
    assert "Section 151 officer or delegate (certifies returns)" in page.content.decode()
