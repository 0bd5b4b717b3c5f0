"""Awards as 360Giving open data (standard 1.4): a JSON data package or a CSV with the
standard's column titles. Both are produced as a stream of text chunks from a queryset read with
`.iterator(chunk_size=...)`, so 100,000 grants cost the memory of a few thousand.

Choices (documented for publishers):
- Published: every grant the funder made, whether it came from a bid or was entered from history
  or imported (`is_historic`): awards the council accepted, including those that went on to be
  active, completed or terminated. A terminated award (ended early, some or all of its money
  returned: the two Channel Shift councils that could not proceed) was still a grant made, so it
  keeps its amount awarded and shows in amountDisbursed what the council kept. A withdrawn award
  is published only if money moved (paid or returned): then the grant had been made. Not
  published: offers not yet accepted (not yet a grant: the council may decline), declined offers
  (never a grant), and withdrawn offers or awards withdrawn before any money moved (the promise
  was taken back before anything was granted). `grants_made` is the rule.
- Not published: grants from targeted rounds (open only to a named list of councils, such as
  those rated Red or Amber-Red in the cyber stocktake). Every recipient is on the list, and the
  funder gives each council its place there in confidence, so publishing the grants would publish
  part of the list. The open data page says so.
- id: `360G-<GRANTBENCH_360_PREFIX>-<award reference>`.
- amountDisbursed: paid minus money returned or clawed back (what the council kept), never
  below zero, so it equals the sum of what the recipient holds.
- recipientOrganization id: `GB-LAE-<code>` for English councils, else the body's org-id.
- fundingOrganization: the funder first (its own org-id if it has one, else the
  GRANTBENCH_FUNDER_ORG_ID setting, environment variable of the same name), then the programme's
  co-funders by name (Programme.co_funders: the Cabinet Office in Cyber Security), each with its
  org-id (a body without one, which the programme page refuses, falls back to
  `360G-<prefix>-ORG-<pk>`, as recipients do). The schema makes fundingOrganization an array and
  360Giving's tools take its first item as the grant's funder.
- amountAppliedFor: the amount the bid asked for (left out for awards entered without a bid).
- beneficiaryLocation: the area of every council of the grant (`grants.awards.selectors.
  award_councils`: the lead, then the partners of a joint bid or the members of a standing
  partnership on the award date), each with its GSS code and the geoCodeType that code is an
  instance of (E06 UA, E07 NMD, E08 MD, E09 LONB, E10 CTY: the ONS entity of the code, so type and
  code always agree), and locationScope GLS050 (a local authority area). Partners with no council
  area (a police force) have no location.
- CSV: the standard's column titles. Lists that can hold several items in one grant (Funding Org,
  Beneficiary Location) are numbered from 0 in the main sheet, as 360Giving's guidance on several
  locations shows ("Beneficiary Location:0:Name", "Beneficiary Location:1:Name"...; "Funding
  Org:1:Identifier" for the first co-funder); the file has as many numbered sets as the grant
  with the most needs, and a grant with fewer leaves the rest empty. Lists of one item
  (Recipient Org, Grant Programme, Planned Dates) keep their plain titles.
"""

import csv
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import lru_cache
from itertools import islice

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from grants.awards.models import Award, AwardStatus, FundReturn
from grants.awards.selectors import ZERO, award_councils, award_councils_in_step, paid_and_returned
from grants.core.money import pounds
from grants.models import Organisation, Programme, Round

from .isotext import IsoDate, IsoDateTimeUTC

