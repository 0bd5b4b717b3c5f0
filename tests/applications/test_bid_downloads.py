"""The staff bid list's downloads hold exactly the bids on screen for the same filters and sort,
with every answer (file questions as file names), defused against spreadsheet formulas."""

import csv
import io
import re
from decimal import Decimal
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from applications import exports
from applications.models import BidStatus, PartnerStatus, QuestionType
from tests import factories as f

from .factories import PDF, AnswerFactory, BidFactory, BidPartnerFactory, QuestionFactory, upload


def _bid(round, n, amount, status=BidStatus.SUBMITTED, **kw):
    return BidFactory(
        round=round,
        status=status,
        reference=f"{round.reference_prefix}-{n:06d}" if status != BidStatus.DRAFT else None,
        reference_number=n if status != BidStatus.DRAFT else None,
        amount_requested=Decimal(amount),
        submitted_at=timezone.now() if status != BidStatus.DRAFT else None,
        **kw,
    )


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_filtered_download_equals_the_filtered_page(personas, client_for):
    rnd = personas.round
    joint = [_bid(rnd, n, 10000 + n * 1000) for n in range(1, 6)]
    for bid in joint:
        BidPartnerFactory(bid=bid, organisation=personas.partner_org, status=PartnerStatus.CONFIRMED)
    _bid(rnd, 6, 49000)  # submitted but single: filtered out
    _bid(rnd, 7, 48000, status=BidStatus.DRAFT)  # draft: filtered out
    withdrawn = _bid(rnd, 8, 47000, status=BidStatus.WITHDRAWN)
    BidPartnerFactory(bid=withdrawn, organisation=personas.partner_org)
    client = client_for(personas.programme_manager)
    page = client.get(
        f"/staff/rounds/{rnd.slug}/bids/", {"status": "submitted", "partner": "joint", "sort": "-amount"}
    ).content.decode()
    on_screen = re.findall(r">(THIS-\d{6})</a>", page)
    assert on_screen == [b.reference for b in sorted(joint, key=lambda b: -b.amount_requested)]
    link = unescape(re.search(r'href="(/[^"]*round-bids/csv[^"]*)"', page).group(1))
    assert "status=submitted" in link and "partner=joint" in link and "round=this-round" in link
    downloaded = _csv(client.get(link))
    assert [row[0] for row in downloaded[1:]] == on_screen
    xlsx_link = unescape(re.search(r'href="(/[^"]*round-bids/xlsx[^"]*)"', page).group(1))
    sheet = load_workbook(io.BytesIO(client.get(xlsx_link).getvalue())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == on_screen
    # The older address keeps working, with the same filters.
    old = _csv(
        client.get(
            f"/staff/rounds/{rnd.slug}/bids/export.csv", {"status": "submitted", "partner": "joint", "sort": "-amount"}
        )
    )
    assert [row[0] for row in old[1:]] == on_screen


def test_download_holds_file_names_and_defuses_formulas(personas, client_for, form):
    from applications import services

    bid = services.start_bid(
        round=personas.round,
        actor=personas.lead_officer,
        title='=HYPERLINK("http://evil")',
        summary="+1 and more",
        amount_requested=Decimal("20000.00"),
        match_funding=Decimal("2000.00"),
    )
    services.save_section_answers(
        bid=bid,
        actor=personas.lead_officer,
        section=form["about"],
        data={form["aim"].pk: "@SUM(A1)", form["people"].pk: "-5"},
    )
    for name in ("plan.pdf", "=budget.pdf"):
        services.upload_evidence(bid=bid, actor=personas.lead_officer, upload=upload(name, PDF), question=form["plan"])
    client = client_for(personas.programme_manager)
    rows = _csv(client.get("/staff/reports/download/round-bids/csv/", {"round": personas.round.slug}))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert "Project plan" in header and row["Project plan"] == "plan.pdf; =budget.pdf"
    assert row["Title"] == '\'=HYPERLINK("http://evil")' and row["Summary"] == "'+1 and more"
    assert row["What is the aim?"] == "'@SUM(A1)" and row["How many people?"] == "'-5"
    sheet = load_workbook(
        io.BytesIO(client.get("/staff/reports/download/round-bids/xlsx/", {"round": personas.round.slug}).getvalue())
    ).active
    cells = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    assert cells["Title"].startswith("'=") and cells["Amount requested"] == 20000


def test_download_queries_do_not_grow_with_bids_and_others_get_404(personas, client_for, monkeypatch):
    QuestionFactory(section__round=personas.round, type=QuestionType.LONG_TEXT, text="Why?")
    client = client_for(personas.programme_manager)
    url = f"/staff/reports/download/round-bids/csv/?round={personas.round.slug}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            assert response.status_code == 200
            _csv(response)
        return len(ctx.captured_queries)

    for n in range(1, 4):
        AnswerFactory(bid=_bid(personas.round, n, 20000), question__section__round=personas.round)
    few = queries()
    for n in range(4, 40):
        BidPartnerFactory(bid=_bid(personas.round, n, 20000))
    assert queries() == few
    whole = _csv(client.get(url))
    assert len(whole) == 40
    monkeypatch.setattr(exports, "CHUNK", 7)  # rows built across chunk boundaries are the same rows
    assert _csv(client.get(url)) == whole
    assert client_for(personas.other_programme_manager).get(url).status_code == 404
    assert client_for(personas.lead_officer).get(url).status_code in (403, 404)
    other = f.RoundFactory(programme=personas.other_programme)
    assert client.get(f"/staff/reports/download/round-bids/csv/?round={other.slug}").status_code == 404
    assert client.get("/staff/reports/download/round-bids/csv/").status_code == 404


def test_sort_options_are_in_plain_words(personas, client_for):
    page = client_for(personas.programme_manager).get(f"/staff/rounds/{personas.round.slug}/bids/").content.decode()
    assert '<option value="-amount">Amount requested, highest first</option>' in page
    assert ">-amount<" not in page
