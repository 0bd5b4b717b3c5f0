"""Awards as 360Giving open data (standard 1.4): a JSON data package or a CSV with the
standard's column titles. Both are produced as a stream of text chunks from a queryset read with
`.iterator(chunk_size=...)`, so 100,000 grants cost the memory of a few thousand.

Choices (documented for publishers):
- Published: awards the council accepted, and those that went on to be active or completed.
  Offers not yet accepted, declined, withdrawn and terminated awards are not published.
- Not published: grants from targeted rounds (open only to a named list of councils, such as
  those rated Red or Amber-Red in the cyber stocktake). Every recipient is on the list, and the
  funder gives each council its place there in confidence, so publishing the grants would publish
  part of the list. The open data page says so.
- id: `360G-<GRANTBENCH_360_PREFIX>-<award reference>`.
- amountDisbursed: paid minus money returned or clawed back (what the council kept), never
  below zero, so it equals the sum of what the recipient holds.
- recipientOrganization id: `GB-LAE-<code>` for English councils, else the body's org-id.
- fundingOrganization id: the funder's own org-id if it has one, else the GRANTBENCH_FUNDER_ORG_ID
  setting (environment variable of the same name).
- amountAppliedFor: the amount the bid asked for (left out for awards entered without a bid).
- beneficiaryLocation: the lead council's area, with its GSS code and the geoCodeType that code
  is an instance of (E06 UA, E07 NMD, E08 MD, E09 LONB, E10 CTY: the ONS entity of the code, so
  type and code always agree), and locationScope GLS050 (a local authority area). An award to a
  standing partnership lists every member's area after the lead's: the members on the award date,
  its partners (grants.awards.services.partnerships keeps the two the same). The CSV has one set
  of location columns, so it carries the lead's area.
"""

import csv
import json
from collections.abc import Callable, Iterator
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from grants.awards.models import Award, AwardStatus
from grants.awards.selectors import ZERO, paid_and_returned
from grants.core.money import pounds
from grants.models import Round