# Awards that are grants made whatever money moved; withdrawn ones count only if money moved.
GRANT_STATUSES = (AwardStatus.ACCEPTED, AwardStatus.ACTIVE, AwardStatus.COMPLETED, AwardStatus.TERMINATED)
TARGETED_LEFT_OUT = (
    "{round} is open only to invited councils, so its grants are not published as open data: "
    "they would show which councils were invited"
)
CHUNK = 2000
CENT = Decimal("0.01")
LOCATION_FIELDS = [
    ("Name", "name"),
    ("Country Code", "countryCode"),
    ("Geographic Code", "geoCode"),
    ("Geographic Code Type", "geoCodeType"),
]
FUNDER_FIELDS = [("Identifier", "id"), ("Name", "name")]
# The ONS entity of an English (or Welsh) council's GSS code, as the standard's geoCodeType
# codelist gives it.
GSS_ENTITY_TO_GEOCODE_TYPE = {"E06": "UA", "W06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "E10": "CTY"}
LOCAL_AUTHORITY_SCOPE = "GLS050"


# A grant's own columns, its dates as the text the file carries (`isotext`). Its programme (with
# the funder) and its lead are the same for thousands of grants, so they are read apart, once
# (`_programmes`, `_leads`), not joined into every row: the joins cost the database more than
# the lookups.
ROW = (
    "pk", "reference", "title", "scope", "amount", "match_funding", "award_on", "start_on", "end_on", "modified",
    "round__programme_id", "lead_id", "bid__amount_requested", "paid_amount", "returned_amount", "partnership_id",
)  # fmt: skip
# What the export streams: ROW as tuples, less what it reads once for the lot (returned_amount).
STREAM = ROW[: ROW.index("returned_amount")]
LEAD_AT = STREAM.index("lead_id")
PROGRAMME = ("code", "name", "funder_id", "funder__name", "funder__code", "funder__nation", "funder__other_identifier")
LEAD = ("name", "code", "nation", "other_identifier", "gss_code")
ISO_TEXT = {
    "award_on": IsoDate("award_date"),
    "start_on": IsoDate("planned_start"),
    "end_on": IsoDate("planned_end"),
    "modified": IsoDateTimeUTC("updated_at"),
}


def grants_made() -> Q:
    """Which awards are grants the funder made (on a queryset annotated with `paid_and_returned`):
    accepted, active, completed or terminated, historic or not; withdrawn only if money was paid
    or returned. See the module's notes for why."""
    moved = Q(paid_amount__gt=0) | Q(returned_amount__gt=0)
    return Q(status__in=GRANT_STATUSES) | (Q(status=AwardStatus.WITHDRAWN) & moved)


def grants_queryset(*, programme_slug: str = "", round_slug: str = "", programmes=None) -> QuerySet:
    """Published grants as plain rows (no model instances: five per grant would cost more than
    the JSON), with paid and returned amounts and their dates as the file writes them, oldest
    first (stable order for diffs)."""
    targeted = Round.eligible_organisations.through.objects.filter(round_id=OuterRef("round_id"))
    qs = Award.objects.annotate(**paid_and_returned(), **ISO_TEXT).filter(grants_made()).exclude(Exists(targeted))
    if programmes is not None:
        qs = qs.filter(round__programme__in=programmes)
    if programme_slug:
        qs = qs.filter(round__programme__slug=programme_slug)
    if round_slug:
        qs = qs.filter(round__slug=round_slug)
    return qs.order_by("pk").values(*ROW)


def _org_id(code: str | None, nation: str, other: str) -> str:
    """As Organisation.org_id_360: GB-LAE-<code> for English councils, else the body's org-id."""
    return f"GB-LAE-{code}" if code and nation == "England" else other


def co_funders(programme_ids: list[int]) -> dict[int, list[dict]]:
    """Each programme's co-funders as 360Giving organisations (id, name), by name, in one query."""
    out: dict[int, list[dict]] = {pk: [] for pk in programme_ids}
    rows = (
        Programme.co_funders.through.objects.filter(programme_id__in=programme_ids)
        .values_list(
            "programme_id", "organisation_id", "organisation__name", "organisation__code",
            "organisation__nation", "organisation__other_identifier",
        )
        .order_by("programme_id", "organisation__name")
    )  # fmt: skip
    prefix = settings.GRANTBENCH_360_PREFIX
    for programme_id, org_pk, name, code, nation, other in rows:
        org_id = _org_id(code, nation, other) or f"360G-{prefix}-ORG-{org_pk}"
        out[programme_id].append({"id": org_id, "name": name, "pk": org_pk})
    return out


def _programmes(ids: QuerySet | list[int]) -> dict[int, tuple[list[dict], list[dict]]]:
    """Each programme as its grants carry it (fundingOrganization, grantProgramme), by pk: the
    same two lists for all its grants, so built once (co-funders in one query)."""
    rows = Programme.objects.filter(pk__in=ids).values("pk", *PROGRAMME)
    programmes = {row.pop("pk"): {f"round__programme__{k}": v for k, v in row.items()} for row in rows}
    funders = co_funders(sorted(programmes))
    return {
        pk: (
            _funding_organisations({**columns, "round__programme_id": pk, "co_funders": funders[pk]}),
            _grant_programme(columns),
        )
        for pk, columns in programmes.items()
    }


def _leads(ids: QuerySet | list[int], prefix: str) -> dict[int, tuple[str, str, list[dict]]]:
    """Each lead (a few hundred councils for 100,000 grants) as (name, GSS code,
    recipientOrganization), by pk: built once, not for each of its grants."""
    rows = Organisation.objects.filter(pk__in=ids).values_list("pk", *LEAD)
    return {pk: (name, gss, _recipient(prefix, pk, name, *org)) for pk, name, *org, gss in rows}


def _returned(qs: QuerySet) -> dict[int, Decimal]:
    """Money returned by each award of `qs` that returned any, from the shared annotation.

    Read once rather than as a column of the stream: fund returns are few (a few hundred for
    100,000 awards), so PostgreSQL plans the per-award subquery as a scan of the whole table,
    and repeated 100,000 times that was most of the database's time. Every other award
    returned nothing, as the annotation's Coalesce says (ZERO)."""
    any_returned = Exists(FundReturn.objects.filter(award_id=OuterRef("pk")))
    awards = Award.objects.annotate(**paid_and_returned()).filter(any_returned, pk__in=qs.values("pk"))
    return dict(awards.order_by().values_list("pk", "returned_amount"))


def _stream(qs: QuerySet) -> Iterator[dict]:
    """The grants of `qs` (grants_queryset), as `grant` builds them, read as tuples in chunks
    with their partners merged in step (`award_councils_in_step`), so the queries are the same
    six for 10 grants or 100,000 (the CSV adds two for its widths) and the memory is a
    chunk's. The fragments grants share (programme, funders, lead, places) are built once."""
    prefix = settings.GRANTBENCH_360_PREFIX
    programmes, leads = _programmes(qs.values("round__programme_id")), _leads(qs.values("lead_id"), prefix)
    returned = _returned(qs)
    rows = qs.values_list(*STREAM).iterator(chunk_size=CHUNK)
    partners = Award.partners.through.objects.filter(award_id__in=qs.values("pk"))
    places = _Places()
    for row, councils in award_councils_in_step(rows, partners, lambda r: (r[0], *leads[r[LEAD_AT]][:2]), CHUNK):
        pk, reference, title, scope, amount, match, award_on, start_on, end_on, modified, prog, lead, applied, paid = (
            row
        )
        funding, programme = programmes[prog]
        yield _grant(
            prefix, reference, title, _description(scope, title, match), applied, amount,
            _disbursed(paid, returned.get(pk, ZERO)), award_on, leads[lead][2], funding, programme, modified,
            start_on, end_on, places.of(councils),
        )  # fmt: skip


@lru_cache(maxsize=8192)
def _amount(v: Decimal) -> int | float:
    """JSON numbers: whole pounds as integers, pence kept (the standard wants a number).
    Cached: grants repeat the same few thousand amounts, and quantizing each again cost more
    than looking it up."""
    v = (v if isinstance(v, Decimal) else Decimal(v)).quantize(CENT)
    return int(v) if v == v.to_integral_value() else float(v)


def _disbursed(paid: Decimal | None, returned: Decimal | None) -> int | float:
    """What the council kept: paid less returned, never below zero (most returned nothing)."""
    kept = (paid or ZERO) - returned if returned else (paid or ZERO)
    return _amount(kept) if kept > ZERO else 0


def geocode_type(gss_code: str | None) -> str:
    """The geoCodeType of a council's GSS code ('' when it is not a council area's code)."""
    return GSS_ENTITY_TO_GEOCODE_TYPE.get((gss_code or "")[:3], "")


class _Places:
    """The beneficiaryLocation items of councils (name, GSS code), each built once: a few
    hundred councils recur across 100,000 grants. A council with no area has none."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], dict | None] = {}

    def _location(self, council: tuple[str, str]) -> dict | None:
        name, gss = council
        if code_type := geocode_type(gss):
            return {"name": name, "geoCode": gss, "geoCodeType": code_type, "countryCode": "GB"}
        return None

    def of(self, councils: list[tuple[str, str]]) -> list[dict]:
        out = []
        for council in councils:
            if council not in self._seen:
                self._seen[council] = self._location(council)
            if (location := self._seen[council]) is not None:
                out.append(location)
        return out


def _description(scope: str, title: str, match_funding: Decimal | None) -> str:
    """The award's scope (or title), with its match funding, if any, as a last sentence."""
    text = (scope or title).rstrip()
    if match_funding:
        stop = "" if text.endswith((".", "!", "?")) else "."
        text = f"{text}{stop} Match funded: the recipient adds {pounds(match_funding)}."
    return text


def _funding_organisations(row: dict) -> list[dict]:
    """The funder first, then the programme's co-funders (never the funder twice)."""
    funder_id = _org_id(
        row["round__programme__funder__code"],
        row["round__programme__funder__nation"],
        row["round__programme__funder__other_identifier"],
    )
    out = [{"id": funder_id or settings.GRANTBENCH_FUNDER_ORG_ID, "name": row["round__programme__funder__name"]}]
    seen = {out[0]["id"]}
    for body in row["co_funders"]:
        if body["pk"] != row["round__programme__funder_id"] and body["id"] not in seen:
            seen.add(body["id"])
            out.append({"id": body["id"], "name": body["name"]})
    return out


def _grant_programme(row: dict) -> list[dict]:
    return [{"code": row["round__programme__code"], "title": row["round__programme__name"]}]


def _recipient(prefix: str, pk: int, name: str, code: str | None, nation: str, other: str) -> list[dict]:
    return [{"id": _org_id(code, nation, other) or f"360G-{prefix}-ORG-{pk}", "name": name}]


def _grant(
    prefix: str, reference: str, title: str, description: str, applied: Decimal | None, amount: Decimal,
    disbursed: int | float, award_on: str, recipient: list[dict], funding: list[dict], programme: list[dict],
    modified: str, start_on: str | None, end_on: str | None, locations: list[dict],
) -> dict:  # fmt: skip
    """The one place a grant's shape is written, for `grant` and for the stream alike (key
    order included: the file's bytes depend on it). Positional: it runs 100,000 times."""
    g = {"id": f"360G-{prefix}-{reference}", "title": title, "description": description, "currency": "GBP"}
    if applied:
        g["amountAppliedFor"] = _amount(applied)
    g["amountAwarded"] = _amount(amount)
    g["amountDisbursed"] = disbursed
    g["awardDate"] = award_on
    g["recipientOrganization"] = recipient
    g["fundingOrganization"] = funding
    g["grantProgramme"] = programme
    g["dateModified"] = modified
    if start_on and end_on:
        g["plannedDates"] = [{"startDate": start_on, "endDate": end_on}]
    if locations:
        g["beneficiaryLocation"] = locations
        g["locationScope"] = LOCAL_AUTHORITY_SCOPE
    return g


def grant(row: dict, *, prefix: str = "") -> dict:
    """One award (a row of grants_queryset) as a 360Giving grant, its programme, lead, councils
    and co-funders looked up for it: for one grant or a few. The export streams them
    (`_stream`), through the same `_grant`."""
    prefix = prefix or settings.GRANTBENCH_360_PREFIX
    funding, programme = _programmes([row["round__programme_id"]])[row["round__programme_id"]]
    recipient = _leads([row["lead_id"]], prefix)[row["lead_id"]][2]
    councils = award_councils([row["pk"]])[row["pk"]]
    return _grant(
        prefix, row["reference"], row["title"], _description(row["scope"], row["title"], row["match_funding"]),
        row["bid__amount_requested"], row["amount"], _disbursed(row["paid_amount"], row["returned_amount"]),
        row["award_on"], recipient, funding, programme, row["modified"], row["start_on"], row["end_on"],
        _Places().of(councils),
    )  # fmt: skip


def csv_columns(*, funders: int = 1, locations: int = 1) -> list[str]:
    """The CSV's column titles with room for `funders` funding organisations and `locations`
    beneficiary locations (numbered from 0, as the standard's guidance numbers several)."""
    return [
        "Identifier", "Title", "Description", "Currency", "Amount Applied For", "Amount Awarded",
        "Amount Disbursed", "Award Date", "Recipient Org:Identifier", "Recipient Org:Name",
        *(f"Funding Org:{i}:{title}" for i in range(funders) for title, _ in FUNDER_FIELDS),
        "Grant Programme:Code", "Grant Programme:Title", "Planned Dates:Start Date", "Planned Dates:End Date",
        *(f"Beneficiary Location:{i}:{title}" for i in range(locations) for title, _ in LOCATION_FIELDS),
        "Location Scope", "Last Modified",
    ]  # fmt: skip


def _numbered(items: list[dict], width: int, fields: list[tuple[str, str]]) -> list:
    cells = []
    for i in range(width):
        item = items[i] if i < len(items) else {}
        cells += [item.get(key, "") for _, key in fields]
    return cells


def csv_row(g: dict, *, funders: int = 1, locations: int = 1) -> list:
    """The CSV row for a grant dict, so JSON and CSV always agree (columns as `csv_columns`)."""
    planned = (g.get("plannedDates") or [{}])[0]
    rec, prog = g["recipientOrganization"][0], g["grantProgramme"][0]
    return [
        g["id"], g["title"], g["description"], g["currency"], g.get("amountAppliedFor", ""), g["amountAwarded"],
        g["amountDisbursed"], g["awardDate"], rec["id"], rec["name"],
        *_numbered(g["fundingOrganization"], funders, FUNDER_FIELDS),
        prog["code"], prog["title"], planned.get("startDate", ""), planned.get("endDate", ""),
        *_numbered(g.get("beneficiaryLocation", []), locations, LOCATION_FIELDS),
        g.get("locationScope", ""), g["dateModified"],
    ]  # fmt: skip


def csv_widths(qs: QuerySet) -> dict[str, int]:
    """How many numbered funder and location sets the CSV needs for these grants: the most any
    one grant can have (its councils; the funder and its programme's co-funders), in two queries."""
    awards = Award.objects.filter(pk__in=qs.values("pk"))
    partners = awards.annotate(n=Count("partners")).aggregate(m=Max("n"))["m"] or 0
    cofunded = (
        Programme.co_funders.through.objects.filter(programme_id__in=qs.values("round__programme_id"))
        .values("programme_id")
        .annotate(n=Count("pk"))
        .aggregate(m=Max("n"))["m"]
    )
    return {"funders": 1 + (cofunded or 0), "locations": 1 + partners}


# What json.dumps(grant, ensure_ascii=False) writes, built once rather than for each grant. The
# grants share their programme's, lead's and places' lists but never contain themselves, so the
# check for cycles (a tenth of the encoding time) is left out; the bytes are the same.
_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def _grants(qs: QuerySet) -> Iterator[list[dict]]:
    """The grants of `qs` as 360Giving dicts, CHUNK at a time."""
    stream = _stream(qs)
    while batch := list(islice(stream, CHUNK)):
        yield batch


def chunks(qs: QuerySet[Award], fmt: str, progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """The file as text chunks of CHUNK grants each (a few hundred kilobytes: few writes, flat
    memory). `progress(n)` is told how many grants are done after each."""
    done = 0
    if fmt == "csv":
        widths = csv_widths(qs)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(csv_columns(**widths))
        yield buffer.getvalue()
        for batch in _grants(qs):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(csv_row(g, **widths) for g in batch)
            yield buffer.getvalue()
            done += len(batch)
            if progress:
                progress(done)
    else:
        yield '{"grants": ['
        for batch in _grants(qs):
            yield ("," if done else "") + "\n" + ",\n".join(map(_JSON.encode, batch))
            done += len(batch)
            if progress:
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
