"""Issue 17, outputs: the funder's forecasts against a baseline and its percentage outcomes, seeded
through the services (targets and baselines, forecasts with their reasons) on top of the awards
demo. Idempotent: a target already set keeps its history; a forecast already recorded (same
reason) is not recorded again.

- Land Release Fund (a programme of its own, so its line is the fund's alone): land for
  7,280 homes expected at inception, 7,445 reported later, 7,253 now, within tolerance. The fund
  had 79 programmes (history/land-release-fund.xlsx); three illustrative awards carry the homes.
- Behavioural Insights: Worcestershire's 61% increase in direct-debit sign-up (phase 3), Knowsley's
  39% increase in referrals (phase 3) and Kent's 2.3% more victims taking up support (phase 2),
  each a custom percentage output of its round; the reports give outcomes, not targets, so each
  target (and baseline) is its outcome.
- Warrington (phase 3): savings of £8,500 and cost avoidance of £133,000 reported, against the
  projected £42,000 and £380,000 over a year as baselines (the forecasts of the final figures).
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from grants.awards.models import Award, MonitoringReturn, OutputTarget, OutputValue, RoundOutput
from grants.models import Round, User

from .services import forecast_record, output_targets_set, round_output_add

D = Decimal
LONDON = ZoneInfo("Europe/London")
LRF_MANAGER = "cyber.manager@lga.example.com"  # manages One Public Estate, whose fund this is
BI_MANAGER = "programme.manager@lga.example.com"
INCEPTION = date(2017, 12, 1)
# (reference, homes at inception, forecast reported 2018, forecast 2019, reason): the awards come
# from history/land-release-fund.xlsx (Manchester, Birmingham, Cornwall; £1.5m each).
LRF_AWARDS = [
    ("LRF-000001", "3000", "3100", "2980", "One site's density reduced at planning"),
    ("LRF-000002", "2480", "2545", "2473", "Access road redesigned; two plots lost"),
    ("LRF-000003", "1800", "", "", ""),
]
LRF_FIRST = (datetime(2018, 10, 15, 10, tzinfo=LONDON), "Two schemes expanded after site surveys")
LRF_LATEST_ON = datetime(2019, 3, 15, 10, tzinfo=LONDON)
# (round slug, award reference, the round's custom percentage output, value in the final return):
# each outcome is an output of its own, since a mean of different outcomes would say nothing.
OUTCOMES = [
    ("bi-phase-3", "BI3-000002", "Increase in direct-debit sign-up", "61"),
    ("bi-phase-3", "BI3-000003", "Increase in referrals", "39"),
    ("bi-phase-2", "BI2-000002", "Increase in victims taking up support", "2.3"),
]
WARRINGTON = ("BI3-000001", {"savings": "42000", "cost_avoidance": "380000"})


def _land_release_fund(context) -> tuple[User, Round]:
    """The fund's round (grants.demo) and its manager (who manages One Public Estate too)."""
    manager = User.objects.get(email=LRF_MANAGER)  # afresh: roles are remembered on the object
    return manager, context["rounds"]["land-release-fund-2017-18"]


def _homes_output(rnd: Round, manager) -> RoundOutput:
    found = RoundOutput.objects.filter(round=rnd, kind="homes", label="").first()
    return found or round_output_add(round=rnd, actor=manager, kind="homes")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)


def _target(award: Award, output: RoundOutput, manager, baseline: str, on: date) -> OutputTarget:
    found = OutputTarget.objects.filter(award=award, output=output).first()
    if found is None:
        output_targets_set(award=award, actor=manager, targets={output.pk: D(baseline)}, at=_at(on))
        found = OutputTarget.objects.get(award=award, output=output)
    return found


def _forecast(target: OutputTarget, manager, value: str, reason: str, at: datetime) -> None:
    if value and not target.forecasts.filter(reason=reason).exists():
        forecast_record(target=target, actor=manager, value=value, reason=reason, at=at)


def _seed_lrf(context) -> list[Award]:
    manager, rnd = _land_release_fund(context)
    homes = _homes_output(rnd, manager)
    made = []
    for ref, baseline, first, latest, reason in LRF_AWARDS:
        award = Award.objects.get(reference=ref, round=rnd)  # from history/land-release-fund.xlsx
        target = _target(award, homes, manager, baseline, INCEPTION)
        _forecast(target, manager, first, LRF_FIRST[1], LRF_FIRST[0])
        _forecast(target, manager, latest, reason, LRF_LATEST_ON)
        made.append(award)
    return made


def _final_return(award: Award) -> MonitoringReturn:
    return MonitoringReturn.objects.filter(award=award).order_by("-period__due_on").first()


def _seed_outcomes(context) -> None:
    manager = context["people"][BI_MANAGER]
    rounds = context["rounds"]
    for slug, ref, label, value in OUTCOMES:
        rnd = rounds[slug]
        output = RoundOutput.objects.filter(round=rnd, kind="custom", label=label).first() or round_output_add(
            round=rnd, actor=manager, kind="custom", label=label, unit="percent"
        )
        award = Award.objects.get(reference=ref)
        _target(award, output, manager, value, award.award_date)
        OutputValue.objects.update_or_create(
            monitoring_return=_final_return(award), output=output, defaults={"value": D(value)}
        )
    ref, projections = WARRINGTON
    award = Award.objects.get(reference=ref)
    for kind, projected in projections.items():
        output = RoundOutput.objects.get(round=award.round, kind=kind, label="")
        _target(award, output, manager, projected, award.award_date)


def seed(context) -> list[Award]:
    made = _seed_lrf(context)
    _seed_outcomes(context)
    return made
