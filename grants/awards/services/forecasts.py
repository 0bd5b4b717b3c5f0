"""Writes for output forecasts: the lead council or the programme's managers record a new forecast
of an output's final figure, with a reason; the history keeps every one. The baseline is set with
the target (its first row) and changes only through an approved variation (`rebaseline_apply`,
called by `variation_decide`)."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from grants.awards.models import Award, OutputForecast, OutputTarget, Variation
from grants.core.audit import audit_record
from grants.core.money import in_unit

from .. import permissions as perms
from .common import AwardError

INCEPTION = "Baseline at inception"


def may_forecast(user, award: Award) -> bool:
    """The lead council's officers and the programme's managers."""
    return perms.can_edit(user, award) or perms.can_manage(user, award)


def figure(raw, field: str) -> Decimal:
    """A figure typed for an output: 0 or more, at most two decimal places ("7,253", "61")."""
    try:
        value = Decimal(str(raw).replace(",", "").replace("£", "").replace("%", "").strip())
    except (InvalidOperation, ValueError):
        raise AwardError({field: "Enter a number, like 7253"})
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise AwardError({field: "Enter 0 or more, with at most 2 decimal places"})
    if value >= Decimal("1e12"):
        raise AwardError({field: "Enter a smaller number"})
    return value


def baseline_start(*, target: OutputTarget, actor, at: datetime | None = None) -> OutputForecast:
    """The first row of a target's history: its baseline (also its first forecast)."""
    return OutputForecast.objects.create(
        target=target, value=target.baseline, is_baseline=True, reason=INCEPTION, by=actor, at=at or timezone.now()
    )


def _history_started(target: OutputTarget) -> None:
    """A target set before forecasts were kept gets its baseline row, dated the award's date."""
    if not target.forecasts.exists():
        award_day = datetime.combine(target.award.award_date, datetime.min.time())
        baseline_start(target=target, actor=None, at=timezone.make_aware(award_day))


@transaction.atomic
def forecast_record(*, target: OutputTarget, actor, value, reason: str, at: datetime | None = None) -> OutputForecast:
    """A new forecast of the final figure. `at` is for entering history from before the service
    (the demo); pages never pass it."""
    target = OutputTarget.objects.select_for_update().select_related("award__round", "output").get(pk=target.pk)
    award = target.award
    if not may_forecast(actor, award):
        raise AwardError("Only the lead council or the programme's managers can record a forecast")
    if award.status not in Award.LIVE:
        raise AwardError("A forecast can be recorded while the award is live")
    value = figure(value, "value")
    if not reason.strip():
        raise AwardError({"reason": "Enter why the forecast has changed"})
    if value == target.forecast:
        raise AwardError({"value": f"The forecast is already {in_unit(value, target.output.unit)}: enter the new one"})
    _history_started(target)
    was = target.forecast
    row = OutputForecast.objects.create(
        target=target, value=value, reason=reason.strip(), by=actor, at=at or timezone.now()
    )
    target.forecast = value
    target.save(update_fields=["forecast"])
    unit = target.output.unit
    audit_record(
        actor=actor,
        action="output.forecast",
        target=award,
        summary=f"{target.output.name}: forecast {in_unit(value, unit)} (was {in_unit(was, unit)}): {row.reason}",
    )
    return row


def rebaseline_check(*, award: Award, target: OutputTarget | None, new_baseline) -> Decimal:
    """What a request to change a baseline must name: one of the award's outputs and its new
    baseline, different from the one it has."""
    if target is None or target.award_id != award.pk:
        raise AwardError({"output_target": "Choose the output whose baseline should change"})
    if new_baseline in (None, ""):
        raise AwardError({"new_baseline": "Enter the new baseline"})
    value = figure(new_baseline, "new_baseline")
    if value == target.baseline:
        raise AwardError({"new_baseline": "This is the baseline already: enter the new one"})
    return value


def rebaseline_apply(*, variation: Variation, actor) -> dict:
    """An approved variation's new baseline: recorded in the history (which makes it the latest
    forecast too) and on the target. Answers what it was, for the variation's record."""
    target = (
        OutputTarget.objects.select_for_update().select_related("award", "output").get(pk=variation.output_target_id)
    )
    _history_started(target)
    previous = {"output": target.output.name, "baseline": str(target.baseline), "forecast": str(target.forecast)}
    OutputForecast.objects.create(
        target=target, value=variation.new_baseline, is_baseline=True, reason=variation.reason, by=actor,
        variation=variation,
    )  # fmt: skip
    target.baseline = target.forecast = variation.new_baseline
    target.save(update_fields=["baseline", "forecast"])
    return previous
