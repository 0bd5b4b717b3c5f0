"""360Giving, issue 18 item 4: every grant the funder made is published (historic ones too), every
council of a grant has its area in beneficiaryLocation, and co-funders follow the funder, in the
JSON and the CSV alike."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from grants.awards.models import Award
from grants.awards.selectors import award_councils
from grants.reporting import threesixty
from tests import factories as f

from . import factories as rf
from .test_open_data import assert_valid

pytestmark = pytest.mark.django_db


def _export(tmp_path, *args) -> tuple[list[dict], list[dict]]:
    call_command("export_360giving", "--out", str(tmp_path / "g.json"), *args)
    call_command("export_360giving", "--out", str(tmp_path / "g.csv"), *args)
    package = json.loads((tmp_path / "g.json").read_text())
    assert_valid(package)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "g.csv").read_text(encoding="utf-8"))))
    return package["grants"], rows


def _references(grants: list[dict]) -> set[str]:
    """The award references of the grants (ids are 360G-<prefix>-<reference>)."""
    from django.conf import settings

    head = f"360G-{settings.GRANTBENCH_360_PREFIX}-"
    assert all(g["id"].startswith(head) for g in grants)
    return {g["id"].removeprefix(head) for g in grants}


def test_every_grant_made_is_published_and_only_those(world, tmp_path):
    """Accepted, active, completed and terminated awards are grants made, from a bid or entered
    from history; a withdrawn award only once money moved. Offers, declined offers and awards
    withdrawn before any money moved are not."""
    rnd = world["rounds"][1]
    made = {
        "terminated, all money returned": rf.AwardSpec(1, "terminated", 25000, paid=[25000], returned=25000),
        "terminated, never paid": rf.AwardSpec(1, "terminated", 8000),
        "withdrawn after payment": rf.AwardSpec(1, "withdrawn", 9000, paid=[3000]),
        "withdrawn, money returned": rf.AwardSpec(1, "withdrawn", 9500, returned=100),
    }
    not_made = {
        "withdrawn before any money": rf.AwardSpec(1, "withdrawn", 7000),
        "offered": rf.AwardSpec(1, "offered", 6000),
        "declined": rf.AwardSpec(1, "declined", 5000),
    }
    awards = {k: rf.make_award(rnd, s) for k, s in {**made, **not_made}.items()}
    historic = {
        s: rf.make_award(rnd, rf.AwardSpec(1, s, 4000)) for s in ("completed", "terminated", "withdrawn", "declined")
    }
    Award.objects.filter(pk__in=[a.pk for a in historic.values()]).update(is_historic=True, bid=None)
    grants, rows = _export(tmp_path)
    published = _references(grants)
    assert [r["Identifier"] for r in rows] == [g["id"] for g in grants]
    for name in made:
        assert awards[name].reference in published, name
    for name in not_made:
        assert awards[name].reference not in published, name
    assert historic["completed"].reference in published and historic["terminated"].reference in published
    assert historic["withdrawn"].reference not in published and historic["declined"].reference not in published
    returned = next(g for g in grants if g["id"].endswith(awards["terminated, all money returned"].reference))
    assert returned["amountAwarded"] == 25000 and returned["amountDisbursed"] == 0  # a grant made, all given back


def test_the_councils_of_a_grant_lead_first_then_partners_by_name(world):
    lead = rf.make_org(0, 0)
    zeta = f.OrganisationFactory(name="Zeta District Council")
    alpha = f.OrganisationFactory(name="Alpha District Council")
    police = f.FunderFactory(name="Testshire Police")
    award = rf.make_award(world["rounds"][0], rf.AwardSpec(0, "active", 1000), lead=lead)
    award.partners.add(zeta, police, alpha)
    councils = award_councils([award.pk])[award.pk]
    assert councils == [
        (lead.name, lead.gss_code),
        (alpha.name, alpha.gss_code),
        (police.name, ""),
        (zeta.name, zeta.gss_code),
    ]


def test_a_joint_bids_partners_areas_are_in_the_json_and_the_csv(world, tmp_path):
    """A joint bid's partners (not only a standing partnership's members) are beneficiaries:
    JSON lists every council's area, and the CSV numbers one set of location columns for each."""
    rnd = world["rounds"][0]
    lead = f.OrganisationFactory(name="Lambeth Test Council", gss_code="E09000022", code="LBX")
    southwark = f.OrganisationFactory(name="Southwark Test Council", gss_code="E09000028", code="SWX")
    kent = f.OrganisationFactory(name="Kent Test County Council", gss_code="E10000016", code="KTX")
    police = f.FunderFactory(name="Testshire Police")
    award = rf.make_award(rnd, rf.AwardSpec(0, "active", 30000), lead=lead)
    award.partners.add(southwark, kent, police)
    grants, rows = _export(tmp_path)
    g = next(g for g in grants if g["id"].endswith(award.reference))
    assert [(loc["name"], loc["geoCode"], loc["geoCodeType"]) for loc in g["beneficiaryLocation"]] == [
        ("Lambeth Test Council", "E09000022", "LONB"),
        ("Kent Test County Council", "E10000016", "CTY"),
        ("Southwark Test Council", "E09000028", "LONB"),
    ]  # the police force has no council area
    row = next(r for r in rows if r["Identifier"] == g["id"])
    assert [row[f"Beneficiary Location:{i}:Geographic Code"] for i in range(3)] == [
        "E09000022", "E10000016", "E09000028",
    ]  # fmt: skip
    assert row["Beneficiary Location:1:Geographic Code Type"] == "CTY"
    assert row["Beneficiary Location:2:Name"] == "Southwark Test Council"
    assert "Beneficiary Location:3:Name" in row and row["Beneficiary Location:3:Name"] == ""  # room for 4 bodies
    lone = next(r for r in rows if r["Identifier"] != g["id"])
    assert lone["Beneficiary Location:0:Name"] and lone["Beneficiary Location:1:Name"] == ""


