"""360Giving output: valid against the standard's schema, right ids and GSS codes, only accepted
awards, the same from the command, the staff page and the published snapshot."""

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from grants.models import OrgKind
from grants.reporting import services
from grants.reporting.models import ExportJob, ExportStatus, PublishedFile
from grants.reporting.threesixty import csv_columns

from . import factories as rf

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "360giving"


def validator() -> jsonschema.Draft202012Validator:
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    ref = package["properties"]["grants"]["items"]["$ref"]
    resource = DRAFT202012.create_resource(grant)  # its $schema says http://, which referencing does not know
    registry = Registry().with_resources([(grant["$id"], resource), (ref, resource)])
    return jsonschema.Draft202012Validator(package, registry=registry, format_checker=jsonschema.FormatChecker())


def assert_valid(package: dict) -> None:
    errors = sorted(validator().iter_errors(package), key=lambda e: e.path)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.fixture
def kent(personas):
    from tests import factories as f

    return f.OrganisationFactory(
        name="Kentish Test County Council", code="KTX", gss_code="E10000016", kind=OrgKind.COUNTY, region="South East"
    )


def test_json_package_is_valid_with_council_ids_and_gss_codes(world, kent, tmp_path, settings):
    settings.GRANTBENCH_360_PREFIX = "GB-LAE-TEST"
    award = rf.make_award(world["rounds"][0], rf.AwardSpec(0, "active", 12345, paid=[5000], returned=1000), lead=kent)
    out = tmp_path / "grants.json"
    call_command("export_360giving", "--out", str(out))
    package = json.loads(out.read_text())
    assert_valid(package)
    ids = {g["id"] for g in package["grants"]}
    # grants made only: not offered, declined (world) ...
    published = [a for a in world["awards"] if a.status in ("accepted", "active", "completed")] + [award]
    assert ids == {f"360G-GB-LAE-TEST-{a.reference}" for a in published}
    g = next(g for g in package["grants"] if g["id"].endswith(award.reference))
    assert g["recipientOrganization"] == [{"id": "GB-LAE-KTX", "name": "Kentish Test County Council"}]
    assert g["beneficiaryLocation"][0] | {} == {
        "name": "Kentish Test County Council", "geoCode": "E10000016", "geoCodeType": "CTY", "countryCode": "GB"
    }  # fmt: skip
    assert g["amountAwarded"] == 12345 and g["amountDisbursed"] == 4000 and g["currency"] == "GBP"
    assert g["grantProgramme"] == [
        {"code": world["rounds"][0].programme.code, "title": world["rounds"][0].programme.name}
    ]
    assert g["fundingOrganization"][0]["id"] == settings.GRANTBENCH_FUNDER_ORG_ID
    assert g["plannedDates"][0]["startDate"] == award.planned_start.isoformat()


def _codelist(name: str) -> dict[str, dict]:
    with open(SCHEMAS / name, encoding="utf-8") as fh:
        return {row["Code"]: row for row in csv.DictReader(fh)}


def _entity(code_type: str) -> set[str]:
    """The ONS entities (E06...) whose GSS codes a geoCodeType covers, from the code list."""
    rows = csv.DictReader((SCHEMAS / "geoCodeType.csv").read_text(encoding="utf-8").splitlines())
    return {r["Documentation (URL)"].rsplit("/", 1)[-1] for r in rows if r["Code"] == code_type}


