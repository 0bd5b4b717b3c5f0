"""Spend in a return (issue 17): what the council reports for the period and its forecast at
completion, checked once here for the form, a draft and a send alike."""

from decimal import Decimal, InvalidOperation

from django.db import transaction

from grants.awards.models import Award
from grants.awards.models.monitoring import SPEND_FIELDS, MonitoringReturn
from grants.core.audit import audit_record
from grants.core.money import percent
from grants.permissions import can_manage_programme

from .common import AwardError

LABELS = {
    "spend_capital": "Capital spent this period",
    "spend_revenue": "Revenue spent this period",
    "match_spent": "Match funding spent this period",
    "forecast_capital": "Forecast capital spend at completion",
    "forecast_revenue": "Forecast revenue spend at completion",
}
CENT = Decimal("0.01")


def spend_required_fields(award: Award) -> tuple[str, ...]:
    """What a return must report before it is sent: nothing unless the round asks for spend;
    match funding only where the award has some."""
    if not award.round.returns_ask_spend:
        return ()
    if award.match_funding:
        return SPEND_FIELDS
    return tuple(f for f in SPEND_FIELDS if f != "match_spent")


def _amount(raw, label: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        raise AwardError(f"{label} must be an amount in pounds, like 25000 or 25,000.50")
    if not value.is_finite():
        raise AwardError(f"{label} must be an amount in pounds, like 25000 or 25,000.50")
    if value < 0:
        raise AwardError(f"{label} must be £0 or more")
    if value != value.quantize(CENT):
        raise AwardError(f"{label} must have no more than 2 decimal places")
    return value


def spend_parse(spend: dict | None, *, required: tuple[str, ...] = ()) -> dict[str, Decimal | None]:
    """The five spend figures as Decimals (None where left empty), or a refusal naming the field."""
    spend = spend or {}
    parsed, errors = {}, {}
    for field in SPEND_FIELDS:
        try:
            parsed[field] = _amount(spend.get(field), LABELS[field])
        except AwardError as exc:
            errors[field] = exc.messages[0]
            continue
        if parsed[field] is None and field in required:
            errors[field] = f"Enter {LABELS[field][:1].lower()}{LABELS[field][1:]}, or 0"
    if errors:
        raise AwardError(errors)
    return parsed


def spend_snapshot(mreturn: MonitoringReturn) -> dict[str, str | None]:
    """The return's spend as text (JSON-safe), for the certification snapshot."""
    return {f: (None if getattr(mreturn, f) is None else str(getattr(mreturn, f))) for f in SPEND_FIELDS}


@transaction.atomic
def round_spend_settings_set(
    *, round, actor, returns_ask_spend: bool, spend_tolerance_percent: Decimal, returns_need_certifying: bool
):
    """The manager decides whether the round's returns must report spend, the tolerance that
    flags a forecast, and whether the council must certify each return. A return already with
    the certifier stays there; returns sent from now follow the new setting."""
    if not can_manage_programme(actor, round.programme):
        raise AwardError("Only the programme's manager can change the round's monitoring")
    if spend_tolerance_percent is None or not (0 <= spend_tolerance_percent <= 100):
        raise AwardError({"spend_tolerance_percent": "Spend tolerance must be between 0% and 100%"})
    round.returns_ask_spend = bool(returns_ask_spend)
    round.spend_tolerance_percent = spend_tolerance_percent
    round.returns_need_certifying = bool(returns_need_certifying)
    round.save(update_fields=["returns_ask_spend", "spend_tolerance_percent", "returns_need_certifying"])
    audit_record(
        actor=actor,
        action="round.spend_settings",
        target=round,
        summary=(
            f"Spend {'required' if returns_ask_spend else 'optional'}, tolerance {percent(spend_tolerance_percent, places=2)}, "
            f"certification {'required' if returns_need_certifying else 'not required'}"
        ),
    )
    return round