def test_co_funders_follow_the_funder_in_json_and_csv(world, tmp_path, settings):
    programme = world["rounds"][0].programme
    cabinet = f.FunderFactory(name="Cabinet Office", other_identifier="GB-GOR-D2")
    council = f.OrganisationFactory(name="Kentish Town Council", code="KTC")  # a council's id is GB-LAE-<code>
    programme.co_funders.add(cabinet, council, programme.funder)  # the funder is never listed twice
    grants, rows = _export(tmp_path)
    mine = [g for g in grants if g["grantProgramme"][0]["code"] == programme.code]
    others = [g for g in grants if g["grantProgramme"][0]["code"] != programme.code]
    assert mine and others
    for g in mine:
        assert g["fundingOrganization"] == [
            {"id": settings.GRANTBENCH_FUNDER_ORG_ID, "name": programme.funder.name},
            {"id": "GB-GOR-D2", "name": "Cabinet Office"},
            {"id": "GB-LAE-KTC", "name": "Kentish Town Council"},
        ]
        row = next(r for r in rows if r["Identifier"] == g["id"])
        assert (row["Funding Org:0:Identifier"], row["Funding Org:1:Identifier"], row["Funding Org:2:Name"]) == (
            settings.GRANTBENCH_FUNDER_ORG_ID, "GB-GOR-D2", "Kentish Town Council",
        )  # fmt: skip
    for g in others:
        assert len(g["fundingOrganization"]) == 1
        row = next(r for r in rows if r["Identifier"] == g["id"])
        assert row["Funding Org:1:Identifier"] == row["Funding Org:2:Identifier"] == ""


def test_a_co_funder_without_an_id_gets_the_publishers_own(world, settings):
    programme = world["rounds"][0].programme
    body = f.FunderFactory(name="Unregistered Trust", other_identifier="")
    programme.co_funders.add(body)
    row = threesixty.grants_queryset(programme_slug=programme.slug).first()
    assert threesixty.grant(row)["fundingOrganization"][1] == {
        "id": f"360G-{settings.GRANTBENCH_360_PREFIX}-ORG-{body.pk}",
        "name": "Unregistered Trust",
    }


def test_csv_widths_fit_the_grant_with_most_councils_and_funders(world):
    programme = world["rounds"][0].programme
    programme.co_funders.add(f.FunderFactory(other_identifier="GB-GOR-D2"), f.FunderFactory(other_identifier="X-1"))
    award = world["awards"][0]
    award.partners.add(f.OrganisationFactory(), f.OrganisationFactory(), f.OrganisationFactory())
    assert threesixty.csv_widths(threesixty.grants_queryset()) == {"funders": 3, "locations": 4}
    other = world["rounds"][2].programme.slug
    assert threesixty.csv_widths(threesixty.grants_queryset(programme_slug=other)) == {"funders": 1, "locations": 1}