def test_geocode_type_is_the_type_of_the_gss_code_for_every_council_in_the_register(world):
    """Every current English council the project loads (mySociety's register), end to end for
    one council of each type, and through the same function for all of them: the GSS code's
    ONS entity is the one the geoCodeType code list gives (E06 UA, E07 NMD, E08 MD, E09 LONB,
    E10 CTY)."""
    from grants.models import Organisation
    from grants.models.organisations import COUNCIL_KINDS
    from grants.reporting.threesixty import geocode_type, grant, grants_queryset

    councils = Organisation.objects.filter(kind__in=COUNCIL_KINDS, nation="England").exclude(gss_code="")
    assert councils.count() > 300  # the register is loaded by a data migration
    seen = set()
    for org in councils:
        code_type = geocode_type(org.gss_code)
        assert code_type, (org.name, org.gss_code)
        assert org.gss_code[:3] in _entity(code_type), (org.name, org.gss_code, code_type)
        seen.add(code_type)
    assert seen == {"UA", "NMD", "MD", "LONB", "CTY"}
    rounds = world["rounds"]
    for code_type in sorted(seen):
        org = next(o for o in councils if geocode_type(o.gss_code) == code_type)
        a = rf.make_award(rounds[0], rf.AwardSpec(0, "accepted", 1000), lead=org)
        g = grant(grants_queryset().get(pk=a.pk))
        loc = g["beneficiaryLocation"][0]
        assert (loc["geoCode"], loc["geoCodeType"], loc["countryCode"]) == (org.gss_code, code_type, "GB")
        assert loc["geoCode"][:3] in _entity(loc["geoCodeType"])
        assert g["recipientOrganization"][0]["id"] == f"GB-LAE-{org.code}"
    assert geocode_type("E92000001") == geocode_type("") == geocode_type(None) == ""  # England: not a council


def _schema_columns() -> dict[str, tuple[str, ...]]:
    """Every CSV column title the grant schema defines, as flatten-tool names them ("Recipient
    Org:Identifier" for recipientOrganization[0].id), with the JSON path it stands for."""
    schema = json.loads((SCHEMAS / "360-giving-schema.json").read_text())

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        return node

    columns = {}
    for name, prop in schema["properties"].items():
        title = prop.get("title") or resolve(prop).get("title")
        columns[title] = (name,)
        for child, sub in resolve(prop.get("items", {})).get("properties", {}).items():
            columns[f"{title}:{sub.get('title') or resolve(sub).get('title')}"] = (name, child)
    return columns


def _unnumbered(column: str) -> str:
    """'Funding Org:0:Identifier' -> 'Funding Org:Identifier': the title without its list index."""
    return ":".join(part for part in column.split(":") if not part.isdigit())


def test_csv_columns_are_the_standards_titles_and_hold_the_json_values(world, tmp_path):
    from grants.awards.models import Award

    bid = rf.make_bid(world["rounds"][0], rf.BidSpec(0, 45678))
    Award.objects.filter(pk=world["awards"][0].pk).update(bid=bid)
    call_command("export_360giving", "--out", str(tmp_path / "g.json"))
    call_command("export_360giving", "--out", str(tmp_path / "g.csv"), "--format", "csv")
    schema_columns = _schema_columns()
    assert schema_columns["Last Modified"] == ("dateModified",)  # the resolver itself
    assert schema_columns["Beneficiary Location:Country Code"] == ("beneficiaryLocation", "countryCode")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "g.csv").read_text())))
    columns = csv_columns()  # no partners, no co-funders: one numbered set each
    assert list(rows[0].keys()) == columns
    unknown = [c for c in columns if _unnumbered(c) not in schema_columns]
    assert not unknown, f"not column titles of the standard: {unknown}"
    grants = json.loads((tmp_path / "g.json").read_text())["grants"]
    assert [r["Identifier"] for r in rows] == [g["id"] for g in grants]
    for row, g in zip(rows, grants, strict=True):
        for column in columns:
            path = schema_columns[_unnumbered(column)]
            value = g.get(path[0], "")
            if len(path) == 2:
                value = value[0].get(path[1], "") if value else ""
            assert row[column] == str(value), (column, row[column], value)
    with_bid = next(g for g in grants if g["id"].endswith(world["awards"][0].reference))
    assert with_bid["amountAppliedFor"] == 45678
    assert all("amountAppliedFor" not in g for g in grants if g is not with_bid)  # no bid: not known
    assert_valid({"grants": grants})


def test_codes_written_are_in_the_standards_code_lists(world, tmp_path):
    call_command("export_360giving", "--out", str(tmp_path / "g.json"))
    grants = json.loads((tmp_path / "g.json").read_text())["grants"]
    assert grants
    currencies, scopes = _codelist("currency.csv"), _codelist("locationScope.csv")
    regrant, geo = _codelist("regrantType.csv"), _codelist("geoCodeType.csv")
    for g in grants:
        assert g["currency"] in currencies and currencies[g["currency"]]["Title"] == "Pound sterling"
        assert scopes[g["locationScope"]]["Title"] == "Local authority"
        assert "regrantType" not in g or g["regrantType"] in regrant  # councils spend it themselves
        assert all(loc["geoCodeType"] in geo for loc in g["beneficiaryLocation"])


