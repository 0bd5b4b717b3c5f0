"""Issue 17, item 1: spend in every return, spend to date, the forecast against the award with the
round's tolerance, and paid, spent and returned money reconciled on the award page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.awards import services as s
from grants.awards.models import AwardStatus, FundReturn, Rag, ReturnStatus, TrancheStatus
from grants.awards.spend_selectors import award_position, beyond_tolerance, spend_to_date
from grants.models import AuditEvent

from .factories import AwardFactory, ReturnPeriodFactory

pytestmark = pytest.mark.django_db
D = Decimal
SPEND = {
    "spend_capital": "10000",
    "spend_revenue": "2,500.50",
    "match_spent": "1000",
    "forecast_capital": "20000",
    "forecast_revenue": "8000",
}


@pytest.fixture
def live(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE, amount=D("30000"))
    ReturnPeriodFactory(round=personas.round, title="Quarter 1", period_end=date(2026, 3, 31), due_on=date(2026, 4, 30))
    ReturnPeriodFactory(round=personas.round, title="Quarter 2", period_end=date(2026, 6, 30), due_on=date(2026, 7, 31))
    s.returns_create(award=award)
    return award


def _send(personas, mreturn, spend=None, actor=None):
    return s.return_submit(
        mreturn=mreturn, actor=actor or personas.lead_officer, rag=Rag.GREEN, commentary="", values={}, spend=spend
    )


def test_a_return_stores_its_spend_and_spend_to_date_adds_up_reported_returns(personas, live):
    q1, q2 = live.returns.order_by("period__due_on")
    _send(personas, q1, SPEND)
    q1.refresh_from_db()
    assert (q1.spend_capital, q1.spend_revenue, q1.match_spent) == (D("10000"), D("2500.50"), D("1000"))
    _send(personas, q2, {**SPEND, "spend_capital": "5000", "forecast_capital": "25000"})
    q2.refresh_from_db()
    assert spend_to_date(q1) == {
        "capital": D("10000"),
        "revenue": D("2500.50"),
        "total": D("12500.50"),
        "match": D("1000"),
    }
    assert spend_to_date(q2)["capital"] == D("15000") and spend_to_date(q2)["total"] == D("20001.00")


def test_spend_to_date_leaves_out_a_return_not_with_the_funder(personas, live):
    q1, q2 = live.returns.order_by("period__due_on")
    s.return_save_draft(mreturn=q1, actor=personas.lead_officer, values={}, spend=SPEND)  # a draft keeps spend
    q1.refresh_from_db()
    assert q1.spend_capital == D("10000") and q1.status == ReturnStatus.DUE
    q2.spend_capital = D("100")
    assert spend_to_date(q2)["capital"] == D("100")  # the unsent draft of Q1 does not count


@pytest.mark.parametrize(
    "raw, message",
    [("-5", "£0 or more"), ("lots", "amount in pounds"), ("10.555", "2 decimal places"), ("NaN", "amount in pounds")],
)
def test_bad_spend_is_refused_by_the_service(personas, live, raw, message):
    q1 = live.returns.order_by("period__due_on").first()
    with pytest.raises(s.AwardError) as exc:
        _send(personas, q1, {**SPEND, "spend_revenue": raw})
    assert message in exc.value.message_dict["spend_revenue"][0]
    q1.refresh_from_db()
    assert q1.status == ReturnStatus.DUE and q1.spend_capital is None


def test_spend_is_required_once_the_round_asks_for_it(personas, live):
    q1 = live.returns.order_by("period__due_on").first()
    personas.round.returns_ask_spend = True
    personas.round.save()
    with pytest.raises(s.AwardError) as exc:
        _send(personas, q1, {})
    assert set(exc.value.message_dict) == {"spend_capital", "spend_revenue", "forecast_capital", "forecast_revenue"}
    live.match_funding = D("5000")
    live.save()
    with pytest.raises(s.AwardError) as exc:
        _send(personas, q1, {**SPEND, "match_spent": ""})
    assert set(exc.value.message_dict) == {"match_spent"}
    _send(personas, q1, SPEND)


def test_historic_returns_without_spend_still_count_as_nothing_spent(personas, live):
    q1 = live.returns.order_by("period__due_on").first()
    _send(personas, q1)  # the round does not ask for spend: sent without it
    pos = award_position(live, {"paid": D("0"), "returned": D("0")})
    assert pos.spent == D("0") and pos.forecast is None and not pos.beyond_tolerance


@pytest.mark.parametrize(
    "forecast, beyond",
    [("27000", False), ("26999.99", True), ("33000", False), ("33000.01", True), ("30000", False)],
)
def test_forecast_beyond_tolerance_both_ways(personas, live, forecast, beyond):
    """Tolerance 10% of £30,000: £27,000 to £33,000 is within, a penny beyond is not."""
    q1 = live.returns.order_by("period__due_on").first()
    _send(personas, q1, {**SPEND, "forecast_capital": forecast, "forecast_revenue": "0"})
    pos = award_position(live, {"paid": D("0"), "returned": D("0")})
    assert pos.beyond_tolerance is beyond
    assert [a.pk for a, _ in beyond_tolerance(personas.round.awards.all())] == ([live.pk] if beyond else [])


def test_the_latest_reported_forecast_counts(personas, live):
    q1, q2 = live.returns.order_by("period__due_on")
    _send(personas, q1, {**SPEND, "forecast_capital": "10000", "forecast_revenue": "0"})  # £20,000 under
    assert award_position(live, {"paid": D("0"), "returned": D("0")}).beyond_tolerance
    _send(personas, q2, {**SPEND, "forecast_capital": "29000", "forecast_revenue": "0"})
    pos = award_position(live, {"paid": D("0"), "returned": D("0")})
    assert pos.forecast == D("29000") and pos.variance == D("-1000") and not pos.beyond_tolerance


def test_paid_spent_and_returned_reconcile(personas, live):
    q1 = live.returns.order_by("period__due_on").first()
    _send(personas, q1, SPEND)  # £12,500.50 spent
    pos = award_position(live, {"paid": D("20000"), "returned": D("1000")})
    assert pos.held == D("6499.50") and pos.spent_above_paid == D("0")
    pos = award_position(live, {"paid": D("10000"), "returned": D("0")})
    assert pos.held == D("0") and pos.spent_above_paid == D("2500.50")


def test_award_page_shows_spend_variance_and_reconciliation(personas, client_for, live):
    live.tranches.update(status=TrancheStatus.PAID)
    FundReturn.objects.create(
        award=live, amount=D("1000"), kind="returned", reason="Underspend", returned_on=date(2026, 5, 1)
    )
    q1 = live.returns.order_by("period__due_on").first()
    _send(personas, q1, {**SPEND, "forecast_capital": "20000", "forecast_revenue": "0"})
    body = client_for(personas.programme_manager).get(reverse("awards:detail", args=[live.pk])).content.decode()
    assert "Forecast underspend" in body and "£10,000" in body and 'data-testid="beyond-tolerance"' in body
    assert "Held unspent by the council" in body and "£16,499.50" in body  # 30,000 - 1,000 - 12,500.50


def test_return_form_keeps_bad_spend_with_a_gov_uk_error(personas, client_for, live):
    q1 = live.returns.order_by("period__due_on").first()
    url = reverse("awards:return", args=[live.pk, q1.pk])
    data = {"rag": "green", **SPEND, "spend_capital": "-20", "forecast_revenue": "12.345"}
    body = client_for(personas.lead_officer).post(url, data).content.decode()
    assert "govuk-error-summary" in body
    assert "Capital spent this period must be £0 or more" in body
    assert "Forecast revenue spend at completion must have no more than 2 decimal places" in body
    assert 'value="-20"' in body and 'value="12.345"' in body and 'value="2,500.50"' in body
    q1.refresh_from_db()
    assert q1.status == ReturnStatus.DUE and q1.spend_capital is None


def test_return_form_saves_a_draft_with_spend_and_shows_it_again(personas, client_for, live):
    q1 = live.returns.order_by("period__due_on").first()
    url = reverse("awards:return", args=[live.pk, q1.pk])
    c = client_for(personas.lead_officer)
    c.post(url, {"save_draft": "1", **SPEND})
    q1.refresh_from_db()
    assert q1.spend_revenue == D("2500.50") and q1.status == ReturnStatus.DUE
    assert 'value="2500.50"' in c.get(url).content.decode()


def test_required_spend_on_the_form(personas, client_for, live):
    personas.round.returns_ask_spend = True
    personas.round.save()
    q1 = live.returns.order_by("period__due_on").first()
    url = reverse("awards:return", args=[live.pk, q1.pk])
    body = client_for(personas.lead_officer).post(url, {"rag": "green"}).content.decode()
    assert "Enter capital spent this period, or 0" in body
    assert client_for(personas.lead_officer).post(url, {"rag": "green", **SPEND}).status_code == 302


def test_round_monitoring_sets_tolerance_and_flags_awards(personas, client_for, live):
    q1 = live.returns.order_by("period__due_on").first()
    _send(personas, q1, {**SPEND, "forecast_capital": "25000", "forecast_revenue": "0"})  # £5,000 under: 16.7%
    url = reverse("awards:round_monitoring", args=[personas.round.slug])
    c = client_for(personas.programme_manager)
    assert live.reference in c.get(url).content.decode()
    bad = c.post(url, {"set_spend": "1", "s-spend_tolerance_percent": "120"}).content.decode()
    assert "govuk-error-summary" in bad and 'value="120"' in bad
    r = c.post(
        url,
        {
            "set_spend": "1",
            "s-spend_tolerance_percent": "20",
            "s-returns_ask_spend": "on",
            "s-returns_need_certifying": "on",
        },
    )
    assert r.status_code == 302
    personas.round.refresh_from_db()
    assert personas.round.spend_tolerance_percent == D("20") and personas.round.returns_need_certifying
    assert personas.round.returns_ask_spend
    assert AuditEvent.objects.filter(action="round.spend_settings").exists()
    assert 'data-testid="none-beyond-tolerance"' in c.get(url).content.decode()
    # Another programme's manager may not change it.
    other = client_for(personas.other_programme_manager)
    assert other.post(url, {"set_spend": "1", "s-spend_tolerance_percent": "5"}).status_code == 404
