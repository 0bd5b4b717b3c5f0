"""Issue 19: "sent by the date" compares the stored moment with the end of that day in UK time
(`grants.core.dates.end_of_day`) instead of converting every row to a date. A return sent at
23:59:59 on the day counts, one sent at midnight does not, in summer time as in winter, for each
as-at reading of the board report: the latest RAG, outputs, spend and benefits."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grants.awards import outputs as output_rules
from grants.awards.models import AwardStatus, MonitoringReturn, OutputValue, Rag, ReturnStatus
from grants.awards.spend_selectors import counted_returns
from grants.core.dates import end_of_day
from grants.reporting.selectors import latest_reported_returns
from tests import factories as f
from tests.awards.factories import AwardFactory, ReturnPeriodFactory, RoundOutputFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize("day", [date(2026, 6, 30), date(2026, 12, 31), date(2026, 3, 28), date(2026, 10, 24)])
def test_end_of_day_is_the_next_uk_midnight(day):
    end = end_of_day(day)
    assert end.astimezone(LONDON).date() > day and end.astimezone(LONDON).time().hour == 0
    assert end_of_day(day) > datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=LONDON)


def test_the_last_day_there_is_ends_without_overflowing():
    """The fuzz test's board report as at 31 December 9999 failed with OverflowError (a 500)."""
    end = end_of_day(date.max)
    assert end.astimezone(LONDON).date() == date.max
    assert end > datetime(9999, 12, 31, 23, 59, 59, tzinfo=LONDON)


@pytest.mark.parametrize("day", [date(2026, 6, 30), date(2026, 12, 31)])  # summer time, winter time
def test_sent_at_the_last_second_counts_and_at_midnight_does_not(day):
    rnd = f.RoundFactory()
    period = ReturnPeriodFactory(round=rnd, title="Q", period_start=date(day.year, 1, 1), period_end=day)
    output = RoundOutputFactory(round=rnd)
    on_time = AwardFactory(round=rnd, status=AwardStatus.ACTIVE, award_date=date(2025, 12, 1))
    too_late = AwardFactory(round=rnd, status=AwardStatus.ACTIVE, award_date=date(2025, 12, 1))
    last_second = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=LONDON)
    midnight = end_of_day(day)
    for award, at in ((on_time, last_second), (too_late, midnight)):
        r = MonitoringReturn.objects.create(
            award=award, period=period, status=ReturnStatus.APPROVED, rag=Rag.RED, submitted_at=at,
            submission_count=1, spend_capital=Decimal("5"),
        )  # fmt: skip
        OutputValue.objects.create(monitoring_return=r, output=output, value=Decimal("3"))
    from grants.awards.models import Award

    awards = Award.objects.filter(round=rnd)
    assert {r.award_id for r in latest_reported_returns(awards, day)} == {on_time.pk}
    assert {r.award_id for r in counted_returns(day)} == {on_time.pk}
    values = output_rules.reported_values(award_ids=awards.values("pk"), as_at=day)
    assert {v.monitoring_return.award_id for v in values} == {on_time.pk}
    # The day after, both count.
    assert latest_reported_returns(awards, date.fromordinal(day.toordinal() + 1)).count() == 2
