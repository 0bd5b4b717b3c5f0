"""Issue 18, item 2: the funder's history as workbooks (grants/awards/history/), read here from the
files as the importer will read them: the import format's sheets and headings, real current English
councils, and the counts and totals the productivity-programme reports give (shared/domain.md).
The figures are the reports'; a test fails when a workbook says otherwise."""

import csv
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from grants.awards.demo_history import HISTORY, ROUND_OUTPUTS, WORKBOOKS
from grants.awards.models.monitoring import OutputKind

D = Decimal
COUNCILS_CSV = Path(__file__).resolve().parents[2] / "grants" / "data" / "english_councils.csv"
BODIES = {"East Sussex Fire and Rescue Service"}  # a named recipient that is not a council
AWARDS = {
    "reference", "programme", "round", "lead", "partners", "title", "amount", "matchfunding", "awarddate",
    "status", "plannedstart", "plannedend", "scope", "source", "notes",
}  # fmt: skip
REQUIRED = {"reference", "programme", "round", "lead", "title", "amount", "awarddate"}
PAYMENTS = {"awardreference", "tranche", "amount", "dueon", "paidon", "paymentreference"}
RETURNS = {"awardreference", "period", "periodstart", "periodend", "dueon", "senton", "rag", "commentary"}
FUNDS = {"awardreference", "amount", "returnedon", "reason"}
SHEETS = {"awards": AWARDS, "payments": PAYMENTS, "returns": RETURNS, "returned funds": FUNDS}
STATUSES = {"active", "completed", "withdrawn", "terminated"}


def _key(heading: str) -> str:
    """A heading as the format matches it: case, spaces, underscores and hyphens ignored; an
    output column keeps its kind."""
    heading = str(heading).strip()
    if heading.lower().startswith("output:"):
        return "output:" + heading.split(":", 1)[1].strip().lower()
    return re.sub(r"[\s_-]", "", heading.lower())