def test_funder_with_its_own_org_id_uses_it(world, tmp_path):
    funder = world["rounds"][0].programme.funder
    funder.other_identifier = "GB-GOR-D2"
    funder.save()
    out = tmp_path / "g.json"
    call_command("export_360giving", "--out", str(out), "--programme", world["rounds"][0].programme.slug)
    grants = json.loads(out.read_text())["grants"]
    assert grants and all(g["fundingOrganization"][0]["id"] == "GB-GOR-D2" for g in grants)


def test_round_filter_and_bad_slugs(world, tmp_path):
    rnd = world["rounds"][2]
    out = tmp_path / "r.json"
    call_command("export_360giving", "--out", str(out), "--round", rnd.slug)
    grants = json.loads(out.read_text())["grants"]
    assert [g["id"].rsplit("-", 2)[-2:] for g in grants] == [world["awards"][4].reference.split("-")]
    with pytest.raises(CommandError, match="No round"):
        call_command("export_360giving", "--out", str(out), "--round", "nope")
    with pytest.raises(CommandError, match="No grants match"):
        call_command("export_360giving", "--out", str(out), "--round", world["rounds"][3].slug)


def test_staff_page_export_runs_in_background_and_is_valid(
    client_for, world, personas, django_capture_on_commit_callbacks, settings
):
    c = client_for(personas.programme_manager)
    assert c.get(reverse("reporting:open_data_staff")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("reporting:open_data_staff"), {"fmt": "json", "programme": "", "round": ""})
    assert r.status_code == 302
    page = c.get(r.url)
    assert "Ready" in page.content.decode()
    job = page.context["job"]
    body = b"".join(c.get(reverse("reporting:export_file", args=[job.pk])).streaming_content)
    package = json.loads(body)
    assert_valid(package)
    # the manager's file holds only their programme's grants
    mine = {
        f"360G-{settings.GRANTBENCH_360_PREFIX}-{a.reference}"
        for a in world["awards"][:3]
        if a.status in ("accepted", "active", "completed")
    }
    assert {g["id"] for g in package["grants"]} == mine
    assert job.rows_done == job.rows_total == len(mine)


def test_publish_lists_the_file_publicly_and_streams_it(client_for, world, personas):
    admin = client_for(personas.administrator)
    assert client_for(personas.programme_manager).post(reverse("reporting:open_data_publish")).status_code == 404
    r = admin.post(reverse("reporting:open_data_publish"), {"format": "json"})
    assert r.status_code == 302
    pub = PublishedFile.objects.get()
    anon = client_for(None)
    page = anon.get(reverse("reporting:open_data")).content.decode()
    url = reverse("reporting:open_data_file", args=[pub.pk, pub.filename])
    assert url in page
    package = json.loads(b"".join(anon.get(url).streaming_content))
    assert_valid(package)
    assert pub.grants == len(package["grants"]) == 4


def test_the_validator_is_not_vacuous(world, tmp_path):
    out = tmp_path / "g.json"
    call_command("export_360giving", "--out", str(out))
    package = json.loads(out.read_text())
    package["grants"][0]["amountAwarded"] = "lots"
    package["grants"][0]["dateModified"] = "yesterday"
    messages = [e.message for e in validator().iter_errors(package)]
    assert any("'lots'" in m for m in messages) and any("yesterday" in m for m in messages)


def _post_open_data(client, capture, **data):
    with capture(execute=True):
        return client.post(reverse("reporting:open_data_staff"), {"fmt": "json", "programme": "", "round": ""} | data)


