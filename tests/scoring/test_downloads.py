"""CSV/XLSX downloads of the assessment tables through the reporting framework, and the
register of interests with the automatic conflicts as well as the declared ones."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import BidPartner, PartnerStatus
from scoring import services
from scoring.models import Scale
from tests import factories as f

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def round_with_tables(personas):
    rnd = personas.round
    quality = CriterionFactory(round=rnd, name="Quality", scale=Scale.ZERO_FOUR)
    own = SubmittedBidFactory(round=rnd, lead=personas.lead_org, title=HOSTILE)  # Kent: conflicted_assessor's own
    partnered = SubmittedBidFactory(round=rnd, lead=personas.other_org, amount_requested=Decimal("10000.00"))
    BidPartner.objects.create(bid=partnered, organisation=personas.lead_org, status=PartnerStatus.CONFIRMED)
    for person in (personas.assessor, personas.panel_chair, personas.conflicted_assessor):
        declare(person, rnd)
    scorer = f.UserFactory(full_name="Sam Scorer")
    f.PanelMemberFactory(panel=rnd.panel, user=scorer)
    declare(scorer, rnd)
    assign_and_submit(bid=own, assessor=scorer, criteria=[quality], scores={quality: 4})
    assign_and_submit(bid=own, assessor=personas.assessor, criteria=[quality], scores={quality: 0})
    assign_and_submit(bid=partnered, assessor=scorer, criteria=[quality], scores={quality: 3})
    services.interest_add(round=rnd, user=personas.panel_chair, organisation=personas.other_org, nature=HOSTILE)
    return rnd, own, partnered


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def _download(client, table, fmt, rnd):
    return client.get(reverse("reporting:download", args=[table, fmt]) + f"?round={rnd.slug}")


def test_register_lists_automatic_conflicts_with_csv_and_xlsx(personas, round_with_tables, client_for):
    rnd, own, partnered = round_with_tables
    client = client_for(personas.programme_manager)
    page = client.get(reverse("scoring:interests", args=[rnd.slug])).content.decode()
    table = page.split('data-testid="register"', 1)[1]
    assert f"Bid {own.reference} (Kent)" in table and "Automatic: Kent leads this bid" in table
    assert f"Bid {partnered.reference} (Leeds)" in table and "Automatic: Kent is a partner on this bid" in table
    assert 'data-testid="downloads-assessment-register"' in page
    for rows in (
        _csv(client.get(reverse("scoring:interests", args=[rnd.slug]) + "?format=csv")),
        _csv(_download(client, "assessment-register", "csv", rnd)),
        [
            [("" if v is None else str(v)) for v in r]
            for r in _xlsx(_download(client, "assessment-register", "xlsx", rnd))
        ],
        [
            [("" if v is None else str(v)) for v in r]
            for r in _xlsx(client.get(reverse("scoring:interests", args=[rnd.slug]) + "?format=xlsx"))
        ],
    ):
        assert rows[0][:4] == ["Panel member", "Email", "Interest in", "Nature"]
        by_email = {(r[1], r[2]): r for r in rows[1:]}
        assert by_email[("conflicted@example.com", f"Bid {own.reference} (Kent)")][5] == "Automatic"
        assert by_email[("conflicted@example.com", f"Bid {partnered.reference} (Leeds)")][5] == "Automatic"
        declared = by_email[("chair@example.com", "Leeds")]
        assert declared[3] == "'" + HOSTILE and declared[5] == "Declared"


def test_assignment_moderation_and_ranking_downloads(personas, round_with_tables, client_for):
    rnd, own, partnered = round_with_tables
    client = client_for(personas.programme_manager)
    for name, table in (
        ("assignments", "assessment-assignments"),
        ("moderation", "assessment-moderation"),
        ("ranking", "assessment-ranking"),
    ):
        page = client.get(reverse(f"scoring:{name}", args=[rnd.slug])).content.decode()
        assert f'data-testid="downloads-{table}"' in page and f"?round={rnd.slug}" in page, name
    rows = _csv(_download(client, "assessment-assignments", "csv", rnd))
    assert rows[0][0] == "Bid reference"
    own_row = next(r for r in rows if r[0] == own.reference)
    assert own_row[2] == "'" + HOSTILE and own_row[4] == "2" and own_row[5] == "Complete"
    moderation = _csv(_download(client, "assessment-moderation", "csv", rnd))
    assert [r[0] for r in moderation[1:]] == [own.reference]  # 100% and 0%: spread 100
    assert moderation[1][4] == "100.00" and moderation[1][6] == "To moderate"
    ranking = _xlsx(_download(client, "assessment-ranking", "xlsx", rnd))
    assert ranking[0][:3] == ("Rank", "Bid reference", "Lead council")
    assert [r[1] for r in ranking[1:]] == [partnered.reference, own.reference]
    assert ranking[2][3] == "'" + HOSTILE and ranking[1][4] == 75


@pytest.mark.parametrize(
    "who,table,expected",
    [
        ("other_programme_manager", "assessment-assignments", 404),
        ("other_programme_manager", "assessment-register", 404),
        ("other_programme_manager", "assessment-moderation", 404),
        ("other_programme_manager", "assessment-ranking", 404),
        ("board_viewer", "assessment-ranking", 200),
        ("board_viewer", "assessment-register", 404),
        ("panel_chair", "assessment-moderation", 404),  # not staff: the reporting app refuses
        ("conflicted_assessor", "assessment-ranking", 404),
        ("programme_manager", "assessment-ranking", 200),
    ],
)
def test_downloads_follow_the_pages_permissions(personas, round_with_tables, client_for, who, table, expected):
    rnd = round_with_tables[0]
    client = client_for(personas.all()[who])
    assert _download(client, table, "csv", rnd).status_code in ((403, 404) if expected == 404 else (expected,))


def test_unknown_round_is_404_and_a_chair_sees_no_download_links(personas, round_with_tables, client_for):
    rnd = round_with_tables[0]
    client = client_for(personas.programme_manager)
    assert (
        client.get(reverse("reporting:download", args=["assessment-ranking", "csv"]) + "?round=nope").status_code == 404
    )
    assert client.get(reverse("reporting:download", args=["assessment-ranking", "csv"])).status_code == 404
    page = client_for(personas.panel_chair).get(reverse("scoring:moderation", args=[rnd.slug]))
    assert page.status_code == 200 and "downloads-" not in page.content.decode()
