"""Issue 19: the board's spend totals, grouped in the database, equal an independent reading of
each award through the owner's per-award annotations (`spend_selectors.with_spend` and
`SpendPosition`), on data built to trip a grouped query: two returns due the same day (the later
id is the latest), a forecast given in capital only, a later return without a forecast, a variance
exactly at the tolerance (within), returns not yet with the funder or sent after the date, awards
withdrawn or made after the date, and two programmes."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grants.awards.models import Award, AwardStatus, MonitoringReturn, Rag, ReturnStatus
from grants.awards.selectors import STANDING
from grants.awards.spend_selectors import SpendPosition, with_spend
from grants.core.money import ZERO
from grants.reporting.board_spend import board_spend
from tests import factories as f
from tests.awards.factories import AwardFactory, ReturnPeriodFactory

pytestmark = pytest.mark.django_db
D = Decimal
LONDON = ZoneInfo("Europe/London")
AS_AT = date(2026, 7, 31)


def _sent(award, period, *, on: date, status=ReturnStatus.APPROVED, **money):
    return MonitoringReturn.objects.create(
        award=award, period=period, status=status, rag=Rag.GREEN, submission_count=1,
        submitted_at=datetime(on.year, on.month, on.day, 10, tzinfo=LONDON),
        **{k: D(v) for k, v in money.items()},
    )  # fmt: skip


def _round(tolerance: str):
    rnd = f.RoundFactory(spend_tolerance_percent=D(tolerance))
    q1 = ReturnPeriodFactory(round=rnd, title="Q1", period_start=date(2026, 1, 1), period_end=date(2026, 3, 31))
    q2 = ReturnPeriodFactory(round=rnd, title="Q2", period_start=date(2026, 4, 1), period_end=date(2026, 6, 30))
    twin = ReturnPeriodFactory(round=rnd, title="Q2 again", period_start=date(2026, 4, 1), period_end=date(2026, 6, 30))
    twin.due_on = q2.due_on
    twin.save()
    return rnd, q1, q2, twin


def _award(rnd, amount="100000", status=AwardStatus.ACTIVE, made=date(2025, 12, 1)):
    return AwardFactory(round=rnd, amount=D(amount), status=status, award_date=made)


def _tricky():
    rnd, q1, q2, twin = _round("10")
    a = _award(rnd)
    _sent(a, q1, on=date(2026, 4, 10), spend_capital="100", forecast_capital="50000", forecast_revenue="1")
    _sent(a, q2, on=date(2026, 7, 10), spend_revenue="200", match_spent="5", forecast_capital="70000")
    _sent(a, twin, on=date(2026, 7, 11), spend_revenue="300", forecast_revenue="120000")  # same due day, later id
    at_limit = _award(rnd, "50000")
    _sent(at_limit, q1, on=date(2026, 4, 10), forecast_capital="45000")  # exactly 10% under: within
    no_forecast_later = _award(rnd, "20000")
    _sent(no_forecast_later, q1, on=date(2026, 4, 10), forecast_revenue="10000")
    _sent(no_forecast_later, q2, on=date(2026, 7, 10), spend_capital="999")  # no forecast: the Q1 one stands
    late = _award(rnd, "30000")
    _sent(late, q2, on=date(2026, 8, 2), spend_capital="7", forecast_capital="1")  # sent after the date
    certify = _award(rnd, "30000")
    _sent(certify, q1, on=date(2026, 4, 2), status=ReturnStatus.TO_CERTIFY, forecast_capital="1")
    gone = _award(rnd, "40000", status=AwardStatus.WITHDRAWN)
    _sent(gone, q1, on=date(2026, 4, 2), spend_capital="11", forecast_capital="1")
    after = _award(rnd, "40000", made=date(2026, 8, 1))
    _sent(after, q1, on=date(2026, 4, 2), spend_capital="13", forecast_capital="1")
    other, oq1, _, _ = _round("25")
    for amount, forecast in (("10000", "7000"), ("10000", "7500"), ("8000", "12000")):
        _sent(_award(other, amount), oq1, on=date(2026, 4, 5), spend_revenue="10", forecast_revenue=forecast)
    return [rnd.programme_id, other.programme_id]


def _expected(programme_ids: list[int], as_at: date) -> dict:
    """Per programme, from each award's own annotations: the figures the section shows."""
    made = Award.objects.filter(round__programme_id__in=programme_ids, award_date__lte=as_at, status__in=STANDING)
    out: dict = {}
    for a in with_spend(made.select_related("round", "lead"), as_at):
        p = SpendPosition(a.amount, a.round.spend_tolerance_percent, a.spent_capital, a.spent_revenue,
                          a.match_spent_total, a.latest_forecast_capital, a.latest_forecast_revenue)  # fmt: skip
        t = out.setdefault(a.round.programme_id, {"awarded": ZERO, "cap": ZERO, "rev": ZERO, "match": ZERO,
                                                  "n": 0, "fc": ZERO, "fr": ZERO, "fa": ZERO, "beyond": set()})  # fmt: skip
        t["awarded"] += a.amount
        t["cap"], t["rev"], t["match"] = (
            t["cap"] + p.spent_capital,
            t["rev"] + p.spent_revenue,
            t["match"] + p.match_spent,
        )
        if p.forecast is not None:
            t["n"] += 1
            t["fc"], t["fr"], t["fa"] = (
                t["fc"] + (p.forecast_capital or ZERO),
                t["fr"] + (p.forecast_revenue or ZERO),
                t["fa"] + a.amount,
            )
        if p.beyond_tolerance:
            t["beyond"].add(a.reference)
    return out


def _shown(sections) -> dict:
    rows = {r[0]: r[1:] for s in sections for r in s.rows}
    forecast = next(v for k, v in rows.items() if str(k).startswith("Forecast at completion ("))
    beyond = {r[0] for s in sections if s.key == "spend_tolerance" for r in s.rows}
    return {
        "awarded": rows["Awarded"][2],
        "cap": rows["Grant spent to date"][0],
        "rev": rows["Grant spent to date"][1],
        "match": rows["Match funding spent to date"][2],
        "n": int(next(k for k in rows if str(k).startswith("Forecast at completion (")).split("(")[1].split()[0]),
        "fc": forecast[0],
        "fr": forecast[1],
        "fa": rows["Awarded to the awards with a forecast"][2],
        "beyond": beyond,
    }


@pytest.mark.parametrize("as_at", [date(2026, 4, 30), AS_AT, date(2026, 8, 5)])
def test_grouped_spend_equals_each_award_read_on_its_own(as_at):
    ids = _tricky()
    expected = _expected(ids, as_at)
    got = board_spend(ids, as_at)
    assert set(got) == set(expected)
    assert {pid: _shown(sections) for pid, sections in got.items()} == expected
    assert any(e["beyond"] for e in expected.values())  # the data does reach the beyond list
