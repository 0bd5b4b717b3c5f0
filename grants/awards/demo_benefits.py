"""Issue 17 demo: benefits after closure.

- Productivity Experts 2018/19: 42 councils, a £6,000 grant each, "£42.6m savings or income over
  four years" after the grants ended (shared/domain.md). The round asks for four years of benefits
  returns; every award completed on 31 March 2020, and its four returns (years to 31 March 2021 to
  2024) were sent three weeks after each year ended and approved a week later. The report gives only
  the total: the councils (the first 42 current English councils by code, outside the demo's live
  councils: history/productivity-experts.xlsx), the split across them, across the years and between
  savings and income are illustrative and say so in each award's scope. Realised and projected both
  total exactly £42,600,000.
- A Digital Transformation round two years ago asking for two years of benefits, where Kent's
  award completed a little over a year ago: its first benefits return can be sent now and is due
  in a few weeks, so the council officer can try the journey (council.officer@kent.example.com)
  and the Digital programme manager can review it.

Through the services: the 2018/19 awards by the history import, Kent's by `award_create_historic`
(via the awards demo's `_award`), the round's years by `benefits_years_set`, projections by `benefits_projection_set`, the schedule by
`benefits_schedule_create`. The historic returns are written with their historic dates, as the
awards demo writes monitoring returns. Idempotent: found by reference, year and slug.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from grants.awards.models import Award, AwardStatus, BenefitsReturn, Rag, ReturnPeriod, ReturnStatus
from grants.models import Round

from . import demo as awards_demo  # its `_award` (a cycle: called at seed time, not import)
from .services import benefits_projection_set, benefits_schedule_create, benefits_years_set

LONDON = ZoneInfo("Europe/London")
D = Decimal
PX_SLUG = "productivity-experts-2018-19"
PX_TOTAL = 42_600_000  # "£42.6m savings or income over four years"
PX_COUNT = 42
PX_COMPLETED = date(2020, 3, 31)
YEAR_SHARES = (15, 22, 28, 35)  # illustrative: benefits grow as the changes bed in (per cent)
SAVINGS_SHARE = 70  # illustrative: the rest is income
ILLUSTRATIVE = "Illustrative: the report gives the programme's total benefits only (£42.6m over four years)."


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=LONDON).replace(hour=hour)


def split(total: int, weights: list[int]) -> list[int]:
    """Whole pounds in proportion to `weights`, summing to `total` exactly (the last takes the rest)."""
    parts = [total * w // sum(weights) for w in weights[:-1]]
    return [*parts, total - sum(parts)]


def px_figures() -> list[list[tuple[int, int]]]:
    """Per award, per year, (savings, income) in whole pounds: 42 awards x 4 years, £42.6m in all."""
    per_award = split(PX_TOTAL, [3 + (i * 7) % 11 for i in range(PX_COUNT)])
    out = []
    for amount in per_award:
        years = split(amount, list(YEAR_SHARES))
        out.append([(y * SAVINGS_SHARE // 100, y - y * SAVINGS_SHARE // 100) for y in years])
    return out


def _sent(award: Award, year: int, values: tuple[int, int]) -> None:
    b = BenefitsReturn.objects.get(award=award, year=year)
    sent = b.period_end + timedelta(days=21)
    BenefitsReturn.objects.filter(pk=b.pk).update(
        savings=D(values[0]),
        income=D(values[1]),
        costs_avoided=D(0),
        commentary="Figures from the council's finance team. " + ILLUSTRATIVE,
        status=ReturnStatus.APPROVED,
        submitted_at=_at(sent),
        submission_count=1,
        reviewed_at=_at(sent + timedelta(days=7)),
    )


def _productivity_experts(rnd: Round) -> list[Award]:
    benefits_years_set(round=rnd, actor=None, years=4)
    made = []
    for i, years in enumerate(px_figures(), start=1):
        award = Award.objects.get(round=rnd, reference=f"PEX19-{i:06d}")  # from history/productivity-experts.xlsx
        if award.closed_at is None:
            Award.objects.filter(pk=award.pk).update(closed_at=_at(PX_COMPLETED, 17))
            award.refresh_from_db()
        total = sum(s + i for s, i in years)
        savings = sum(s for s, _ in years)
        benefits_projection_set(award=award, actor=None, savings=savings, income=total - savings, costs_avoided=0)
        benefits_schedule_create(award=award)
        for year, values in enumerate(years, start=1):
            _sent(award, year, values)
        made.append(award)
    return made


def _live_round(programme) -> Round:
    """Digital Transformation, decided about 22 months ago: projects ran a year; two years of benefits."""
    today = timezone.localdate()
    opens = _at(today - timedelta(days=760), 9)
    fy = opens.year if opens.month >= 4 else opens.year - 1
    rnd, _ = Round.objects.update_or_create(
        slug="digital-transformation-benefits",
        defaults={
            "programme": programme,
            "name": f"Digital Transformation {fy}/{(fy + 1) % 100:02d}",
            "reference_prefix": "DTR",
            "financial_year": fy,
            "budget": D("500000"),
            "min_award": D("10000"),
            "max_award": D("100000"),
            "opens_at": opens,
            "closes_at": opens + timedelta(days=60),
            "decided_at": opens + timedelta(days=100),
            "published": True,
            "prospectus": "Funding for councils to redesign services around online transactions. "
            "Each council sends two years of benefits returns after its project completes.",
        },
    )
    benefits_years_set(round=rnd, actor=None, years=2)
    return rnd


def _kent(rnd: Round) -> Award:
    """Kent's project completed 395 days ago: benefits year 1 ended about a month ago; due in weeks."""
    today = timezone.localdate()
    award = Award.objects.filter(reference="DTR-000001").first()
    if award is None:
        started = today - timedelta(days=640)
        award = awards_demo._award(
            rnd,
            "DTR-000001",
            "KEN",
            [],
            "Online social care assessments",
            "40000",
            AwardStatus.COMPLETED,
            started - timedelta(days=10),
            scope="Illustrative: an award made for the demo, so a benefits return can be tried.",
            end=today - timedelta(days=395),
        )
        Award.objects.filter(pk=award.pk).update(
            closed_at=_at(today - timedelta(days=395), 17),
            closure_report="Assessments are online; 60% of new requests now arrive through the form.",
        )
        award.refresh_from_db()
    # The project's own monitoring: one final return, green, sent three weeks after it ended.
    period, _ = ReturnPeriod.objects.get_or_create(
        round=rnd,
        title="Final return",
        defaults={
            "period_start": award.planned_start,
            "period_end": award.planned_end,
            "due_on": award.planned_end + timedelta(days=28),
        },
    )
    awards_demo._return(award, period, {}, {}, Rag.GREEN, "Project complete; assessments online.")
    benefits_projection_set(award=award, actor=None, savings=60000, income=15000, costs_avoided=90000)
    benefits_schedule_create(award=award)
    return award


def seed(context) -> dict:
    rounds = context["rounds"]
    made = _productivity_experts(rounds[PX_SLUG]) if PX_SLUG in rounds else []
    kent = _kent(_live_round(context["programmes"]["digital"]))
    return {"benefits_awards": [*made, kent]}