PUBLISHED = (AwardStatus.ACCEPTED, AwardStatus.ACTIVE, AwardStatus.COMPLETED)
TARGETED_LEFT_OUT = (
    "{round} is open only to invited councils, so its grants are not published as open data: "
    "they would show which councils were invited"
)
CHUNK = 2000
CSV_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Amount Disbursed",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
    "Location Scope",
    "Last Modified",
]
# The ONS entity of an English (or Welsh) council's GSS code, as the standard's geoCodeType
# codelist gives it.
GSS_ENTITY_TO_GEOCODE_TYPE = {"E06": "UA", "W06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "E10": "CTY"}
LOCAL_AUTHORITY_SCOPE = "GLS050"


VALUES = (
    "pk", "reference", "title", "scope", "amount", "match_funding", "award_date", "planned_start", "planned_end", "updated_at",
    "round__programme__code", "round__programme__name", "round__programme__funder__name",
    "round__programme__funder__code", "round__programme__funder__nation", "round__programme__funder__other_identifier",
    "lead_id", "lead__name", "lead__code", "lead__nation", "lead__other_identifier", "lead__gss_code",
    "bid__amount_requested", "paid_amount", "returned_amount", "partnership_id",
)  # fmt: skip


def grants_queryset(*, programme_slug: str = "", round_slug: str = "", programmes=None) -> QuerySet:
    """Published awards as plain rows (no model instances: five per grant would cost more than
    the JSON), with paid and returned amounts, oldest first (stable order for diffs)."""
    targeted = Round.eligible_organisations.through.objects.filter(round_id=OuterRef("round_id"))
    qs = Award.objects.filter(status__in=PUBLISHED).exclude(Exists(targeted))
    if programmes is not None:
        qs = qs.filter(round__programme__in=programmes)
    if programme_slug:
        qs = qs.filter(round__programme__slug=programme_slug)
    if round_slug:
        qs = qs.filter(round__slug=round_slug)
    return qs.annotate(**paid_and_returned()).order_by("pk").values(*VALUES)


def _member_locations(award_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The partners' (name, GSS code) of partnership awards, in one query for a chunk of grants."""
    out: dict[int, list[tuple[str, str]]] = {pk: [] for pk in award_ids}
    rows = (
        Award.partners.through.objects.filter(award_id__in=award_ids)
        .values_list("award_id", "organisation__name", "organisation__gss_code")
        .order_by("award_id", "organisation__name")
    )
    for award_id, name, gss in rows:
        out[award_id].append((name, gss))
    return out


def _with_members(rows: Iterator[dict]) -> Iterator[dict]:
    """Rows with `member_locations` for partnership awards, looked up a chunk at a time."""
    batch: list[dict] = []

    def flush() -> Iterator[dict]:
        found = _member_locations([r["pk"] for r in batch if r.get("partnership_id")])
        for r in batch:
            yield {**r, "member_locations": found.get(r["pk"], [])}
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            yield from flush()
    yield from flush()


def _amount(v: Decimal) -> int | float:
    """JSON numbers: whole pounds as integers, pence kept (the standard wants a number)."""
    v = Decimal(v).quantize(Decimal("0.01"))
    return int(v) if v == v.to_integral_value() else float(v)


def _org_id(code: str | None, nation: str, other: str) -> str:
    """As Organisation.org_id_360: GB-LAE-<code> for English councils, else the body's org-id."""
    return f"GB-LAE-{code}" if code and nation == "England" else other


def geocode_type(gss_code: str | None) -> str:
    """The geoCodeType of a council's GSS code ('' when it is not a council area's code)."""
    return GSS_ENTITY_TO_GEOCODE_TYPE.get((gss_code or "")[:3], "")


def _description(row: dict) -> str:
    """The award's scope (or title), with its match funding, if any, as a last sentence."""
    text = (row["scope"] or row["title"]).rstrip()
    if row["match_funding"]:
        stop = "" if text.endswith((".", "!", "?")) else "."
        text = f"{text}{stop} Match funded: the recipient adds {pounds(row['match_funding'])}."
    return text


def grant(row: dict) -> dict:
    """One award (a row of grants_queryset) as a 360Giving grant."""
    prefix = settings.GRANTBENCH_360_PREFIX
    paid = row["paid_amount"] or ZERO
    returned = row["returned_amount"] or ZERO
    funder_id = _org_id(
        row["round__programme__funder__code"],
        row["round__programme__funder__nation"],
        row["round__programme__funder__other_identifier"],
    )
    lead_id = _org_id(row["lead__code"], row["lead__nation"], row["lead__other_identifier"])
    g = {
        "id": f"360G-{prefix}-{row['reference']}",
        "title": row["title"],
        "description": _description(row),
        "currency": "GBP",
        **({"amountAppliedFor": _amount(row["bid__amount_requested"])} if row["bid__amount_requested"] else {}),
        "amountAwarded": _amount(row["amount"]),
        "amountDisbursed": _amount(max(paid - returned, ZERO)),
        "awardDate": row["award_date"].isoformat(),
        "recipientOrganization": [{"id": lead_id or f"360G-{prefix}-ORG-{row['lead_id']}", "name": row["lead__name"]}],
        "fundingOrganization": [
            {"id": funder_id or settings.GRANTBENCH_FUNDER_ORG_ID, "name": row["round__programme__funder__name"]}
        ],
        "grantProgramme": [{"code": row["round__programme__code"], "title": row["round__programme__name"]}],
        "dateModified": row["updated_at"].isoformat(),
    }
    if row["planned_start"] and row["planned_end"]:
        g["plannedDates"] = [{"startDate": row["planned_start"].isoformat(), "endDate": row["planned_end"].isoformat()}]
    places = [(row["lead__name"], row["lead__gss_code"])]
    if row.get("partnership_id"):
        members = row.get("member_locations")
        places += members if members is not None else _member_locations([row["pk"]])[row["pk"]]
    locations = [
        {"name": name, "geoCode": gss, "geoCodeType": geocode_type(gss), "countryCode": "GB"}
        for name, gss in places
        if geocode_type(gss)
    ]
    if locations:
        g["beneficiaryLocation"] = locations
        g["locationScope"] = LOCAL_AUTHORITY_SCOPE
    return g


def csv_row(g: dict) -> list:
    """The CSV row for a grant dict, so JSON and CSV always agree."""
    planned = (g.get("plannedDates") or [{}])[0]
    loc = (g.get("beneficiaryLocation") or [{}])[0]
    rec, fun, prog = g["recipientOrganization"][0], g["fundingOrganization"][0], g["grantProgramme"][0]
    return [
        g["id"], g["title"], g["description"], g["currency"], g.get("amountAppliedFor", ""), g["amountAwarded"],
        g["amountDisbursed"], g["awardDate"], rec["id"], rec["name"], fun["id"], fun["name"], prog["code"],
        prog["title"], planned.get("startDate", ""), planned.get("endDate", ""), loc.get("name", ""),
        loc.get("countryCode", ""), loc.get("geoCode", ""), loc.get("geoCodeType", ""), g.get("locationScope", ""),
        g["dateModified"],
    ]  # fmt: skip


class _Line:
    def write(self, value: str) -> str:
        return value


def chunks(qs: QuerySet[Award], fmt: str, progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """The file as text chunks. `progress(n)` is told how many grants are done every CHUNK."""
    done = 0
    if fmt == "csv":
        writer = csv.writer(_Line())
        yield writer.writerow(CSV_COLUMNS)
        for award in _with_members(qs.iterator(chunk_size=CHUNK)):
            yield writer.writerow(csv_row(grant(award)))
            done += 1
            if progress and done % CHUNK == 0:
                progress(done)
    else:
        yield '{"grants": ['
        for award in _with_members(qs.iterator(chunk_size=CHUNK)):
            yield ("," if done else "") + "\n" + json.dumps(grant(award), ensure_ascii=False)
            done += 1
            if progress and done % CHUNK == 0:
                progress(done)
        yield "\n]}\n"
    if progress:
        progress(done)


def write(fileobj, qs: QuerySet[Award], fmt: str, progress: Callable[[int], None] | None = None) -> int:
    """Write to a text file object; returns the number of grants."""
    count = [0]

    def track(n: int) -> None:
        count[0] = n
        if progress:
            progress(n)

    for chunk in chunks(qs, fmt, track):
        fileobj.write(chunk)
    return count[0]
