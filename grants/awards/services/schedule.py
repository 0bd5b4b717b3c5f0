"""Writes for a round's monitoring set-up: its schedule of returns, the outputs it reports
(chosen from the catalogue) and each award's targets."""

from calendar import monthrange
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from grants.awards.models import (
    Award,
    MonitoringReturn,
    OutputKind,
    OutputTarget,
    OutputUnit,
    ReturnPeriod,
    ReturnStatus,
    RoundOutput,
)
from grants.awards.models.monitoring import OUTPUT_UNITS
from grants.core.audit import audit_record
from grants.core.words import counted
from grants.permissions import can_manage_programme

from .. import permissions as perms
from . import forecasts
from .awards import returns_create
from .common import AwardError


@transaction.atomic
def round_output_add(
    *, round, actor, kind: str, label: str = "", unit: str = "", tolerance: Decimal | None = None
) -> RoundOutput:
    """Add an output from the catalogue (or a custom one, with a label and a unit) to a round,
    with its tolerance (per cent of the baseline; the default unless given)."""
    if not can_manage_programme(actor, round.programme):
        raise AwardError("Only the programme's manager can choose the outputs")
    if kind not in OutputKind.values:
        raise AwardError({"kind": "Choose an output"})
    label = label.strip()
    if kind == OutputKind.CUSTOM:
        if not label:
            raise AwardError({"label": "Enter a name for the custom output"})
        if unit not in OutputUnit.values:
            raise AwardError({"unit": "Choose pounds, a count or per cent"})
    else:
        label, unit = "", OUTPUT_UNITS[kind]
    if RoundOutput.objects.filter(round=round, kind=kind, label=label).exists():
        raise AwardError({"kind": "This round already reports that output"})
    if tolerance is not None and (tolerance < 0 or tolerance > 1000):
        raise AwardError({"tolerance": "Enter a tolerance from 0 to 1,000 per cent"})
    order = RoundOutput.objects.filter(round=round).count()
    extra = {} if tolerance is None else {"tolerance": tolerance}
    output = RoundOutput.objects.create(round=round, kind=kind, label=label, unit=unit, order=order, **extra)
    audit_record(actor=actor, action="round.output", target=round, summary=f"Output added: {output.name}")
    return output


def _period_check(*, round, actor, title: str, period_start: date, period_end: date, due_on: date, exclude=None):
    """The rules every return in a schedule keeps, whether added, changed or built by default."""
    if not can_manage_programme(actor, round.programme):
        raise AwardError("Only the programme's manager can set the return schedule")
    if not title.strip():
        raise AwardError({"title": "Enter a name for the return, for example Quarter 1 2019/20"})
    if period_end < period_start:
        raise AwardError({"period_end": "The period must end on or after it starts"})
    if due_on < period_end:
        raise AwardError({"due_on": "The return must be due on or after the period ends"})
    if ReturnPeriod.objects.filter(round=round, title=title.strip()).exclude(pk=exclude).exists():
        raise AwardError({"title": "This round already has a return with that name"})


@transaction.atomic
def return_period_add(*, round, actor, title: str, period_start: date, period_end: date, due_on: date) -> ReturnPeriod:
    """Add a return to a round's schedule; every live award in the round gets it."""
    _period_check(
        round=round, actor=actor, title=title, period_start=period_start, period_end=period_end, due_on=due_on
    )
    period = ReturnPeriod.objects.create(
        round=round, title=title.strip(), period_start=period_start, period_end=period_end, due_on=due_on
    )
    for award in round.awards.filter(status__in=Award.LIVE):
        returns_create(award=award)
    audit_record(actor=actor, action="round.return_period", target=round, summary=f"{period.title} due {due_on}")
    return period


@transaction.atomic
def return_period_change(
    *, period: ReturnPeriod, actor, title: str, period_start: date, period_end: date, due_on: date
) -> ReturnPeriod:
    """Change one return in the schedule (a default one, most often). Once a council has sent a
    return for it, the period it reports on stays as it was: the board's figures count the return
    in that period. Its name and due date may still change."""
    period = ReturnPeriod.objects.select_for_update().select_related("round__programme").get(pk=period.pk)
    round = period.round
    _period_check(
        round=round,
        actor=actor,
        title=title,
        period_start=period_start,
        period_end=period_end,
        due_on=due_on,
        exclude=period.pk,
    )
    sent = period.returns.exclude(status=ReturnStatus.DUE).exists()
    if sent and (period_start, period_end) != (period.period_start, period.period_end):
        raise AwardError("A council has sent this return, so the period it reports on cannot change")
    before = f"{period.title}: {period.period_start} to {period.period_end}, due {period.due_on}"
    period.title, period.period_start, period.period_end, period.due_on = (
        title.strip(),
        period_start,
        period_end,
        due_on,
    )
    period.save()
    after = f"{period.title}: {period_start} to {period_end}, due {due_on}"
    audit_record(actor=actor, action="round.return_period_change", target=round, summary=f"{before} changed to {after}")
    return period


@transaction.atomic
def return_period_remove(*, period: ReturnPeriod, actor) -> None:
    """Take a return out of the schedule, with the awards' returns for it, while no council has
    started one (sent it, saved a draft or attached a file): nothing a council wrote is lost."""
    period = ReturnPeriod.objects.select_for_update().select_related("round__programme").get(pk=period.pk)
    if not can_manage_programme(actor, period.round.programme):
        raise AwardError("Only the programme's manager can set the return schedule")
    returns = MonitoringReturn.objects.filter(period=period)
    started = (
        returns.exclude(status=ReturnStatus.DUE).exists()
        or returns.exclude(rag="", commentary="", evidence="").exists()
        or returns.filter(Q(values__isnull=False) | Q(evidence_files__isnull=False)).exists()
    )
    if started:
        raise AwardError(f"A council has started its return for {period.title}, so it stays: change its dates instead")
    returns.delete()
    period.delete()
    audit_record(actor=actor, action="round.return_period_remove", target=period.round, summary=f"{period.title}")