def test_staff_page_refuses_a_file_with_no_grants(client_for, world, personas, django_capture_on_commit_callbacks):
    """A package with no grants is invalid (minItems 1): the page says why instead of making one."""
    from tests import factories as f

    empty = f.ProgrammeFactory(name="Nothing accepted yet")
    c = client_for(personas.administrator)
    r = _post_open_data(c, django_capture_on_commit_callbacks, programme=empty.slug)
    assert r.status_code == 200
    assert "There are no grants to publish" in r.content.decode()
    offered_only = world["rounds"][3]  # its one award is only offered
    r = _post_open_data(c, django_capture_on_commit_callbacks, programme=offered_only.programme.slug,
                        round=offered_only.slug)  # fmt: skip
    assert "There are no grants to publish" in r.content.decode()
    assert not ExportJob.objects.exists()


def test_staff_page_round_must_be_in_the_programme(client_for, world, personas, django_capture_on_commit_callbacks):
    c = client_for(personas.administrator)
    r = _post_open_data(c, django_capture_on_commit_callbacks, programme=personas.programme.slug,
                        round=world["rounds"][2].slug)  # fmt: skip
    assert r.status_code == 200
    assert "Choose a round in the programme you chose, or all rounds" in r.content.decode()
    assert not ExportJob.objects.exists()
    with pytest.raises(services.ReportingError, match="is not a round of"):
        services.export_request(
            user=personas.administrator, table=services.OPEN_DATA, fmt="csv",
            params={"programme": personas.programme.slug, "round": world["rounds"][2].slug},
        )  # fmt: skip


def test_background_360_export_of_unknown_or_invisible_programme_is_404(client_for, world, personas):
    c = client_for(personas.other_programme_manager)
    url = reverse("reporting:export_new")
    for query in (f"programme={personas.programme.slug}", "programme=no-such", f"round={world['rounds'][0].slug}"):
        assert c.post(url, {"table": "360giving", "format": "json", "query": query}).status_code == 404, query
    assert not ExportJob.objects.exists()


def test_360_job_with_nothing_left_to_publish_fails_rather_than_writing_an_invalid_file(world, personas):
    job = services.export_request(
        user=personas.administrator, table=services.OPEN_DATA, fmt="json", params={"round": world["rounds"][2].slug}
    )
    world["awards"][4].__class__.objects.filter(pk=world["awards"][4].pk).update(status="declined")
    job = services.export_run(job_id=job.pk)
    assert job.status == ExportStatus.FAILED and not job.file
    assert job.error == "No grants match any more, so there is no file"


def test_an_administrator_withdraws_a_published_file(client_for, world, personas):
    from grants.models import AuditEvent

    admin = client_for(personas.administrator)
    admin.post(reverse("reporting:open_data_publish"), {"format": "csv"})
    pub = PublishedFile.objects.get()
    file_url = reverse("reporting:open_data_file", args=[pub.pk, pub.filename])
    withdraw = reverse("reporting:open_data_withdraw", args=[pub.pk])
    staff_page = admin.get(reverse("reporting:open_data_staff")).content.decode()
    assert withdraw in staff_page
    assert (
        withdraw
        not in client_for(personas.programme_manager).get(reverse("reporting:open_data_staff")).content.decode()
    )
    assert client_for(personas.programme_manager).post(withdraw).status_code == 404  # administrators only
    assert client_for(None).get(file_url).status_code == 200
    r = admin.post(withdraw)
    assert r.status_code == 302 and r.url == reverse("reporting:open_data_staff")
    pub.refresh_from_db()
    assert pub.withdrawn
    event = AuditEvent.objects.get(action="open_data.withdrawn")
    assert event.actor == personas.administrator and event.target_id == str(pub.pk) and event.summary == pub.filename
    anon = client_for(None)
    assert pub.filename not in anon.get(reverse("reporting:open_data")).content.decode()
    assert anon.get(file_url).status_code == 404
    assert admin.post(withdraw).status_code == 404  # already withdrawn
    with pytest.raises(services.ReportingError, match="already been withdrawn"):
        services.open_data_withdraw(user=personas.administrator, published=pub)


def test_the_site_footer_links_to_the_open_data_page(client_for):
    html = client_for(None).get(reverse("home")).content.decode()
    footer = html.split('<footer class="govuk-template__footer"', 1)[1]
    assert f'href="{reverse("reporting:open_data")}"' in footer
