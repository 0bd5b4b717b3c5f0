from datetime import date

import pytest

from grants.models import Organisation, OrganisationAlias, OrgKind
from grants.models.organisations import COUNCIL_KINDS
from grants.selectors import organisation_search
from grants.services import councils_load


@pytest.fixture
def councils(db):
    councils_load()


def test_every_current_english_principal_council_is_loaded(councils):
    assert Organisation.objects.filter(kind__in=COUNCIL_KINDS, end_date__isnull=True).count() == 317


def test_council_facts_are_kept(councils):
    kent = Organisation.objects.get(code="KEN")
    assert kent.name == "Kent County Council"
    assert kent.short_name == "Kent"
    assert kent.gss_code == "E10000016"
    assert kent.kind == OrgKind.COUNTY
    assert kent.region == "South East"
    assert kent.org_id_360 == "GB-LAE-KEN"
    assert kent.geocode_type == "CTY"
    assert Organisation.objects.get(code="LND").kind == OrgKind.CITY_OF_LONDON
    assert Organisation.objects.get(code="HNS").geocode_type == "LONB"  # Hounslow


def test_former_councils_keep_their_dates(councils):
    former = Organisation.objects.filter(kind__in=COUNCIL_KINDS, end_date__isnull=False)
    assert former.count() > 20
    shepway = Organisation.objects.get(code="SHE")  # renamed Folkestone and Hythe, same code
    assert shepway.end_date is None
    aylesbury = Organisation.objects.get(code="AYL")  # abolished for Buckinghamshire in 2020
    assert aylesbury.end_date == date(2020, 3, 31)


def test_loading_twice_changes_nothing(councils):
    before = (Organisation.objects.count(), OrganisationAlias.objects.count())
    result = councils_load()
    assert result["created"] == 0
    assert (Organisation.objects.count(), OrganisationAlias.objects.count()) == before


@pytest.mark.parametrize(
    "query, expected",
    [("Kent", "KEN"), ("ken", "KEN"), ("E10000016", "KEN"), ("Shepway", "SHE"), ("bristol", "BST")],
)
def test_search_by_name_code_or_former_name(councils, query, expected):
    codes = [o.code for o in organisation_search(query=query)]
    assert codes[0] == expected or expected in codes


def test_exact_code_match_comes_first(councils):
    assert organisation_search(query="KEN")[0].code == "KEN"


@pytest.mark.parametrize("query, current, former", [("Somerset", "SMT", "SOM"), ("Buckinghamshire", "BUC", "BKM")])
def test_the_current_council_comes_before_the_one_it_replaced(councils, query, current, former):
    """On PostgreSQL NULLs sort last, so a plain order by end_date put former councils first."""
    results = list(organisation_search(query=query))
    codes = [o.code for o in results]
    assert codes[0] == current
    assert codes.index(current) < codes.index(former)
    ended = [o.end_date is not None for o in results if o.short_name.lower() != query.lower()]
    assert ended == sorted(ended), "current councils are listed before former ones"


def test_search_by_former_gss_code(councils):
    # North East Combined Authority had E47000005 before the 2024 boundary change.
    assert organisation_search(query="E47000005")[0].code == "NECA"
    assert organisation_search(query="e47000005")[0].code == "NECA"


def test_search_ignores_empty_query(councils):
    assert list(organisation_search(query="  ")) == []


def test_no_alias_is_a_fragment_of_a_name(councils):
    names = list(OrganisationAlias.objects.values_list("name", flat=True))
    assert not [n for n in names if len(n.strip()) < 4 or n.strip().lower() in ("city of", "county of")]
    bristol = set(OrganisationAlias.objects.filter(organisation__code="BST").values_list("name", flat=True))
    assert "Bristol, City of" in bristol  # the register's inverted name, put back together


def test_a_combined_authority_does_not_answer_to_a_member_councils_name(councils):
    ntca = {
        n.lower() for n in OrganisationAlias.objects.filter(organisation__code="NTCA").values_list("name", flat=True)
    }
    assert "newcastle upon tyne" not in ntca
    assert "newcastle upon tyne, north tyneside and northumberland combined authority" in ntca
    assert organisation_search(query="Newcastle upon Tyne")[0].code == "NET"


def test_loading_again_removes_fragments_an_earlier_loader_stored(councils):
    bristol, ntca = Organisation.objects.get(code="BST"), Organisation.objects.get(code="NTCA")
    for org, name in ((bristol, "City of"), (bristol, "city of"), (ntca, "Newcastle Upon Tyne")):
        OrganisationAlias.objects.create(organisation=org, name=name)
    before = OrganisationAlias.objects.count()
    assert councils_load()["aliases_removed"] == 3
    assert OrganisationAlias.objects.count() == before - 3
    assert councils_load()["aliases_removed"] == 0


@pytest.mark.parametrize(
    "raw, grouping, expected",
    [
        ("City of Bristol,Bristol, City of,Bristol UA", False, {"City of Bristol", "Bristol, City of", "Bristol UA"}),
        ("herefordshire, county of,Hfd", False, {"herefordshire, county of"}),
        ("County of,Bury", False, {"Bury"}),
        (
            "Newcastle Upon Tyne, North Tyneside and Northumberland CA,Newcastle Upon Tyne",
            True,
            {"Newcastle Upon Tyne, North Tyneside and Northumberland CA"},
        ),
    ],
)
def test_alias_names(raw, grouping, expected):
    from grants.councils import alias_names

    assert alias_names(raw, grouping=grouping, council_names=frozenset({"newcastle upon tyne"})) == expected
