"""360Giving, issue 19 (export speed): the export, rebuilt to stream tuples with its dates written
by the database and its returned money read once, writes the same files, byte for byte, as the
build it replaced. That build is kept here, frozen, as the oracle (`_previous_grant`: Python
dates and `isoformat`, every column joined into every row, returned money per row), and run on
a dataset with the awkward cases: historic awards, partners (a police force, a Welsh council, a
standing partnership), co-funders, a withdrawn award with money moved and one without, a targeted
round left out, money in pence, and modification times near midnight in Europe/London, either
side of the clock changes and with and without microseconds. Both backends: run it on SQLite and
on PostgreSQL (DATABASE_URL), whose date formatting differs (grants/reporting/isotext.py)."""

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from grants.awards.models import Award, FundReturn, PaymentTranche
from grants.awards.selectors import ZERO, award_councils, paid_and_returned
from grants.core.money import pounds
from grants.models import Round
from grants.reporting import threesixty
from grants.reporting.isotext import IsoDate, IsoDateTimeUTC
from tests import factories as f

from . import factories as rf
from .test_open_data import assert_valid
from .test_open_data_stream import tricky  # noqa: F401  (the fixture, shared)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# Modification times: London midnight in summer (23:00 UTC) and winter, the spring-forward and
# fall-back hours, microseconds none, with trailing zeros, and all nines.
MODIFIED = [
    datetime(2024, 6, 30, 23, 0, tzinfo=UTC),
    datetime(2024, 6, 30, 23, 59, 59, 120000, tzinfo=UTC),
    datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2025, 1, 1, 0, 0, tzinfo=LONDON),
    datetime(2024, 3, 31, 0, 59, 59, 500, tzinfo=UTC),
    datetime(2024, 10, 27, 1, 30, 0, 1, tzinfo=LONDON, fold=1),
    datetime(2024, 10, 26, 23, 30, tzinfo=LONDON),
]


@pytest.fixture
def awkward(tricky):  # noqa: F811
    """`tricky`, plus a targeted round's award (left out), pence paid and returned, and the
    modification times and dates above on the published awards."""
    rnd = tricky["joint"].round
    targeted = f.RoundFactory(programme=rnd.programme, financial_year=2020)
    targeted.eligible_organisations.add(tricky["joint"].lead)
    hidden = rf.make_award(targeted, rf.AwardSpec(0, "active", 5000))
    pence = rf.make_award(rnd, rf.AwardSpec(0, "terminated", 12000, paid=[6000], returned=1))
    PaymentTranche.objects.filter(award=pence).update(amount=Decimal("6000.37"))
    FundReturn.objects.filter(award=pence).update(amount=Decimal("1234.56"))
    Award.objects.filter(pk=pence.pk).update(
        amount=Decimal("12000.10"), planned_start=date(2024, 4, 1), planned_end=date(2025, 3, 31)
    )
    for award_pk, modified in zip(Award.objects.order_by("pk").values_list("pk", flat=True), MODIFIED, strict=False):
        Award.objects.filter(pk=award_pk).update(updated_at=modified, award_date=modified.astimezone(LONDON).date())
    return {**tricky, "hidden": hidden, "pence": pence}


# The previous build, as it was before issue 19's speed work (kept only as the oracle).
_PROGRAMME = ("code", "name", "funder_id", "funder__name", "funder__code", "funder__nation", "funder__other_identifier")
_LEAD = ("name", "code", "nation", "other_identifier", "gss_code")
_VALUES = (
    "pk", "reference", "title", "scope", "amount", "match_funding", "award_date", "planned_start", "planned_end",
    "updated_at", "round__programme_id", "lead_id", "bid__amount_requested", "paid_amount", "returned_amount",
    *(f"round__programme__{c}" for c in _PROGRAMME), *(f"lead__{c}" for c in _LEAD),
)  # fmt: skip


def _previous_rows():
    targeted = Round.eligible_organisations.through.objects.filter(round_id=OuterRef("round_id"))
    qs = Award.objects.annotate(**paid_and_returned()).filter(threesixty.grants_made()).exclude(Exists(targeted))
    return qs.order_by("pk").values(*_VALUES)


def _previous_amount(v: Decimal) -> int | float:
    v = v.quantize(Decimal("0.01"))
    return int(v) if v == v.to_integral_value() else float(v)


def _previous_funding(row: dict) -> list[dict]:
    org = threesixty._org_id
    funder_id = org(row["round__programme__funder__code"], row["round__programme__funder__nation"],
                    row["round__programme__funder__other_identifier"])  # fmt: skip
    out = [
        {"id": funder_id or threesixty.settings.GRANTBENCH_FUNDER_ORG_ID, "name": row["round__programme__funder__name"]}
    ]
    seen = {out[0]["id"]}
    for body in threesixty.co_funders([row["round__programme_id"]])[row["round__programme_id"]]:
        if body["pk"] != row["round__programme__funder_id"] and body["id"] not in seen:
            seen.add(body["id"])
            out.append({"id": body["id"], "name": body["name"]})
    return out


