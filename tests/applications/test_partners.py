"""Who may be a partner: councils and other public bodies, in England when the round is; the
picker lists only those, and the start and eligibility pages say how many partners a bid may have."""

import pytest

from applications import services
from grants.models import OrgKind
from tests import factories as f

from .test_services import start


@pytest.mark.parametrize("kind", [OrgKind.FIRE_RESCUE, OrgKind.POLICE, OrgKind.COMBINED_AUTHORITY, OrgKind.DISTRICT])
def test_public_bodies_may_be_partners(personas, kind):
    body = f.OrganisationFactory(short_name=f"A {kind}", kind=kind)
    bid = start(personas, partners=[body])
    assert bid.partners.get().organisation == body


@pytest.mark.parametrize("kind", [OrgKind.OTHER, OrgKind.CENTRAL_GOVERNMENT])
def test_funders_and_other_bodies_may_not(personas, kind):
    body = f.FunderFactory(short_name="Some Funder", kind=kind)
    with pytest.raises(services.BidError, match="Some Funder cannot be a partner: partners must be councils"):
        start(personas, partners=[body])
    bid = start(personas)
    with pytest.raises(services.BidError, match="cannot be a partner"):
        services.add_partner(bid=bid, actor=personas.lead_officer, organisation=body)
    assert not bid.partners.exists()


def test_england_only_round_refuses_partners_elsewhere(personas):
    welsh = f.OrganisationFactory(short_name="Cardiff", kind=OrgKind.UNITARY, nation="Wales")
    with pytest.raises(
        services.BidError, match="Cardiff cannot be a partner: this round is for organisations in England"
    ):
        start(personas, partners=[welsh])
    personas.round.england_only = False
    personas.round.save()
    assert start(personas, partners=[welsh]).partners.get().organisation == welsh


def test_partner_search_lists_only_acceptable_organisations(personas, client_for):
    f.FunderFactory(name="Medway Funding Body", short_name="Medway Funders")
    f.OrganisationFactory(name="Medway Fire and Rescue", short_name="Medway Fire", kind=OrgKind.FIRE_RESCUE)
    f.OrganisationFactory(name="Medway Wales", short_name="Medway Wales", kind=OrgKind.UNITARY, nation="Wales")
    bid = start(personas)
    client = client_for(personas.lead_officer)
    page = client.get(f"/bids/{bid.pk}/partners/", {"q": "Medway"}).content.decode()
    assert "Medway Council" in page and "Medway Fire and Rescue" in page
    assert "Medway Funding Body" not in page and "Medway Wales" not in page
    found = client.get(f"/rounds/{personas.round.slug}/partner-search/", {"q": "Medway"}).json()["results"]
    assert {r["name"] for r in found} == {"Medway", "Medway Fire"}
    assert (
        client.get(f"/rounds/{personas.round.slug}/partner-search/", {"q": "KEX"}).json()["results"] == []
    )  # the lead
    assert f"/rounds/{personas.round.slug}/partner-search/" in page


def test_start_and_eligibility_pages_give_the_partner_limit(personas, client_for):
    personas.round.max_partners = 3
    personas.round.save()
    page = client_for(personas.lead_officer).get(f"/rounds/{personas.round.slug}/apply/").content.decode()
    assert "jointly with up to 3 partners" in page and "Up to 3: three-letter codes" in page
    personas.round.eligible_regions = ["London"]
    personas.round.save()
    refused = client_for(personas.other_officer).get(f"/rounds/{personas.round.slug}/apply/").content.decode()
    assert "You cannot start a bid" in refused and "jointly with up to 3 partners" in refused
    personas.round.joint_bids_allowed = False
    personas.round.eligible_regions = []
    personas.round.save()
    alone = client_for(personas.lead_officer).get(f"/rounds/{personas.round.slug}/apply/").content.decode()
    assert "does not accept joint bids" in alone
