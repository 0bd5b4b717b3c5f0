"""One Public Estate's standing partnerships in the demo: reach across phases, idempotent."""

from datetime import date
from decimal import Decimal

import pytest

from grants import demo as grants_demo
from grants.awards import demo
from grants.awards.models import Award
from grants.models import AuditEvent, Partnership, PartnershipMember, Programme
from grants.reporting.board_reach import board_reach
from grants.reporting.reach import councils_reached
from grants.reporting.threesixty import grant, grants_queryset
from tests.conftest import seeded_for_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _seeded_once_for_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The grants and awards seeds run once for the module (they were nearly all of each test's
    time); each test meets the data as seeded, in a savepoint rolled back after it."""
    with seeded_for_module(
        django_db_blocker, tmp_path_factory.mktemp("media"), lambda: demo.seed(context=grants_demo.seed())
    ):
        yield


@pytest.fixture
def ope(_seeded_once_for_module, db):
    return Programme.objects.get(slug="one-public-estate")


def test_partnerships_demo_is_idempotent(ope):
    counts = (
        Partnership.objects.count(),
        PartnershipMember.objects.count(),
        Award.objects.count(),
        AuditEvent.objects.filter(action__startswith="partnership.").count(),
        AuditEvent.objects.filter(action="award.partnership").count(),
    )
    demo.seed(context=grants_demo.seed())
    assert counts == (
        Partnership.objects.count(),
        PartnershipMember.objects.count(),
        Award.objects.count(),
        AuditEvent.objects.filter(action__startswith="partnership.").count(),
        AuditEvent.objects.filter(action="award.partnership").count(),
    )
    assert counts[:2] == (3, 18)  # 17 councils from the start, one joined later


def test_partnerships_receive_awards_across_phases_with_members_on_the_award_date(ope):
    cp = Partnership.objects.get(code="OPE-CP")
    assert sorted(cp.awards.values_list("round__slug", flat=True)) == ["ope-phase-5", "ope-phase-7"]
    nn = Partnership.objects.get(code="OPE-NN")
    phase_5, phase_7 = nn.awards.order_by("award_date")
    assert "GRY" in phase_5.partners.values_list("code", flat=True)  # Great Yarmouth left in between
    assert "GRY" not in phase_7.partners.values_list("code", flat=True)
    assert "ECA" in cp.awards.get(round__slug="ope-phase-7").partners.values_list("code", flat=True)
    assert "ECA" not in cp.awards.get(round__slug="ope-phase-5").partners.values_list("code", flat=True)


def test_demo_reach(ope):
    # Phase 5 as the report gives it: "249 councils in 60 partnerships" (70 per cent of councils);
    # 12 of them in the two standing partnerships, the rest in joint bids (history/one-public-estate.xlsx).
    early = councils_reached([ope.pk], date(2017, 3, 31))[ope.pk]
    assert (early.councils, early.partnerships, early.england_councils) == (249, 2, 353)
    assert early.share_percent == Decimal("70.5")
    # Phase 7 adds 59 partnerships' councils; Great Yarmouth left Norfolk's partnership in between.
    later = councils_reached([ope.pk], date(2019, 6, 30))[ope.pk]
    assert (later.councils, later.partnerships, later.england_councils) == (292, 3, 343)
    assert later.share_percent == Decimal("85.1")
    (section,) = board_reach([ope.pk], date(2019, 6, 30))[ope.pk]
    assert section.rows == [[292, 3, 343, Decimal("85.1")]]
    assert councils_reached([ope.pk], date(2016, 12, 31))[ope.pk].councils == 0


def test_open_data_lists_every_members_area(ope):
    award = Award.objects.get(reference="OPE7-000002")
    g = grant(grants_queryset().get(pk=award.pk))
    names = [loc["name"] for loc in g["beneficiaryLocation"]]
    assert names[0] == award.lead.name
    assert sorted(names[1:]) == sorted(award.partners.values_list("name", flat=True))
    assert len(names) == 5 and all(loc["geoCodeType"] for loc in g["beneficiaryLocation"])
    joint_award = Award.objects.get(reference="OPE7-000004")
    joint = grant(grants_queryset().get(reference="OPE7-000004"))
    # A one-off joint bid: its partners are beneficiaries too (issue 18, item 4), lead first.
    assert [loc["name"] for loc in joint["beneficiaryLocation"]] == [
        joint_award.lead.name,
        *joint_award.partners.order_by("name").values_list("name", flat=True),
    ]
    assert len(joint["beneficiaryLocation"]) == 2


def test_the_open_data_file_with_partnership_awards_is_valid_and_the_stream_agrees(ope):
    import json

    from grants.reporting.threesixty import chunks
    from tests.reporting.test_open_data import assert_valid

    qs = grants_queryset(programme_slug="one-public-estate")
    package = json.loads("".join(chunks(qs, "json")))
    assert_valid(package)
    by_id = {g["id"].rsplit("-", 2)[-2] + "-" + g["id"].rsplit("-", 1)[-1]: g for g in package["grants"]}
    assert len(by_id["OPE5-000001"]["beneficiaryLocation"]) == 6  # lead and five members on its date
    assert len(by_id["OPE7-000001"]["beneficiaryLocation"]) == 7  # East Cambridgeshire had joined