def _previous_grant(row: dict) -> dict:
    prefix = threesixty.settings.GRANTBENCH_360_PREFIX
    text = (row["scope"] or row["title"]).rstrip()
    if row["match_funding"]:
        stop = "" if text.endswith((".", "!", "?")) else "."
        text = f"{text}{stop} Match funded: the recipient adds {pounds(row['match_funding'])}."
    paid, returned = row["paid_amount"] or ZERO, row["returned_amount"] or ZERO
    lead_id = threesixty._org_id(row["lead__code"], row["lead__nation"], row["lead__other_identifier"])
    g = {
        "id": f"360G-{prefix}-{row['reference']}",
        "title": row["title"],
        "description": text,
        "currency": "GBP",
        **(
            {"amountAppliedFor": _previous_amount(row["bid__amount_requested"])} if row["bid__amount_requested"] else {}
        ),
        "amountAwarded": _previous_amount(row["amount"]),
        "amountDisbursed": _previous_amount(max(paid - returned, ZERO)),
        "awardDate": row["award_date"].isoformat(),
        "recipientOrganization": [{"id": lead_id or f"360G-{prefix}-ORG-{row['lead_id']}", "name": row["lead__name"]}],
        "fundingOrganization": _previous_funding(row),
        "grantProgramme": [{"code": row["round__programme__code"], "title": row["round__programme__name"]}],
        "dateModified": row["updated_at"].isoformat(),
    }
    if row["planned_start"] and row["planned_end"]:
        g["plannedDates"] = [{"startDate": row["planned_start"].isoformat(), "endDate": row["planned_end"].isoformat()}]
    locations = []
    for name, gss in award_councils([row["pk"]])[row["pk"]]:
        if code_type := threesixty.geocode_type(gss):
            locations.append({"name": name, "geoCode": gss, "geoCodeType": code_type, "countryCode": "GB"})
    if locations:
        g["beneficiaryLocation"] = locations
        g["locationScope"] = threesixty.LOCAL_AUTHORITY_SCOPE
    return g


def _previous_file(fmt: str) -> str:
    grants = [_previous_grant(row) for row in _previous_rows()]
    if fmt == "json":
        body = "".join(("," if i else "") + "\n" + json.dumps(g, ensure_ascii=False) for i, g in enumerate(grants))
        return '{"grants": [' + body + "\n]}\n"
    widths = threesixty.csv_widths(threesixty.grants_queryset())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(threesixty.csv_columns(**widths))
    writer.writerows(threesixty.csv_row(g, **widths) for g in grants)
    return out.getvalue()


def _exported(fmt: str) -> str:
    out = io.StringIO()
    threesixty.write(out, threesixty.grants_queryset(), fmt)
    return out.getvalue()


@pytest.mark.parametrize("chunk", [threesixty.CHUNK, 2])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_export_writes_the_previous_builds_file_byte_for_byte(awkward, monkeypatch, fmt, chunk):
    monkeypatch.setattr(threesixty, "CHUNK", chunk)  # 2: partners and returns across chunk boundaries
    previous = _previous_file(fmt)
    assert _exported(fmt) == previous
    if fmt == "json":
        package = json.loads(previous)
        assert_valid(package)
        prefix = threesixty.settings.GRANTBENCH_360_PREFIX
        grants = {g["id"].removeprefix(f"360G-{prefix}-"): g for g in package["grants"]}
        assert awkward["hidden"].reference not in grants and awkward["unpaid"].reference not in grants
        assert awkward["paid_then_withdrawn"].reference in grants and awkward["historic"].reference in grants
        first = grants[Award.objects.order_by("pk").first().reference]  # midnight in London (BST): 23:00 UTC
        assert (first["dateModified"], first["awardDate"]) == ("2024-06-30T23:00:00+00:00", "2024-07-01")
        pence = grants[awkward["pence"].reference]
        assert (pence["amountAwarded"], pence["amountDisbursed"]) == (12000.1, 4765.81)
        assert pence["plannedDates"] == [{"startDate": "2024-04-01", "endDate": "2025-03-31"}]


def test_the_database_writes_dates_and_times_as_python_does(db):
    """The one formula for the file's dates (isotext) against `isoformat` of the values Django
    loads, on this backend, for every awkward time above; an empty date stays empty."""
    award = rf.make_award(f.RoundFactory(), rf.AwardSpec(0, "active", 1000))
    for modified in MODIFIED:
        day = modified.astimezone(LONDON).date()
        Award.objects.filter(pk=award.pk).update(updated_at=modified, award_date=day, planned_start=None)
        row = (
            Award.objects.filter(pk=award.pk)
            .annotate(text=IsoDateTimeUTC("updated_at"), day=IsoDate("award_date"), start=IsoDate("planned_start"))
            .values("text", "updated_at", "day", "award_date", "start")
            .get()
        )
        assert row["text"] == row["updated_at"].isoformat(), modified
        assert row["day"] == row["award_date"].isoformat() == day.isoformat()
        assert row["start"] is None


@pytest.mark.parametrize("fmt, queries", [("json", 6), ("csv", 8)])
def test_the_export_runs_the_same_queries_however_many_grants(awkward, monkeypatch, fmt, queries):
    """Programmes, co-funders, leads, returned money, the grants and their partners (and the CSV's
    two widths), for chunks of 2 as for one."""
    monkeypatch.setattr(threesixty, "CHUNK", 2)
    with CaptureQueriesContext(connection) as ctx:
        _exported(fmt)
    assert len(ctx.captured_queries) == queries
