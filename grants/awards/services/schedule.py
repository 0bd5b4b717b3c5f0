"""Writes for a round's monitoring set-up: its schedule of returns, the outputs it reports
(chosen from the catalogue) and each award's targets."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from grants.awards.models import Award, OutputKind, OutputTarget, OutputUnit, ReturnPeriod, RoundOutput
from grants.awards.models.monitoring import OUTPUT_UNITS
from grants.core.audit import audit_record
from grants.permissions import can_manage_programme

from .. import permissions as perms
from .awards import returns_create
from .common import AwardError


@transaction.atomic
def round_output_add(*, round, actor, kind: str, label: str = "", unit: str = "") -> RoundOutput:
    """Add an output from the catalogue (or a custom one, with a label and a unit) to a round."""
    if not can_manage_programme(actor, round.programme):
        raise AwardError("Only the programme's manager can choose the outputs")
    if kind not in OutputKind.values:
        raise AwardError({"kind": "Choose an output"})
    label = label.strip()
    if kind == OutputKind.CUSTOM:
        if not label:
            raise AwardError({"label": "Enter a name for the custom output"})
        if unit not in OutputUnit.values:
            raise AwardError({"unit": "Choose pounds or a count"})
    else:
        label, unit = "", OUTPUT_UNITS[kind]
    if RoundOutput.objects.filter(round=round, kind=kind, label=label).exists():
        raise AwardError({"kind": "This round already reports that output"})
    order = RoundOutput.objects.filter(round=round).count()
    output = RoundOutput.objects.create(round=round, kind=kind, label=label, unit=unit, order=order)
    audit_record(actor=actor, action="round.output", target=round, summary=f"Output added: {output.name}")
    return output


@transaction.atomic
def return_period_add(*, round, actor, title: str, period_start: date, period_end: date, due_on: date) -> ReturnPeriod:
    """Add a return to a round's schedule; every live award in the round gets it."""
    if not can_manage_programme(actor, round.programme):
        raise AwardError("Only the programme's manager can set the return schedule")
    if not title.strip():
        raise AwardError({"title": "Enter a name for the return, for example Quarter 1 2019/20"})
    if period_end < period_start:
        raise AwardError({"period_end": "The period must end on or after it starts"})
    if due_on < period_end:
        raise AwardError({"due_on": "The return must be due on or after the period ends"})
    if ReturnPeriod.objects.filter(round=round, title=title.strip()).exists():
        raise AwardError({"title": "This round already has a return with that name"})
    period = ReturnPeriod.objects.create(
        round=round, title=title.strip(), period_start=period_start, period_end=period_end, due_on=due_on
    )
    for award in round.awards.filter(status__in=Award.LIVE):
        returns_create(award=award)
    audit_record(actor=actor, action="round.return_period", target=round, summary=f"{period.title} due {due_on}")
    return period


@transaction.atomic
def output_targets_set(*, award: Award, actor, targets: dict[int, Decimal]) -> None:
    """Targets per round output for one award: {round_output_id: target}."""
    if not perms.can_manage(actor, award):
        raise AwardError("Only the programme's manager can set targets")
    outputs = {o.pk: o for o in RoundOutput.objects.filter(round_id=award.round_id)}
    for output_id, target in targets.items():
        if output_id not in outputs:
            raise AwardError("That output is not reported in this round")
        if target is None or Decimal(target) < 0:
            raise AwardError(f"{outputs[output_id].name}: enter a target of 0 or more")
        OutputTarget.objects.update_or_create(award=award, output_id=output_id, defaults={"target": Decimal(target)})
    audit_record(actor=actor, action="award.targets", target=award, summary=f"{len(targets)} target(s) set")