# The default schedule ---------------------------------------------------------------------------


def _quarter_end(day: date) -> date:
    """The end of the calendar quarter `day` is in (30 June, 30 September, 31 December, 31 March):
    the quarter ends the board reports at."""
    month = (day.month - 1) // 3 * 3 + 3
    return _month_end(day.year, month)


def _month_end(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, monthrange(year, month)[1])


def _due_after(day: date, months: int = 1) -> date:
    """The last day of the month `months` after `day`'s: a return is due a month after its period."""
    return _month_end(day.year, day.month + months)


def _financial_quarter(end: date) -> str:
    """'Quarter 1 2026/27' for the quarter ending 30 June 2026 (financial years start in April)."""
    year = end.year if end.month > 3 else end.year - 1
    number = {6: 1, 9: 2, 12: 3, 3: 4}[end.month]
    return f"Quarter {number} {year}/{(year + 1) % 100:02d}"


def default_schedule(round) -> list[tuple[str, date, date, date]]:
    """(title, period start, period end, due) for a round without a schedule, from its dates.

    Projects start the day after the round is decided (its decision date, else the day it closes)
    and run to the end of the round's financial year, or for a year if that is later. Each
    calendar quarter of that time gets a return due at the end of the following month (a first
    part-quarter of less than a month goes into the next one); a final return over the whole time
    is due two months after it ends. The manager changes any of it."""
    start = (round.decision_date or timezone.localdate(round.closes_at)) + timedelta(days=1)
    end = max(date(round.financial_year + 1, 3, 31), _quarter_end(start + timedelta(days=364)))
    rows = []
    quarter_end = _quarter_end(start)
    if (quarter_end - start).days < 30:
        quarter_end = _quarter_end(quarter_end + timedelta(days=1))
    period_start = start
    while quarter_end <= end:
        rows.append((_financial_quarter(quarter_end), period_start, quarter_end, _due_after(quarter_end)))
        period_start = quarter_end + timedelta(days=1)
        quarter_end = _quarter_end(period_start)
    rows.append(("Final return", start, end, _due_after(end, months=2)))
    return rows


@transaction.atomic
def return_schedule_default(*, round, actor) -> list[ReturnPeriod]:
    """Give a round with no schedule of returns the default one (`default_schedule`), so no award
    made in it says "No returns scheduled". Runs when the round is published (a round opening
    step, see AwardsConfig.ready) and from the button on the monitoring page of a round that
    opened without one. A round that has a schedule keeps it: nothing happens."""
    if actor is not None and not can_manage_programme(actor, round.programme):
        raise AwardError("Only the programme's manager can set the return schedule")
    if ReturnPeriod.objects.filter(round=round).exists():
        return []
    periods = ReturnPeriod.objects.bulk_create(
        [
            ReturnPeriod(round=round, title=title, period_start=start, period_end=end, due_on=due)
            for title, start, end, due in default_schedule(round)
        ]
    )
    for award in round.awards.filter(status__in=Award.LIVE):
        returns_create(award=award)
    audit_record(
        actor=actor,
        action="round.return_schedule_default",
        target=round,
        summary=f"Default schedule: {counted(len(periods), 'return')}, {periods[0].period_start} to {periods[-1].period_end}",
    )
    return periods


@transaction.atomic
def output_targets_set(
    *,
    award: Award,
    actor,
    targets: dict[int, Decimal],
    baselines: dict[int, Decimal] | None = None,
    tolerances: dict[int, Decimal | None] | None = None,
    at: datetime | None = None,
) -> None:
    """Targets per round output for one award: {round_output_id: target}. A new target gets its
    inception baseline (`baselines`, else the target itself) as the first row of its forecast
    history; after that the baseline changes only through an approved variation. `tolerances`
    overrides the round output's (None: use the round's again). `at` dates the baseline, for
    entering history from before the service (the demo); pages never pass it."""
    if not perms.can_manage(actor, award):
        raise AwardError("Only the programme's manager can set targets")
    baselines, tolerances = baselines or {}, tolerances or {}
    outputs = {o.pk: o for o in RoundOutput.objects.filter(round_id=award.round_id)}
    existing = {t.output_id: t for t in OutputTarget.objects.select_for_update().filter(award=award)}
    for output_id, target in targets.items():
        if output_id not in outputs:
            raise AwardError("That output is not reported in this round")
        name = outputs[output_id].name
        if target is None or Decimal(target) < 0:
            raise AwardError(f"{name}: enter a target of 0 or more")
        tolerance = tolerances.get(output_id)
        if tolerance is not None and (tolerance < 0 or tolerance > 1000):
            raise AwardError(f"{name}: enter a tolerance from 0 to 1,000 per cent")
        baseline = baselines.get(output_id)
        if baseline is not None and baseline < 0:
            raise AwardError(f"{name}: enter a baseline of 0 or more")
        row = existing.get(output_id)
        if row is None:
            row = OutputTarget.objects.create(
                award=award, output_id=output_id, target=Decimal(target), baseline=baseline, tolerance=tolerance
            )
            forecasts.baseline_start(target=row, actor=actor, at=at)
            continue
        if baseline is not None and baseline != row.baseline:
            raise AwardError(f"{name}: the baseline is set; it changes only through an approved variation")
        row.target = Decimal(target)
        if output_id in tolerances:
            row.tolerance = tolerance
        row.save(update_fields=["target", "tolerance"])
    audit_record(actor=actor, action="award.targets", target=award, summary=f"{len(targets)} target(s) set")
