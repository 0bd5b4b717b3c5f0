"""Council regions follow ONS: a county council is in the region its districts are in.

The districts of a county come from the register's `county-la` column (kept in our copy), so the
test derives the answer from the data rather than naming the counties that were wrong."""

import csv
from collections import defaultdict

import pytest

from grants.councils import DATA_DIR
from grants.models import Organisation, OrgKind
from grants.services import councils_load


def _rows() -> list[dict[str, str]]:
    with open(DATA_DIR / "english_councils.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _districts_by_county(rows) -> dict[str, list[dict[str, str]]]:
    out = defaultdict(list)
    for row in rows:
        if row["county-la"]:
            out[row["county-la"]].append(row)
    return out


def test_every_county_council_is_in_its_districts_region():
    rows = _rows()
    districts = _districts_by_county(rows)
    counties = [r for r in rows if r["local-authority-type"] == "CTY"]
    assert counties and all(r["local-authority-code"] in districts for r in counties), "every county has districts"
    wrong = {
        c["local-authority-code"]: (c["region"], sorted({d["region"] for d in districts[c["local-authority-code"]]}))
        for c in counties
        if {d["region"] for d in districts[c["local-authority-code"]]} != {c["region"]}
    }
    assert wrong == {}


def test_every_council_has_a_region():
    assert [r["local-authority-code"] for r in _rows() if not r["region"]] == []


@pytest.mark.django_db
def test_loaded_county_councils_carry_their_districts_region():
    councils_load()
    districts = _districts_by_county(_rows())
    region = dict(Organisation.objects.filter(code__isnull=False).values_list("code", "region"))
    counties = Organisation.objects.filter(kind=OrgKind.COUNTY)
    assert counties.count() == len(districts)
    for county in counties:
        assert {region[d["local-authority-code"]] for d in districts[county.code]} == {county.region}, county.code
