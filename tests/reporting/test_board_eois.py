"""The board report counts, per programme, the expressions of interest received and those invited
to a full bid, as at the quarter end."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.models import BidStage, BidStatus
from grants.reporting import selectors
from tests import factories as f
from tests.scoring.factories import SubmittedBidFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_eois_received_and_invited_as_at_the_quarter_end(personas, client_for):
    rnd = personas.round
    march = datetime(2026, 3, 20, 12, tzinfo=LONDON)
    for invited_at in (march + timedelta(days=5), march + timedelta(days=20), None):
        SubmittedBidFactory(
            round=rnd,
            lead=f.OrganisationFactory(),
            stage=BidStage.FULL if invited_at else BidStage.EOI,
            status=BidStatus.DRAFT if invited_at else BidStatus.SUBMITTED,
            eoi_submitted_at=march,
            invited_at=invited_at,
        )
    SubmittedBidFactory(round=rnd, lead=f.OrganisationFactory())  # a one-stage bid is no EOI

    def row(as_at):
        rows = selectors.board_report(user=personas.administrator, as_at=as_at)
        return next(r for r in rows if r.programme == rnd.programme)

    assert (row(date(2026, 3, 31)).eois_received, row(date(2026, 3, 31)).eois_invited) == (3, 1)
    assert (row(date(2026, 6, 30)).eois_received, row(date(2026, 6, 30)).eois_invited) == (3, 2)
    assert row(date(2025, 12, 31)).eois_received == 0
    page = client_for(personas.board_viewer).get(reverse("reporting:board_report"), {"as_at": "2026-06-30"})
    assert "3 expressions of interest received, 2 invited" in page.content.decode()
