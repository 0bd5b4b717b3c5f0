"""Outputs against a baseline (issue 17, item 3): the tolerance rule at its edges, percentages
taken as the latest value rather than summed, forecasts that need a reason and keep their history,
and a baseline that moves only through an approved variation. Runs on SQLite and PostgreSQL."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.awards import outputs as rules
from grants.awards import services as s
from grants.awards.models import (
    AwardStatus,
    MonitoringReturn,
    OutputForecast,
    OutputTarget,
    OutputValue,
    ReturnStatus,
    VariationKind,
    VariationStatus,
)
from grants.core.money import in_unit

from .factories import AwardFactory, ReturnPeriodFactory, RoundOutputFactory

pytestmark = pytest.mark.django_db
D = Decimal


# The rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "forecast", "tolerance", "within"),
    [
        ("7280", "7253", "5", True),  # the Land Release Fund: a slight decrease
        ("1000", "1050", "5", True),  # exactly at tolerance, above
        ("1000", "950", "5", True),  # exactly at tolerance, below
        ("1000", "1050.01", "5", False),  # a penny over
        ("1000", "949.99", "5", False),  # a penny under
        ("1000", "1000", "0", True),  # no tolerance: only the baseline itself
        ("1000", "1000.01", "0", False),
        ("0", "0", "5", True),  # baseline 0: only a forecast of 0 is within
        ("0", "0.01", "5", False),
        ("0", "1", "100", False),  # no percentage of nothing allows a change
        ("60", "63", "5", True),  # a percentage output: 5% of a 60% baseline is 3 points
        ("60", "63.01", "5", False),
        ("61", "57.95", "5", True),  # 61 - 3.05
    ],
)
def test_within_tolerance(baseline, forecast, tolerance, within):
    assert rules.within_tolerance(baseline=D(baseline), forecast=D(forecast), tolerance=D(tolerance)) is within


def test_change_reads_as_the_board_writes_it():
    assert rules.change_text(D("7445"), D("7253"), "count") == "a decrease of 192 from 7,445"
    assert rules.change_text(D("7280"), D("7445"), "count") == "an increase of 165 from 7,280"
    assert rules.change_text(D("40000"), D("42000"), "pounds") == "an increase of £2,000 from £40,000"
    assert rules.change_text(D("61"), D("56"), "percent") == "a decrease of 5 percentage points from 61%"
    assert rules.change_text(D("61"), D("61"), "percent") == "no change from 61%"
    assert rules.change_text(None, D("61"), "percent") == ""


def test_one_formatter_shows_each_unit():
    assert in_unit(D("61.00"), "percent") == "61%"
    assert in_unit(D("2.30"), "percent") == "2.3%"
    assert in_unit(D("7253.00"), "count") == "7,253"
    assert in_unit(D("380000.00"), "pounds") == "£380,000"


# Percentages to date ---------------------------------------------------------------------------


@pytest.fixture
def live(personas):
    return AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)


def _returns(award, output, values: list[str], status=ReturnStatus.APPROVED):
    """One reported return per value, each period later than the one before."""
    for i, value in enumerate(values):
        period = ReturnPeriodFactory(
            round=award.round,
            period_start=date(2025, 1 + 3 * i, 1),
            period_end=date(2025, 3 + 3 * i, 28),
            due_on=date(2025, 4 + 3 * i, 28),
        )
        r = MonitoringReturn.objects.create(
            award=award, period=period, status=status, submitted_at=timezone.make_aware(datetime(2025, 4 + 3 * i, 1))
        )
        OutputValue.objects.create(monitoring_return=r, output=output, value=D(value))


def test_a_percentage_is_the_latest_reported_value_and_counts_add_up(personas, live):
    take_up = RoundOutputFactory(round=personas.round, kind="take_up_increase", unit="percent")
    savings = RoundOutputFactory(round=personas.round)
    _returns(live, take_up, ["40", "61", "55"])
    _returns(live, savings, ["8500", "33500"])
    for o, t in ((take_up, "50"), (savings, "42000")):
        OutputTarget.objects.create(award=live, output=o, target=D(t))
    by_output = {o.name: o for o in rules.standings(OutputTarget.objects.filter(award=live))}
    assert by_output["Increase in take-up"].actual == D("55")  # the latest, not 156
    assert by_output["Savings"].actual == D("42000")


def test_a_percentage_across_awards_is_their_mean(personas, live):
    """The dashboard's and the board's lines use the same owner: 61% and 39% read as 50%."""
    from grants.awards.models import Award
    from grants.reporting.selectors import outputs

    take_up = RoundOutputFactory(round=personas.round, kind="take_up_increase", unit="percent")
    other = AwardFactory(round=personas.round, status=AwardStatus.ACTIVE)
    _returns(live, take_up, ["30", "61"])
    _returns(other, take_up, ["39"])
    for a, t in ((live, "50"), (other, "40")):
        OutputTarget.objects.create(award=a, output=take_up, target=D(t))
    (line,) = outputs(awards=Award.objects.filter(round=personas.round))
    assert (line.to_date, line.target, line.show(line.to_date)) == (D("50.00"), D("45.00"), "50%")


# Forecasts -------------------------------------------------------------------------------------


@pytest.fixture
def homes(personas, live):
    output = RoundOutputFactory(round=personas.round, kind="homes", unit="count")
    s.output_targets_set(
        award=live, actor=personas.programme_manager, targets={output.pk: D("7300")}, baselines={output.pk: D("7280")}
    )
    return OutputTarget.objects.get(award=live, output=output)


def test_the_baseline_is_the_first_row_of_the_history(homes):
    assert (homes.target, homes.baseline, homes.forecast) == (D("7300"), D("7280"), D("7280"))
    (first,) = homes.forecasts.all()
    assert first.is_baseline and first.value == D("7280")


def test_a_new_target_without_a_baseline_takes_the_target(personas, live):
    output = RoundOutputFactory(round=personas.round)
    s.output_targets_set(award=live, actor=personas.programme_manager, targets={output.pk: D("40000")})
    assert OutputTarget.objects.get(award=live, output=output).baseline == D("40000")


def test_the_baseline_cannot_change_by_setting_targets(personas, live, homes):
    with pytest.raises(s.AwardError, match="only through an approved variation"):
        s.output_targets_set(
            award=live,
            actor=personas.programme_manager,
            targets={homes.output_id: D("7300")},
            baselines={homes.output_id: D("7000")},
        )
    s.output_targets_set(award=live, actor=personas.programme_manager, targets={homes.output_id: D("7400")})
    homes.refresh_from_db()
    assert (homes.target, homes.baseline) == (D("7400"), D("7280"))


def test_forecasts_need_a_reason_and_keep_their_history(personas, homes):
    with pytest.raises(s.AwardError) as refused:
        s.forecast_record(target=homes, actor=personas.lead_officer, value="7445", reason="  ")
    assert "reason" in refused.value.message_dict
    s.forecast_record(target=homes, actor=personas.lead_officer, value="7,445", reason="Two more sites")
    s.forecast_record(target=homes, actor=personas.programme_manager, value="7253", reason="One site withdrawn")
    homes.refresh_from_db()
    assert homes.forecast == D("7253") and homes.baseline == D("7280")
    assert list(homes.forecasts.values_list("value", "is_baseline")) == [
        (D("7280"), True),
        (D("7445"), False),
        (D("7253"), False),
    ]
    (o,) = rules.standings(OutputTarget.objects.filter(pk=homes.pk))
    assert (o.baseline, o.previous, o.forecast, o.within) == (D("7280"), D("7445"), D("7253"), True)
    assert o.change_text == "a decrease of 192 from 7,445"


def test_a_forecast_is_the_lead_councils_or_the_managers(personas, homes):
    for outsider in (personas.partner_officer, personas.other_officer, personas.finance_officer):
        with pytest.raises(s.AwardError, match="Only the lead council"):
            s.forecast_record(target=homes, actor=outsider, value="7000", reason="Guess")
    assert homes.forecasts.count() == 1


def test_the_same_forecast_again_is_no_change(personas, homes):
    with pytest.raises(s.AwardError, match="already 7,280"):
        s.forecast_record(target=homes, actor=personas.lead_officer, value="7280", reason="Same")


def test_as_at_a_date_only_forecasts_recorded_by_then_count(personas, homes):
    earlier = timezone.now() - timedelta(days=100)
    OutputForecast.objects.filter(target=homes).update(at=earlier - timedelta(days=100))
    s.forecast_record(target=homes, actor=personas.lead_officer, value="7445", reason="More", at=earlier)
    s.forecast_record(target=homes, actor=personas.lead_officer, value="6900", reason="Fewer")
    then = (earlier + timedelta(days=1)).date()
    (o,) = rules.standings(OutputTarget.objects.filter(pk=homes.pk), as_at=then)
    assert (o.previous, o.forecast, o.within) == (D("7280"), D("7445"), True)
    (now,) = rules.standings(OutputTarget.objects.filter(pk=homes.pk))
    assert (now.forecast, now.previous, now.within) == (D("6900"), D("7445"), False)  # 5.2% down


# Re-baselining ---------------------------------------------------------------------------------


def test_only_an_approved_variation_moves_the_baseline(personas, live, homes):
    v = s.variation_request(
        award=live,
        actor=personas.lead_officer,
        kind=VariationKind.REBASELINE,
        reason="Site B sold",
        output_target=homes,
        new_baseline=D("6800"),
    )
    homes.refresh_from_db()
    assert homes.baseline == D("7280")  # asked, not yet approved
    refused = s.variation_request(
        award=live, actor=personas.lead_officer, kind=VariationKind.REBASELINE, reason="x", output_target=homes,
        new_baseline=D("6700"),
    )  # fmt: skip
    s.variation_decide(variation=refused, actor=personas.programme_manager, approve=False, reason="No")
    homes.refresh_from_db()
    assert homes.baseline == D("7280")
    s.variation_decide(variation=v, actor=personas.programme_manager, approve=True)
    v.refresh_from_db()
    homes.refresh_from_db()
    assert v.status == VariationStatus.APPROVED and v.previous["baseline"] == "7280.00"
    assert (homes.baseline, homes.forecast) == (D("6800"), D("6800"))
    last = homes.forecasts.last()
    assert (last.value, last.is_baseline, last.variation_id, last.by) == (
        D("6800"), True, v.pk, personas.programme_manager,
    )  # fmt: skip


def test_a_rebaseline_names_one_of_the_awards_outputs(personas, live, homes):
    other = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    with pytest.raises(s.AwardError) as refused:
        s.variation_request(
            award=other, actor=personas.lead_officer, kind=VariationKind.REBASELINE, reason="x",
            output_target=homes, new_baseline=D("1"),
        )  # fmt: skip
    assert "output_target" in refused.value.message_dict
    with pytest.raises(s.AwardError) as same:
        s.variation_request(
            award=live, actor=personas.lead_officer, kind=VariationKind.REBASELINE, reason="x",
            output_target=homes, new_baseline=D("7280"),
        )  # fmt: skip
    assert "new_baseline" in same.value.message_dict


# Pages -----------------------------------------------------------------------------------------


def test_forecast_page_records_with_errors_shown_and_kept(client_for, personas, live, homes):
    c = client_for(personas.lead_officer)
    url = reverse("awards:forecast", args=[live.pk, homes.pk])
    page = c.post(url, {"value": "7445", "reason": ""})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Enter why the forecast has changed" in text and 'value="7445"' in text
    assert c.post(url, {"value": "7445", "reason": "Two more sites"}).status_code == 302
    page = c.get(url).content.decode()
    assert "7,445" in page and "An increase of 165 from 7,280" in page and "Within tolerance" in page
    award_page = c.get(reverse("awards:detail", args=[live.pk])).content.decode()
    assert url in award_page and "7,445" in award_page


def test_rebaseline_page_sends_a_variation(client_for, personas, live, homes):
    c = client_for(personas.lead_officer)
    url = reverse("awards:rebaseline_new", args=[live.pk, homes.pk])
    assert c.post(url, {"new_baseline": "6800", "reason": "Site sold"}).status_code == 302
    v = live.variations.get()
    assert (v.kind, v.new_baseline, v.output_target_id) == (VariationKind.REBASELINE, D("6800"), homes.pk)
    decide = client_for(personas.programme_manager).get(reverse("awards:variation_decide", args=[live.pk, v.pk]))
    assert "7,280 to 6,800" in decide.content.decode()


def test_award_page_queries_do_not_grow_with_outputs(client_for, personas, live, django_assert_max_num_queries):
    c = client_for(personas.programme_manager)
    url = reverse("awards:detail", args=[live.pk])
    c.get(url)
    for i in range(4):
        o = RoundOutputFactory(round=personas.round, kind="custom", label=f"Output {i}", unit="count")
        s.output_targets_set(award=live, actor=personas.programme_manager, targets={o.pk: D("10")})
        s.forecast_record(
            target=OutputTarget.objects.get(output=o), actor=personas.lead_officer, value="12", reason="r"
        )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        c.get(url)
    o = RoundOutputFactory(round=personas.round, kind="custom", label="Output more", unit="count")
    s.output_targets_set(award=live, actor=personas.programme_manager, targets={o.pk: D("10")})
    with django_assert_max_num_queries(len(one)):
        c.get(url)


def test_targets_page_sets_baseline_and_tolerance_then_fixes_the_baseline(client_for, personas, live):
    output = RoundOutputFactory(round=personas.round, kind="homes", unit="count")
    c = client_for(personas.programme_manager)
    url = reverse("awards:targets", args=[live.pk])
    f = f"output_{output.pk}"
    assert c.post(url, {f: "7300", f"baseline_{output.pk}": "7280", f"tolerance_{output.pk}": "2.5"}).status_code == 302
    target = OutputTarget.objects.get(award=live, output=output)
    assert (target.target, target.baseline, target.tolerance) == (D("7300"), D("7280"), D("2.5"))
    page = c.get(url).content.decode()
    assert f"baseline_{output.pk}" not in page  # set once: a variation changes it now
    c.post(url, {f: "7300", f"tolerance_{output.pk}": ""})
    target.refresh_from_db()
    assert target.tolerance is None  # back to the round's 5%
    (o,) = rules.standings(OutputTarget.objects.filter(pk=target.pk))
    assert o.tolerance == D("5")


def test_a_tolerance_too_large_to_store_is_an_error_on_the_page(client_for, personas, live):
    """The column holds 999.99%: 1,000% was a database error (a 500 on PostgreSQL) before the form's limit."""
    output = RoundOutputFactory(round=personas.round, kind="homes", unit="count")
    c = client_for(personas.programme_manager)
    url = reverse("awards:targets", args=[live.pk])
    r = c.post(url, {f"output_{output.pk}": "7300", f"tolerance_{output.pk}": "1000"})
    assert r.status_code == 200 and "must be 999% or less" in r.content.decode()
    assert 'value="7300"' in r.content.decode()  # what was typed is kept
    assert not OutputTarget.objects.filter(award=live, output=output).exists()


def test_round_output_takes_a_unit_and_tolerance(personas):
    rnd = personas.round
    outcome = s.round_output_add(
        round=rnd, actor=personas.programme_manager, kind="custom", label="Sign-up", unit="percent", tolerance=D("10")
    )
    assert (outcome.unit, outcome.tolerance) == ("percent", D("10"))
    catalogue = s.round_output_add(round=rnd, actor=personas.programme_manager, kind="take_up_increase")
    assert (catalogue.unit, catalogue.tolerance) == ("percent", D("5"))  # declared once, in the catalogue
    with pytest.raises(s.AwardError) as refused:
        s.round_output_add(round=rnd, actor=personas.programme_manager, kind="custom", label="X", unit="")
    assert "unit" in refused.value.message_dict


def test_round_monitoring_page_shows_each_awards_standing(client_for, personas, live, homes):
    s.forecast_record(target=homes, actor=personas.lead_officer, value="6900", reason="Site lost")
    page = client_for(personas.board_viewer).get(reverse("awards:round_monitoring", args=[personas.round.slug]))
    text = page.content.decode()
    assert live.reference in text and "6,900" in text and "Outside tolerance" in text
    assert "a decrease of 380 from 7,280" in text
