"""Issue 17: the board report's spend provider: spend to date, forecast against awarded, awards
beyond tolerance, as at a date (only returns received by then), in a fixed number of queries."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grants.awards.models import AwardStatus, MonitoringReturn, Rag, ReturnStatus
from grants.reporting.board_spend import board_spend
from tests import factories as f
from tests.awards.factories import AwardFactory, ReturnPeriodFactory

pytestmark = pytest.mark.django_db
D = Decimal
LONDON = ZoneInfo("Europe/London")
Q1_END, Q2_END = date(2026, 3, 31), date(2026, 6, 30)


def _sent(award, period, *, on: date, status=ReturnStatus.APPROVED, **spend):
    return MonitoringReturn.objects.create(
        award=award,
        period=period,
        status=status,
        rag=Rag.GREEN,
        submitted_at=datetime(on.year, on.month, on.day, 10, tzinfo=LONDON),
        submission_count=1,
        **{k: D(v) for k, v in spend.items()},
    )


@pytest.fixture
def programme():
    rnd = f.RoundFactory(spend_tolerance_percent=D("10"))
    q1 = ReturnPeriodFactory(round=rnd, title="Q1", period_start=date(2026, 1, 1), period_end=Q1_END)
    q2 = ReturnPeriodFactory(round=rnd, title="Q2", period_start=date(2026, 4, 1), period_end=Q2_END)
    return rnd, q1, q2


def _award(rnd, amount="100000", **kw):
    return AwardFactory(round=rnd, amount=D(amount), status=AwardStatus.ACTIVE, award_date=date(2025, 12, 1), **kw)


def _rows(sections, key):
    return {r[0]: r[1:] for s in sections if s.key == key for r in s.rows}


def test_spend_forecast_and_tolerance_as_at_the_date(programme):
    rnd, q1, q2 = programme
    on_track, under = _award(rnd), _award(rnd)
    _sent(on_track, q1, on=date(2026, 4, 20), spend_capital="30000", spend_revenue="5000", match_spent="2000",
          forecast_capital="80000", forecast_revenue="20000")  # fmt: skip
    _sent(under, q1, on=date(2026, 4, 25), spend_capital="0", spend_revenue="10000",
          forecast_capital="0", forecast_revenue="95000")  # fmt: skip
    # Q2: the second award now forecasts 85% of its award (beyond 10%); sent after the Q2 end.
    _sent(under, q2, on=date(2026, 7, 20), spend_capital="0", spend_revenue="20000",
          forecast_capital="0", forecast_revenue="85000")  # fmt: skip
    # Awaiting certification: not with the funder, so never counted.
    _sent(on_track, q2, on=date(2026, 7, 10), status=ReturnStatus.TO_CERTIFY, spend_capital="99999",
          forecast_capital="1")  # fmt: skip
    pid = rnd.programme_id

    at_q1 = board_spend([pid], date(2026, 4, 30))[pid]
    spend = _rows(at_q1, "spend")
    assert spend["Awarded"] == [None, None, D("200000")]
    assert spend["Grant spent to date"] == [D("30000"), D("15000"), D("45000")]
    assert spend["Match funding spent to date"] == [None, None, D("2000")]
    assert spend["Forecast at completion (2 awards)"] == [D("80000"), D("115000"), D("195000")]
    assert spend["Forecast variance (under is negative)"] == [None, None, D("-5000")]
    assert [s.key for s in at_q1] == ["spend"]  # nobody beyond tolerance yet

    at_q2 = board_spend([pid], date(2026, 7, 31))[pid]
    spend = _rows(at_q2, "spend")
    assert spend["Grant spent to date"] == [D("30000"), D("35000"), D("65000")]
    assert spend["Forecast variance (under is negative)"] == [None, None, D("-15000")]
    beyond = _rows(at_q2, "spend_tolerance")
    assert beyond == {under.reference: [under.lead.name, D("100000"), D("85000"), D("-15000"), D("-15.00"), D("10")]}

    # Received after the date: the Q2 return sent on 20 July does not count at 15 July.
    assert _rows(board_spend([pid], date(2026, 7, 15))[pid], "spend")["Grant spent to date"][2] == D("45000")
    # Before any return: the programme has nothing to show.
    assert board_spend([pid], date(2026, 3, 1)) == {}


def test_awards_not_standing_or_made_later_do_not_count(programme):
    rnd, q1, _ = programme
    _sent(_award(rnd), q1, on=date(2026, 4, 20), spend_revenue="1000", forecast_revenue="100000")
    withdrawn = _award(rnd)
    withdrawn.status = AwardStatus.WITHDRAWN
    withdrawn.save()
    _sent(withdrawn, q1, on=date(2026, 4, 20), spend_revenue="500", forecast_revenue="1")
    later = AwardFactory(round=rnd, amount=D("5000"), status=AwardStatus.ACTIVE, award_date=date(2026, 5, 1))
    _sent(later, q1, on=date(2026, 4, 21), spend_revenue="700")
    spend = _rows(board_spend([rnd.programme_id], date(2026, 4, 30))[rnd.programme_id], "spend")
    assert spend["Awarded"][2] == D("100000") and spend["Grant spent to date"][2] == D("1000")


def _many(rnd, q1, n):
    for _ in range(n):
        _sent(_award(rnd), q1, on=date(2026, 4, 20), spend_revenue="1000", forecast_revenue="50000")


@pytest.mark.parametrize("n", [2, 12])
def test_fixed_queries_whatever_the_number_of_awards(programme, django_assert_num_queries, n):
    rnd, q1, _ = programme
    other = f.RoundFactory()
    oq1 = ReturnPeriodFactory(round=other, title="Q1", period_start=date(2026, 1, 1), period_end=Q1_END)
    _many(rnd, q1, n)
    _many(other, oq1, n)
    with django_assert_num_queries(4):  # awarded, spent, forecasts, the awards beyond tolerance
        sections = board_spend([rnd.programme_id, other.programme_id], date(2026, 4, 30))
    assert set(sections) == {rnd.programme_id, other.programme_id}
    assert len(_rows(sections[rnd.programme_id], "spend_tolerance")) == n  # all 50% under


def test_the_board_lists_the_largest_variances_not_every_award(programme, monkeypatch):
    """At 10,000 awards a tenth beyond tolerance would be 1,000 rows: the board reads the worst few."""
    from grants.reporting import board_spend as module

    rnd, q1, _ = programme
    monkeypatch.setattr(module, "BOARD_ROWS", 2)
    _many(rnd, q1, 2)  # 50% under
    worst = _award(rnd)
    _sent(worst, q1, on=date(2026, 4, 20), spend_revenue="1000", forecast_revenue="10000")  # 90% under
    (_, beyond) = board_spend([rnd.programme_id], date(2026, 4, 30))[rnd.programme_id]
    assert len(beyond.rows) == 2 and beyond.rows[0][0] == worst.reference
    assert "The 2 largest variances of 3, by share of the award" in beyond.note
