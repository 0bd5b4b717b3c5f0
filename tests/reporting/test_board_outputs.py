"""The board report's outputs provider (issue 17): its figures, as at a date, and a fixed number of
queries whatever the number of awards."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.awards import services as s
from grants.awards.models import AwardStatus, MonitoringReturn, OutputTarget, OutputValue, ReturnStatus
from grants.reporting.board_outputs import board_outputs
from tests.awards.factories import AwardFactory, ReturnPeriodFactory, RoundOutputFactory

pytestmark = pytest.mark.django_db
D = Decimal
AS_AT = date(2026, 6, 30)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def _awards(personas, n: int, homes, take_up, period) -> None:
    pm = personas.programme_manager
    for i in range(n):
        award = AwardFactory(round=personas.round, status=AwardStatus.ACTIVE, award_date=date(2026, 1, 1))
        s.output_targets_set(
            award=award, actor=pm, targets={homes.pk: D("100"), take_up.pk: D("50")}, at=_aware(date(2026, 1, 2))
        )
        target = OutputTarget.objects.get(award=award, output=homes)
        s.forecast_record(target=target, actor=pm, value="110", reason="More", at=_aware(date(2026, 3, 1)))
        s.forecast_record(target=target, actor=pm, value=str(96 + i), reason="Fewer", at=_aware(date(2026, 5, 1)))
        r = MonitoringReturn.objects.create(
            award=award, period=period, status=ReturnStatus.SUBMITTED, submitted_at=_aware(date(2026, 4, 10))
        )
        OutputValue.objects.create(monitoring_return=r, output=homes, value=D("40"))
        OutputValue.objects.create(monitoring_return=r, output=take_up, value=D(30 + 10 * i))


@pytest.fixture
def outputs(personas):
    homes = RoundOutputFactory(round=personas.round, kind="homes", unit="count")
    take_up = RoundOutputFactory(round=personas.round, kind="take_up_increase", unit="percent", tolerance=D("10"))
    period = ReturnPeriodFactory(
        round=personas.round, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), due_on=date(2026, 4, 30)
    )
    return homes, take_up, period


def test_figures_per_programme_and_output(personas, outputs):
    _awards(personas, 2, *outputs)  # latest forecasts 96 and 97
    (count, percent) = board_outputs([personas.programme.pk], AS_AT)[personas.programme.pk]
    assert (count.key, percent.key) == ("outputs-count", "outputs-percent")
    (homes,) = count.rows
    assert homes == [
        "Homes (land released for)", D("200"), D("220"), D("193"), D("-27"), D("80"), D("5.00"), "Within tolerance", 0,
        D("41"),  # 80 of the latest 193, the share the chart draws
    ]  # fmt: skip
    assert count.chart.rows == [["Homes (land released for)", "41%"]] and percent.chart is None
    (take_up,) = percent.rows
    # Percentages: the mean of the awards' figures; no forecast beyond the baseline, so no change.
    assert take_up == ["Increase in take-up", D("50"), None, D("50"), None, D("35"), D("10.00"), "Within tolerance", 0]


def test_as_at_counts_only_forecasts_recorded_and_returns_sent_by_then(personas, outputs):
    _awards(personas, 1, *outputs)
    (homes,) = board_outputs([personas.programme.pk], date(2026, 3, 31))[personas.programme.pk][0].rows
    # The 1 May forecast and the 10 April return come later.
    assert homes[1:6] == [D("100"), D("100"), D("110"), D("10"), D("0")]
    assert homes[7] == "Outside tolerance" and homes[8] == 1
    assert board_outputs([personas.programme.pk], date(2025, 12, 31)) == {}  # awarded later


def test_awards_outside_their_tolerance_are_counted(personas, outputs):
    _awards(personas, 2, *outputs)
    target = OutputTarget.objects.filter(output=outputs[0]).first()
    s.forecast_record(target=target, actor=personas.programme_manager, value="80", reason="Site lost")
    (homes,) = board_outputs([personas.programme.pk], timezone.localdate())[personas.programme.pk][0].rows
    assert homes[3] == D("177") and homes[7] == "Outside tolerance" and homes[8] == 1


@pytest.mark.parametrize("size", [2, 12])
def test_queries_are_fixed(personas, outputs, size, django_assert_num_queries):
    _awards(personas, size, *outputs)
    with django_assert_num_queries(4):
        found = board_outputs([personas.programme.pk, personas.other_programme.pk], AS_AT)
    assert len(found[personas.programme.pk][0].rows) == 1


def test_plain_figures_read_the_same_as_the_models(personas, outputs):
    """The board reads targets as plain figures (speed); pages read models: both stand the same."""
    from grants.awards import outputs as rules
    from grants.awards.models import OutputTarget

    _awards(personas, 2, *outputs)
    targets = OutputTarget.objects.all()

    def seen(standings):
        return sorted(
            (o.target.pk, o.name, o.unit, o.tolerance, o.baseline, o.forecast, o.previous, o.actual, o.within)
            for o in standings
        )

    models = seen(rules.standings(targets, AS_AT))
    assert models and models == seen(rules.standings(targets, AS_AT, plain=True))
