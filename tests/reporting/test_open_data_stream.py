"""360Giving, issue 19 item 2: the export streams its grants (programmes, leads and co-funders read
once, partners merged in step with the grants) and writes the same file, byte for byte, as the
grant-by-grant build (`threesixty.grant` on each row, which looks up its own councils and
co-funders), on a dataset with every awkward case; and its queries do not grow with the grants."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.awards.models import Award
from grants.awards.services.partnerships import award_partnership_set, partnership_create, partnership_member_leave
from grants.reporting import threesixty
from tests import factories as f

from . import factories as rf
from .test_open_data import assert_valid

pytestmark = pytest.mark.django_db


@pytest.fixture
def tricky(world):
    """The world's awards plus: a joint bid with partners (one a police force, one Welsh), a
    standing partnership's award (a member who left before the award date is not a partner), a
    programme with co-funders (the funder itself among them, one with no org-id), a historic
    award, a withdrawn award that paid money and one that did not, pence and match funding."""
    rnd, other = world["rounds"][0], world["rounds"][2]
    lambeth = f.OrganisationFactory(name="Lambeth Test Council", gss_code="E09000022", code="LBX")
    kent = f.OrganisationFactory(name="Kent Test County Council", gss_code="E10000016", code="KTX")
    cardiff = f.OrganisationFactory(name="Cardiff Test Council", gss_code="W06000015", nation="Wales")
    police = f.FunderFactory(name="Testshire Police")
    joint = rf.make_award(rnd, rf.AwardSpec(0, "active", 30000, paid=[1000]), lead=lambeth)
    joint.partners.add(kent, police, cardiff)
    Award.objects.filter(pk=joint.pk).update(amount=Decimal("30000.55"), match_funding=Decimal("1200.50"))

    members = [f.OrganisationFactory(name=f"Member {i} Council", gss_code=f"E0700000{i}") for i in range(3)]
    partnership = partnership_create(
        programme=rnd.programme, name="Test estate", lead=kent, formed_on=date(2010, 1, 1), actor=None,
        members=tuple(members),
    )  # fmt: skip
    partnership_member_leave(member=partnership.members.get(organisation=members[0]), left_on=date(2015, 1, 1), actor=None)  # fmt: skip
    award_partnership_set(award=rf.make_award(rnd, rf.AwardSpec(0, "completed", 8000)), partnership=partnership, actor=None)  # fmt: skip

    rnd.programme.co_funders.add(
        f.FunderFactory(name="Cabinet Office", other_identifier="GB-GOR-D2"),
        f.FunderFactory(name="Unregistered Trust", other_identifier=""),
        rnd.programme.funder,
    )
    historic = rf.make_award(other, rf.AwardSpec(2, "completed", 4000))
    Award.objects.filter(pk=historic.pk).update(is_historic=True, bid=None)
    paid_then_withdrawn = rf.make_award(other, rf.AwardSpec(2, "withdrawn", 9000, paid=[3000], returned=500))
    withdrawn_unpaid = rf.make_award(other, rf.AwardSpec(2, "withdrawn", 7000))
    return {
        "joint": joint,
        "historic": historic,
        "paid_then_withdrawn": paid_then_withdrawn,
        "unpaid": withdrawn_unpaid,
    }


def _grant_by_grant() -> list[dict]:
    """The previous build: every row of grants_queryset mapped alone (its councils and co-funders
    looked up for it by `grant`), in the queryset's order."""
    return [threesixty.grant(row) for row in threesixty.grants_queryset()]


def _exported(fmt: str) -> str:
    out = io.StringIO()
    threesixty.write(out, threesixty.grants_queryset(), fmt)
    return out.getvalue()


@pytest.mark.parametrize("chunk", [threesixty.CHUNK, 2])
def test_the_streamed_json_is_the_grant_by_grant_json_byte_for_byte(tricky, monkeypatch, chunk):
    monkeypatch.setattr(threesixty, "CHUNK", chunk)  # 2: partners merged across many chunk boundaries
    grants = _grant_by_grant()
    previous = '{"grants": [' + "".join(
        ("," if i else "") + "\n" + json.dumps(g, ensure_ascii=False) for i, g in enumerate(grants)
    ) + "\n]}\n"  # fmt: skip
    streamed = _exported("json")
    assert streamed == previous
    package = json.loads(streamed)
    assert_valid(package)
    ids = {g["id"] for g in package["grants"]}
    for name in ("joint", "historic", "paid_then_withdrawn"):
        assert any(i.endswith(tricky[name].reference) for i in ids), name
    assert not any(i.endswith(tricky["unpaid"].reference) for i in ids)
    joint = next(g for g in package["grants"] if g["id"].endswith(tricky["joint"].reference))
    assert [loc["geoCode"] for loc in joint["beneficiaryLocation"]] == ["E09000022", "W06000015", "E10000016"]
    assert joint["amountAwarded"] == 30000.55 and len(joint["fundingOrganization"]) == 3
    partnered = [g for g in package["grants"] if len(g.get("beneficiaryLocation", [])) == 3 and g is not joint]
    assert [loc["name"] for loc in partnered[0]["beneficiaryLocation"]] == [
        "Kent Test County Council", "Member 1 Council", "Member 2 Council",
    ]  # fmt: skip


@pytest.mark.parametrize("chunk", [threesixty.CHUNK, 2])
def test_the_streamed_csv_is_the_grant_by_grant_csv_byte_for_byte(tricky, monkeypatch, chunk):
    monkeypatch.setattr(threesixty, "CHUNK", chunk)
    widths = threesixty.csv_widths(threesixty.grants_queryset())
    previous = io.StringIO()
    writer = csv.writer(previous)
    writer.writerow(threesixty.csv_columns(**widths))
    writer.writerows(threesixty.csv_row(g, **widths) for g in _grant_by_grant())
    assert _exported("csv") == previous.getvalue()


def _queries(fmt: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _exported(fmt)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_exports_queries_do_not_grow_with_the_grants(tricky, monkeypatch, fmt):
    """Chunks of 2 grants: the queries for the tricky dataset and for it with 12 more grants
    (some with partners) are the same number."""
    monkeypatch.setattr(threesixty, "CHUNK", 2)
    before = _queries(fmt)
    rnd = tricky["joint"].round
    for i in range(12):
        award = rf.make_award(rnd, rf.AwardSpec(0, "active", 1000 + i, paid=[500]))
        if i % 3 == 0:
            award.partners.add(f.OrganisationFactory(gss_code=f"E0800000{i % 10}"))
    assert threesixty.grants_queryset().count() >= 20
    assert _queries(fmt) == before
