"""The board report's benefits provider: projected against realised by kind, returns due, sent
and overdue, as at a date (returns sent by then); two queries at any size."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grants.awards import services as s
from grants.awards.models import AwardStatus, BenefitsProjection, BenefitsReturn, ReturnStatus
from grants.reporting.board_benefits import board_benefits
from tests import factories as f
from tests.awards.factories import AwardFactory

LONDON = ZoneInfo("Europe/London")
D = Decimal


def _completed(rnd, n: int, *, status=AwardStatus.COMPLETED) -> list:
    awards = []
    for _ in range(n):
        award = AwardFactory(
            round=rnd, status=status, award_date=date(2019, 1, 10), closed_at=datetime(2020, 3, 31, 17, tzinfo=LONDON)
        )
        s.benefits_schedule_create(award=award)
        BenefitsProjection.objects.create(award=award, savings=D("1000"), income=D("500"), costs_avoided=D("0"))
        awards.append(award)
    return awards


def _send(award, year: int, sent: date, savings="100", income="50", status=ReturnStatus.APPROVED):
    BenefitsReturn.objects.filter(award=award, year=year).update(
        savings=D(savings),
        income=D(income),
        costs_avoided=D("0"),
        status=status,
        submitted_at=datetime.combine(sent, datetime.min.time(), LONDON),
    )


@pytest.fixture
def rnd(db):
    return f.RoundFactory(benefits_years=2, name="Benefits round")


def test_figures_as_at_a_date(rnd):
    a, b = _completed(rnd, 2)
    _completed(rnd, 1, status=AwardStatus.TERMINATED)  # no schedule and its projection not counted
    _send(a, 1, date(2021, 4, 20))
    _send(b, 1, date(2021, 7, 20), savings="300")  # sent late, after the quarter end below
    _send(a, 2, date(2022, 4, 20), status=ReturnStatus.CHANGES_REQUESTED)  # still counted: it was sent
    pid = rnd.programme_id
    kinds, returns = board_benefits([pid], date(2021, 6, 30))[pid]
    rows = {r[0]: r for r in kinds.rows}
    assert rows["Savings"][1:] == [D("2000"), D("100"), D("5.0")]
    assert rows["Income generated"][1:] == [D("1000"), D("50"), D("5.0")]
    assert rows["Costs avoided"][1:] == [D("0"), D("0"), None]
    assert rows["Total"][1:3] == [D("3000"), D("150")]
    # Both year-1 returns were due on 26 May 2021; one was sent by 30 June, the other overdue then.
    assert returns.rows == [["Benefits round", 2, 2, 1, 1]]
    later = {r[0]: r for r in board_benefits([pid], date(2022, 6, 30))[pid][0].rows}
    assert later["Savings"][2] == D("500") and later["Income generated"][2] == D("150")
    # On the day the projects completed: projected only, no returns yet.
    (before,) = board_benefits([pid], date(2020, 3, 31))[pid]
    assert {r[0]: r[1:3] for r in before.rows}["Total"] == [D("3000"), D("0")]


def test_a_programme_without_benefits_is_left_out(rnd):
    other = f.RoundFactory()
    AwardFactory(round=other, status=AwardStatus.ACTIVE)
    assert board_benefits([other.programme_id], date(2024, 3, 31)) == {}


@pytest.mark.parametrize("size", [2, 12])
def test_fixed_number_of_queries(rnd, size, django_assert_num_queries):
    second = f.RoundFactory(benefits_years=2, programme=f.ProgrammeFactory())
    for r in (rnd, second):
        for award in _completed(r, size):
            _send(award, 1, date(2021, 4, 20))
    with django_assert_num_queries(2):
        out = board_benefits([rnd.programme_id, second.programme_id], date(2022, 6, 30))
    assert len(out) == 2
    assert {r[0]: r for r in out[rnd.programme_id][0].rows}["Savings"][2] == D("100") * size
