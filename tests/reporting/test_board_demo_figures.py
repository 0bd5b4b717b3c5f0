"""Issue 17's "done when": the board report made from the demo shows each of the funder's figures
(item 9), read from the page the board reads and from its CSV, as the board viewer sees them."""

import csv
import io
from datetime import date

import lxml.html
import pytest
from django.urls import reverse

from grants.models import User
from tests.conftest import enable_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(demo_once, client_for):
    """The board viewer's client on the demo, seeded once for this module (tests/conftest.py)."""
    viewer = User.objects.get(email="board@lga.example.com")
    enable_mfa(viewer)
    return client_for(viewer)


def _tables(client, as_at: date, programme_slug: str) -> dict[str, list[list[str]]]:
    """Each section of one programme's part of the page: its key -> rows of cell text."""
    html = client.get(reverse("reporting:board_report"), {"as_at": as_at.isoformat()}).content
    page = lxml.html.fromstring(html)
    (part,) = page.xpath(f'//section[@data-programme="{programme_slug}"]')
    found = {}
    for div in part.xpath(".//div[@data-section]"):
        rows = div.xpath(".//table/tbody/tr")
        found[div.get("data-section")] = [
            [" ".join(c.text_content().split()) for c in r.xpath("./th|./td")] for r in rows
        ]
    return found


def _row(tables, section: str, first: str) -> list[str]:
    (row,) = [r for r in tables[section] if r[0] == first]
    return row


def test_the_board_report_from_the_demo_shows_the_funders_figures(board):
    # Land Release Fund homes at 31 March 2019: 7,445 previously, now 7,253, within tolerance of
    # the 7,280 anticipated at inception.
    lrf = _tables(board, date(2019, 3, 31), "land-release-fund")
    homes = _row(lrf, "outputs-count", "Homes (land released for)")
    assert homes[1:5] == ["7,280", "7,445", "7,253", "-192"]
    assert homes[7] == "Within tolerance"

    # Behavioural Insights: Worcestershire's 61% increase; Warrington's savings and cost avoidance
    # against its projected £42,000 and £380,000 over a year.
    bi = _tables(board, date(2019, 3, 31), "behavioural-insights")
    assert _row(bi, "outputs-percent", "Increase in direct-debit sign-up")[5] == "61%"
    savings = _row(bi, "outputs-pounds", "Savings")
    avoidance = _row(bi, "outputs-pounds", "Cost avoidance")
    assert (savings[3], savings[5]) == ("£42,000", "£8,500")
    assert (avoidance[3], avoidance[5]) == ("£380,000", "£133,000")

    # Productivity Experts: the 2017/18 memorandum's 60 deliverables, 56 Green, 4 Amber, 0 Red ...
    px = _tables(board, date(2018, 3, 31), "productivity-experts")
    assert [r[:2] for r in px["deliverables"][:3]] == [["Green", "56"], ["Amber", "4"], ["Red", "0"]]
    # ... and £42.6m of savings or income realised over the four years after the grants.
    px = _tables(board, date(2024, 6, 30), "productivity-experts")
    total = _row(px, "benefits", "Total")
    assert total[1:3] == ["£42,600,000", "£42,600,000"]

    # One Public Estate: partners and partnership members count in reach, each council once.
    ope = _tables(board, date(2019, 6, 30), "one-public-estate")
    assert ope["reach"][0][:3] == ["292", "3", "343"]


def test_the_board_csv_carries_the_same_figures(board):
    url = reverse("reporting:download", args=["board-report", "csv"])
    body = b"".join(board.get(url, {"as_at": "2019-03-31"}).streaming_content).decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(body)))
    homes = {
        d["Measure"]: d["Value"]
        for d in lines
        if d["Programme"] == "Land Release Fund" and d["Row"] == "Homes (land released for)"
        and d["Section"] == "Outputs counted"
    }  # fmt: skip
    assert homes["Baseline"].startswith("7280") and homes["Latest forecast"].startswith("7253")
    assert homes["Previous forecast"].startswith("7445") and homes["Tolerance status"] == "Within tolerance"