def _read(path: Path) -> dict[str, tuple[list[str], list[dict]]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    out = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        head = [_key(h) for h in rows[0]]
        data = [dict(zip(head, r, strict=True)) for r in rows[1:] if any(v not in (None, "") for v in r)]
        out[ws.title.lower()] = (head, data)
    return out


@pytest.fixture(scope="module")
def books() -> dict[str, dict]:
    return {name: _read(HISTORY / name) for name in WORKBOOKS}


@pytest.fixture(scope="module")
def awards(books) -> list[dict]:
    return [row for book in books.values() for row in book["awards"][1]]


def _round(awards, slug: str) -> list[dict]:
    return [a for a in awards if a["round"] == slug]


def _total(rows) -> Decimal:
    return sum((D(str(a["amount"])) for a in rows), D(0))


def _codes(row: dict) -> list[str]:
    return [row["lead"], *[p.strip() for p in (row["partners"] or "").split(";") if p.strip()]]


def _current_english_councils() -> set[str]:
    with COUNCILS_CSV.open(encoding="utf-8") as f:
        return {
            r["local-authority-code"]
            for r in csv.DictReader(f)
            if r["local-authority-type"] not in ("COMB", "SRA") and not r["end-date"]
        }


def test_every_workbook_is_in_the_folder_and_the_folder_has_no_other():
    assert sorted(p.name for p in HISTORY.glob("*.xlsx")) == sorted(WORKBOOKS)
    assert (HISTORY / "README.md").exists()


def test_sheets_and_headings_follow_the_format(books):
    for name, book in books.items():
        assert "awards" in book, name
        for sheet, (head, _) in book.items():
            assert sheet in SHEETS, f"{name}: unknown sheet {sheet!r}"
            plain = {h for h in head if not h.startswith("output:")}
            assert plain <= SHEETS[sheet], f"{name} {sheet}: unknown columns {plain - SHEETS[sheet]}"
            assert len(head) == len(set(head)), f"{name} {sheet}: a column twice"
            if sheet == "awards":
                assert REQUIRED <= plain, name
            elif sheet == "returns":
                kinds = {h.split(":", 1)[1] for h in head if h.startswith("output:")}
                assert kinds <= set(OutputKind.values), f"{name}: unknown output kinds {kinds}"
                assert head == [_key(h) for h in head]  # every output column says its kind
            else:
                assert plain == SHEETS[sheet], f"{name} {sheet}: missing {SHEETS[sheet] - plain}"


def test_references_are_unique_across_the_workbooks_and_rows_complete(awards):
    refs = Counter(a["reference"] for a in awards)
    assert not [r for r, n in refs.items() if n > 1]
    for a in awards:
        assert all(a[k] not in (None, "") for k in REQUIRED), a["reference"]
        assert a["status"] in STATUSES and a["source"] in ("report", "illustrative"), a["reference"]
        assert isinstance(a["awarddate"], datetime | date) and D(str(a["amount"])) > 0


def test_every_recipient_is_a_current_english_council(awards):
    councils = _current_english_councils()
    assert len(councils) == 317
    for a in awards:
        for code in _codes(a):
            assert code in councils or code in BODIES, f"{a['reference']}: {code!r}"
        assert len(set(_codes(a))) == len(_codes(a)), f"{a['reference']}: a council twice"


def test_illustrative_rows_are_marked_and_say_so(awards):
    for a in awards:
        if a["source"] == "illustrative":
            assert (a["scope"] or "").startswith("Illustrative"), a["reference"]
    named = {a["reference"] for a in awards if a["source"] == "report"}
    assert {r[:4] for r in named} == {"BI1-", "BI2-", "BI3-", "HTF1"}  # only these name their recipients


def test_behavioural_insights_phases_1_to_3_as_the_reports_name_them(awards):
    by_round = defaultdict(dict)
    for a in awards:
        if a["programme"] == "behavioural-insights":
            by_round[a["round"]][a["lead"]] = (a["partners"] or "", D(str(a["amount"])), D(str(a["matchfunding"] or 0)))
    assert set(by_round) == {"bi-phase-1", "bi-phase-2", "bi-phase-3"}  # phase 4 comes from the scoring demo
    assert by_round["bi-phase-1"] == {c: ("", D(50000), D(0)) for c in ("LIV", "LIN", "LDS")}
    assert by_round["bi-phase-2"] == {
        "BNH": ("", D(30000), D(30000)),
        "KEN": ("", D(30000), D(30000)),
        "LBH": ("SWK", D(30000), D(30000)),
        "TUN": ("SEV; TON; MAI; ASF; SWL", D(30000), D(30000)),
    }
    assert set(by_round["bi-phase-3"]) == {
        "East Sussex Fire and Rescue Service",
        "HPL",
        "KWL",
        "CRY",
        "NEL",
        "WRT",
        "WOR",
    }
    kent, worcestershire, warrington = (
        next(a for a in awards if a["reference"] == ref) for ref in ("BI2-000002", "BI3-000002", "BI3-000001")
    )
    assert (kent["lead"], worcestershire["lead"], warrington["lead"]) == ("KEN", "WOR", "WRT")


def test_channel_shift_23_councils_2_returned_their_funding(books, awards):
    cs = _round(awards, "channel-shift")
    assert len(cs) == len({a["lead"] for a in cs}) == 23
    returned = [a for a in cs if a["status"] == "terminated"]  # funded, then ended: the board counts 23
    assert len(returned) == 2 and Counter(a["status"] for a in cs)["completed"] == 21
    funds = {r["awardreference"]: D(str(r["amount"])) for r in books["digital.xlsx"]["returned funds"][1]}
    assert funds == {a["reference"]: D(str(a["amount"])) for a in returned}
    first_year = [r for r in books["digital.xlsx"]["returns"][1] if r["period"] == "Return 2017/18"]
    assert sum(D(str(r["output:savings"])) for r in first_year) == D(1_000_000)  # projected 1m savings
    assert sum(r["output:projects_live"] or 0 for r in first_year) == 16  # 16 live, 5 due later


def test_cyber_phase_1_116_councils_just_over_a_million(awards):
    cyber = _round(awards, "cyber-phase-1")
    assert len(cyber) == len({a["lead"] for a in cyber}) == 116
    assert D(1_000_000) < _total(cyber) <= D(1_050_000)
    assert all(a["source"] == "illustrative" and not a["partners"] for a in cyber)
    assert all(D(1000) <= D(str(a["amount"])) <= D(15000) for a in cyber)  # the round's limits


def test_productivity_experts_42_councils_at_6000(awards):
    px = _round(awards, "productivity-experts-2018-19")
    assert len(px) == len({a["lead"] for a in px}) == 42
    assert {D(str(a["amount"])) for a in px} == {D(6000)}
    # grants.awards.demo_benefits shares the £42.6m across PEX19-000001 to PEX19-000042 in order.
    assert sorted(a["reference"] for a in px) == [f"PEX19-{i:06d}" for i in range(1, 43)]


def test_one_public_estate_phases_5_and_7(books, awards):
    ope7 = _round(awards, "ope-phase-7")
    assert len(ope7) == 59 and _total(ope7) == D(15_000_000)
    assert all(a["partners"] for a in ope7)  # partnerships: a lead and partners
    ope5 = _round(awards, "ope-phase-5")
    assert len(ope5) == 60 and _total(ope5) == D(3_600_000)
    assert len({c for a in ope5 for c in _codes(a)}) == 249  # "249 councils in 60 partnerships"
    # Outputs reported by March 2019 (the phase 5 returns, the only ones sent by then).
    returns = books["one-public-estate.xlsx"]["returns"][1]
    by_march_2019 = [r for r in returns if r["senton"].date() <= date(2019, 3, 31)]
    assert {r["awardreference"][:5] for r in by_march_2019} == {"OPE5-"}
    totals = {k: sum(r[f"output:{k}"] or 0 for r in by_march_2019) for k in ROUND_OUTPUTS["ope-phase-5"]}
    assert totals == {
        "capital_receipts": 183_000_000,
        "running_cost_savings": 26_000_000,
        "jobs_created": 5938,
        "homes": 3463,
    }


def test_land_release_fund_79_programmes_45m(awards):
    lrf = _round(awards, "land-release-fund-2017-18")
    assert len(lrf) == 79 and _total(lrf) == D(45_000_000)
    homes = {a["reference"]: (a["lead"], D(str(a["amount"]))) for a in lrf if a["reference"] <= "LRF-000003"}
    assert homes == {
        "LRF-000001": ("MAN", D(1500000)),
        "LRF-000002": ("BIR", D(1500000)),
        "LRF-000003": ("CON", D(1500000)),
    }


def test_the_other_programmes_counts(books, awards):
    assert len(_round(awards, "digital-experts-2015")) == 27
    assert len(_round(awards, "digital-transformation-2016")) == 16
    housing = _round(awards, "digital-housing-2018-19")
    assert len(housing) == 5 and "Tunbridge Wells" in housing[0]["scope"]
    care = _round(awards, "social-care-digital-innovation")
    assert len(care) == 19 and all(D(str(a["amount"])) <= D(50000) for a in care)
    assert len(_round(awards, "design-in-the-public-sector-2018-19")) == 14
    fraud = {(a["lead"], a["partners"]) for a in _round(awards, "housing-tenancy-fraud-pilot-2013")}
    assert fraud == {("STO", "GLO"), ("THE", "WAT"), ("HUN", "FEN; PTE")}
    digital = books["digital.xlsx"]["returns"][1]
    experts = [r for r in digital if r["awardreference"].startswith("DEX15-")]
    assert sum(r["output:savings"] for r in experts) > 2_000_000  # "over 2m savings"
    assert sum(r["output:income"] for r in experts) == 600_000  # "and 0.6m income"
    transformation = [r for r in digital if r["awardreference"].startswith("DTR16-")]
    assert sum(r["output:savings"] for r in transformation) == 2_000_000  # "estimated 2m savings"


def test_at_least_250_awards_and_250_grants_in_the_open_data(awards):
    assert len(awards) >= 250
    # The 360Giving file publishes accepted, active and completed awards, and leaves out rounds open
    # only to invited councils (Cyber).
    published = [a for a in awards if a["status"] in ("active", "completed") and a["round"] != "cyber-phase-1"]
    assert len(published) >= 250


def test_one_paid_tranche_per_award_and_a_final_return_per_completed_award(books, awards):
    amounts = {a["reference"]: D(str(a["amount"])) for a in awards}
    completed = {a["reference"] for a in awards if a["status"] == "completed"}
    paid, returned = Counter(), set()
    for name, book in books.items():
        for p in book["payments"][1]:
            assert p["tranche"] == 1 and p["paidon"] and p["paidon"] > p["dueon"], name
            assert D(str(p["amount"])) == amounts[p["awardreference"]]
            paid[p["awardreference"]] += 1
        round_of = {a["reference"]: a["round"] for a in book["awards"][1]}
        for r in book["returns"][1]:
            ref = r["awardreference"]
            assert ref in round_of, f"{name}: a return for {ref}, not an award of this workbook"
            assert r["rag"] in ("Red", "Amber", "Green") and r["commentary"], ref
            assert r["periodstart"] < r["periodend"] < r["senton"] <= r["dueon"], ref
            figures = {h.split(":", 1)[1] for h, v in r.items() if h.startswith("output:") and v is not None}
            assert figures <= set(ROUND_OUTPUTS.get(round_of[ref], [])), f"{ref}: {figures} not in its round's outputs"
            returned.add(ref)
    assert paid == Counter(set(amounts))
    assert completed <= returned


@pytest.mark.django_db
def test_every_round_the_workbooks_name_is_in_the_demo_with_budget_for_its_awards(awards):
    from grants import demo as grants_demo
    from grants.models import Organisation, Round

    grants_demo.seed()
    holding = defaultdict(Decimal)
    for a in awards:
        rnd = Round.objects.select_related("programme").get(slug=a["round"])
        assert rnd.programme.slug == a["programme"], a["reference"]
        if a["status"] not in ("withdrawn", "terminated"):  # what a round's budget holds
            holding[rnd] += D(str(a["amount"]))
        assert D(str(a["amount"])) <= rnd.max_award, a["reference"]
    for rnd, total in holding.items():
        assert total <= rnd.budget, f"{rnd.slug}: {total} is over its budget of {rnd.budget}"
    # The targeted cyber round invites exactly the councils the workbook funds.
    cyber = Round.objects.get(slug="cyber-phase-1")
    invited = set(cyber.eligible_organisations.values_list("code", flat=True))
    assert invited == {a["lead"] for a in _round(awards, "cyber-phase-1")}
    named = {c for a in awards for c in _codes(a)}
    known = set(Organisation.objects.filter(code__in=named).values_list("code", flat=True))
    known |= set(Organisation.objects.filter(name__in=named).values_list("name", flat=True))
    assert named == known
