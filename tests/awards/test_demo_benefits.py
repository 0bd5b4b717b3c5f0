"""Issue 17 demo: Productivity Experts 2018/19's "£42.6m savings or income over four years" as 42
completed awards with four approved benefits returns each, and Kent's benefits return to send now."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from grants import demo as grants_demo
from grants.awards import demo
from grants.awards.benefits_selectors import benefits_over
from grants.awards.demo_benefits import PX_TOTAL, px_figures
from grants.awards.models import Award, AwardStatus, BenefitsProjection, BenefitsReturn, ReturnStatus
from grants.reporting.board_benefits import board_benefits

pytestmark = pytest.mark.django_db


def test_the_split_is_exact():
    figures = px_figures()
    assert len(figures) == 42 and all(len(years) == 4 for years in figures)
    assert sum(s + i for years in figures for s, i in years) == PX_TOTAL == 42_600_000


def test_productivity_experts_benefits_and_kents_return_due_now():
    context = grants_demo.seed()
    demo.seed(context=context)
    counts = (Award.objects.count(), BenefitsReturn.objects.count(), BenefitsProjection.objects.count())
    demo.seed(context=grants_demo.seed())
    assert (Award.objects.count(), BenefitsReturn.objects.count(), BenefitsProjection.objects.count()) == counts

    px = Award.objects.filter(round__slug="productivity-experts-2018-19")
    assert px.count() == 42 and set(px.values_list("status", flat=True)) == {AwardStatus.COMPLETED}
    assert set(px.values_list("amount", flat=True)) == {Decimal("6000.00")}
    assert px.first().round.benefits_years == 4
    returns = BenefitsReturn.objects.filter(award__in=px)
    assert returns.count() == 168 and set(returns.values_list("status", flat=True)) == {ReturnStatus.APPROVED}
    assert set(returns.values_list("period_end", flat=True)) == {date(y, 3, 31) for y in (2021, 2022, 2023, 2024)}
    assert all(r.submitted_at.date() > r.period_end for r in returns)  # never sent before its year ended
    sums = returns.aggregate(s=Sum("savings"), i=Sum("income"), c=Sum("costs_avoided"))
    assert sums["s"] + sums["i"] == Decimal("42600000") and sums["c"] == 0
    b = benefits_over(px)
    assert sum(b.realised.values()) == sum(b.projected.values()) == Decimal("42600000")

    # The board as at the quarter end after the last year's return: £42.6m realised, nothing overdue.
    programme = px.first().round.programme
    sections = board_benefits([programme.pk], date(2024, 6, 30))[programme.pk]
    by_kind = {row[0]: row for row in sections[0].rows}
    assert by_kind["Total"][2] == Decimal("42600000") and by_kind["Total"][3] == Decimal("100.0")
    assert sections[1].rows == [["Productivity Experts 2018/19", 4, 168, 168, 0]]
    # A year earlier, three years' returns had come in.
    early = {row[0]: row for row in board_benefits([programme.pk], date(2023, 6, 30))[programme.pk][0].rows}
    assert Decimal("0") < early["Total"][2] < Decimal("42600000")

    # Kent: its first benefits return can be sent now, due within weeks; the second is a year on.
    kent = Award.objects.get(reference="DTR-000001")
    assert kent.lead.code == "KEN" and kent.status == AwardStatus.COMPLETED
    first, second = kent.benefits_returns.order_by("year")
    today = timezone.localdate()
    assert first.status == ReturnStatus.DUE and first.sendable_from <= today < first.due_on
    assert first.due_on <= today + timedelta(weeks=8)
    assert second.period_start > today - timedelta(days=40)
