"""Writes for history brought in from spreadsheets (grants.awards.imports): correcting a historic
award, and its past payments, returns and returned funds. Each is keyed as the import format keys
it, so writing the same values again changes nothing and records nothing; anything that does change
leaves one audit row saying what. `actor` None is the system (the demo seed); a person must manage
the award's programme. History is recorded as it happened: no notifications, and no second factor
(the money moved years ago, outside the service).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from grants import permissions as gperms
from grants.awards.models import (
    Award,
    FundReturn,
    MonitoringReturn,
    OutputValue,
    PaymentTranche,
    ReturnPeriod,
    ReturnStatus,
    RoundOutput,
    TrancheStatus,
)
from grants.core.audit import audit_event, audit_record
from grants.core.money import pounds, to_pounds
from grants.core.transitions import transition
from grants.services import round_lock

from ..selectors import HOLDING, round_committed
from .awards import award_transition
from .common import AwardError

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
AWARD_FIELDS = (
    "lead",
    "title",
    "amount",
    "match_funding",
    "award_date",
    "status",
    "planned_start",
    "planned_end",
    "scope",
)


def _check(actor, award: Award) -> None:
    if actor is not None and not gperms.can_manage_programme(actor, award.round.programme):
        raise AwardError("Only the programme's manager or an administrator can change this award")


def _shown(value) -> str:
    if hasattr(value, "code"):
        return value.code
    return "" if value is None else str(value)


@transaction.atomic
def award_update_historic(*, award: Award, actor, partners=None, **values) -> str:
    """Bring a historic award into line with `values` (any of AWARD_FIELDS) and `partners`.
    A bigger amount is checked against the round's budget under the round lock, as a new award is.
    Returns "updated" with one audit row naming what changed, or "unchanged" with none."""
    _check(actor, award)
    award = Award.objects.select_for_update().get(pk=award.pk)
    changed = {}
    status = values.pop("status", None) or award.status  # moves through award_transition, below
    if status != award.status:
        changed["status"] = (award.status, status)
    for name, value in values.items():
        if name not in AWARD_FIELDS:
            raise AwardError(f"{name} cannot be changed here")
        if name in ("amount", "match_funding"):
            value = to_pounds(value or 0)
        if name == "scope" and not value:
            continue  # an empty scope keeps what the award says
        old = getattr(award, name)
        if old != value:
            changed[name] = (_shown(old), _shown(value))
            setattr(award, name, value)
    if partners is not None:
        have = set(award.partners.values_list("pk", flat=True))
        want = {p.pk for p in partners if p.pk != award.lead_id}
        if have != want:
            changed["partners"] = (len(have), len(want))
    if not changed:
        return UNCHANGED
    if award.amount <= 0:
        raise AwardError({"amount": "The award amount must be more than £0"})
    if "amount" in changed or "status" in changed:
        locked = round_lock(award.round_id)
        before = Award.objects.get(pk=award.pk)
        held_before = before.amount if before.status in HOLDING else Decimal("0.00")
        held_after = award.amount if status in HOLDING else Decimal("0.00")
        committed = round_committed(round=locked)
        if held_after > held_before and committed - held_before + held_after > locked.budget:
            raise AwardError(
                {
                    "amount": f"This award would commit {pounds(committed - held_before + held_after)} in "
                    f"{locked.name}, more than its budget of {pounds(locked.budget)}"
                }
            )
    award.save()
    if partners is not None:
        award.partners.set([p for p in partners if p.pk != award.lead_id])
    if "status" in changed:
        try:
            award_transition(award=award, to=status, actor=actor, reason="Corrected by the history import")
        except AwardError as exc:
            raise AwardError({"status": exc.messages}) from exc
        if len(changed) == 1:
            return UPDATED  # the move's own audit row says it all
    audit_record(
        actor=actor,
        action="award.historic_updated",
        target=award,
        summary="Historic award corrected: "
        + ", ".join(f"{k} {a or '(none)'} to {b or '(none)'}" for k, (a, b) in changed.items()),
        data={k: [str(a), str(b)] for k, (a, b) in changed.items()},
    )
    return UPDATED


@transaction.atomic
def historic_tranche_put(
    *, award: Award, actor, number: int, amount: Decimal, due_on: date | None, paid_on: date | None = None,
    payment_reference: str = "",
) -> str:  # fmt: skip
    """Tranche `number` of a historic award as the funder's records have it (paid when `paid_on`)."""
    _check(actor, award)
    amount = to_pounds(amount)
    if amount <= 0:
        raise AwardError({"amount": "Enter an amount more than £0"})
    if paid_on and paid_on > timezone.localdate():
        raise AwardError({"paid_on": "The payment date cannot be in the future"})
    paid = TrancheStatus.PAID if paid_on else TrancheStatus.PLANNED
    want = {"amount": amount, "due_on": due_on, "paid_on": paid_on, "payment_reference": payment_reference.strip()[:60]}
    tranche = PaymentTranche.objects.select_for_update().filter(award=award, number=number).first()
    summary = f"Tranche {number} recorded from history: {pounds(amount)}" + (
        f", paid on {paid_on} ({want['payment_reference'] or 'no reference'})" if paid_on else ""
    )
    if tranche is None:
        PaymentTranche.objects.create(award=award, number=number, status=paid, **want)
        audit_record(
            actor=actor, action="award.historic_payment", target=award, summary=summary, data={"tranche": number}
        )
        return CREATED
    changed = {k: (_shown(getattr(tranche, k)), _shown(v)) for k, v in want.items() if getattr(tranche, k) != v}
    if tranche.status == paid and not changed:
        return UNCHANGED
    if tranche.status == TrancheStatus.PAID and paid != TrancheStatus.PAID:
        raise AwardError({"paid_on": f"tranche {number} is recorded as paid; an import cannot undo a payment"})
    data = {"tranche": number, "changed": {k: [a, b] for k, (a, b) in changed.items()}}
    if tranche.status != paid:  # planned to paid: the tranche's own move, audited once
        fields = {k: v for k, v in want.items() if k in ("paid_on", "payment_reference")}
        for k in ("amount", "due_on"):
            setattr(tranche, k, want[k])
        tranche.save(update_fields=["amount", "due_on"])
        transition(tranche, to=paid, actor=actor, action="award.historic_payment", target=award, summary=summary,
                   data=data, fields=fields, error=AwardError)  # fmt: skip
        return UPDATED
    for k, v in want.items():
        setattr(tranche, k, v)
    tranche.save(update_fields=list(want))
    audit_record(actor=actor, action="award.historic_payment", target=award, summary=summary, data=data)
    return UPDATED


@transaction.atomic
def historic_return_put(
    *, award: Award, actor, period: str, period_start: date, period_end: date, due_on: date | None,
    sent_on: date | None, rag: str, commentary: str, values: dict[str, Decimal],
) -> str:  # fmt: skip
    """A past monitoring return, approved history: the round's period of that title (made when the
    round has none), its RAG, commentary and the figures (`values` by output kind)."""
    _check(actor, award)
    outputs = {o.kind: o for o in RoundOutput.objects.filter(round_id=award.round_id)}
    historic_return_check(period_start=period_start, period_end=period_end, values=values, outputs=outputs)
    rperiod = historic_return_period(
        round_id=award.round_id, period=period, period_start=period_start, period_end=period_end, due_on=due_on
    )
    mreturn = MonitoringReturn.objects.select_for_update().filter(award=award, period=rperiod).first()
    want = historic_return_wanted(sent_on=sent_on, rag=rag, commentary=commentary)
    wanted = {k: to_pounds(v) for k, v in values.items()}
    if mreturn is None:  # approved history from the start
        mreturn = historic_return_new(award=award, rperiod=rperiod, want=want)
        mreturn.save(force_insert=True)
        OutputValue.objects.bulk_create(historic_output_values(mreturn, wanted, outputs))
        historic_return_audit(award=award, actor=actor, period=period, rag=rag).save(force_insert=True)
        return CREATED
    summary = f"Return for {period} recorded from history ({rag or 'no RAG'})"
    changed = {k: (_shown(getattr(mreturn, k)), _shown(v)) for k, v in want.items() if getattr(mreturn, k) != v}
    have = {v.output.kind: v.value for v in mreturn.values.select_related("output")}
    for kind, value in wanted.items():
        if have.get(kind) != value:
            changed[f"output: {kind}"] = (_shown(have.get(kind)), _shown(value))
    if mreturn.status == ReturnStatus.APPROVED and not changed:
        return UNCHANGED
    for k, v in want.items():
        setattr(mreturn, k, v)
    mreturn.submission_count = max(mreturn.submission_count, 1)
    mreturn.save(update_fields=[*want, "submission_count"])
    _values_put(mreturn, wanted, outputs)
    for to in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED):  # a due return moves as a sent one would
        if mreturn.status != ReturnStatus.APPROVED and mreturn.status != to:
            transition(
                mreturn,
                to=to,
                actor=actor,
                target=award,
                action=f"return.{to}",
                reason="Recorded from history",
                error=AwardError,
            )
    audit_record(
        actor=actor, action="award.historic_return", target=award, summary=summary,
        data={"period": period, "changed": {k: [a, b] for k, (a, b) in changed.items()}},
    )  # fmt: skip
    return UPDATED


# The rules of a new historic return, shared by historic_return_put (one return) and the history
# import's bulk path (grants.awards.imports.creating), so the two can never disagree.


def historic_return_check(*, period_start: date, period_end: date, values: dict, outputs: dict) -> None:
    """Refuse a return whose period ends before it starts, or with a figure for an output the
    round does not have (`outputs`: the round's outputs by kind)."""
    if period_end < period_start:
        raise AwardError({"period_end": "The period end must be on or after its start"})
    unknown = sorted(set(values) - set(outputs))
    if unknown:
        raise AwardError({"outputs": f"The round has no output '{unknown[0]}'"})


def historic_return_period(*, round_id: int, period: str, period_start: date, period_end: date, due_on) -> ReturnPeriod:
    """The round's return period of that title, made when the round has none."""
    rperiod = ReturnPeriod.objects.filter(round_id=round_id, title=period).first()
    if rperiod is None:
        rperiod = ReturnPeriod.objects.create(
            round_id=round_id, title=period, period_start=period_start, period_end=period_end,
            due_on=due_on or period_end + timedelta(days=30),
        )  # fmt: skip
    return rperiod


def historic_return_wanted(*, sent_on: date | None, rag: str, commentary: str) -> dict:
    sent_at = timezone.make_aware(datetime.combine(sent_on, time(12))) if sent_on else None
    return {"rag": rag, "commentary": commentary.strip(), "submitted_at": sent_at}


def historic_return_new(*, award: Award, rperiod: ReturnPeriod, want: dict) -> MonitoringReturn:
    """A return the award does not have yet, approved history from the start (unsaved)."""
    return MonitoringReturn(award=award, period=rperiod, status=ReturnStatus.APPROVED, submission_count=1, **want)


def historic_output_values(mreturn: MonitoringReturn, wanted: dict[str, Decimal], outputs: dict) -> list[OutputValue]:
    """A new return's figures (unsaved)."""
    return [OutputValue(monitoring_return=mreturn, output=outputs[kind], value=v) for kind, v in wanted.items()]


def historic_return_audit(*, award: Award, actor, period: str, rag: str):
    """The audit row (unsaved, `audit_event`) of a new historic return."""
    return audit_event(
        actor=actor, action="award.historic_return", target=award,
        summary=f"Return for {period} recorded from history ({rag or 'no RAG'})", data={"period": period},
    )  # fmt: skip


def _values_put(mreturn: MonitoringReturn, wanted: dict[str, Decimal], outputs: dict[str, RoundOutput]) -> None:
    for kind, value in wanted.items():
        OutputValue.objects.update_or_create(monitoring_return=mreturn, output=outputs[kind], defaults={"value": value})


@transaction.atomic
def historic_fund_return_put(*, award: Award, actor, amount: Decimal, returned_on: date, reason: str) -> str:
    """Money the council gave back, keyed by date and amount: the same row again changes nothing
    (a different reason is a correction of that row)."""
    _check(actor, award)
    amount = to_pounds(amount)
    if amount <= 0:
        raise AwardError({"amount": "Enter an amount more than £0"})
    if not reason.strip():
        raise AwardError({"reason": "Enter why the money came back"})
    row = FundReturn.objects.filter(award=award, returned_on=returned_on, amount=amount).first()
    if row is not None and row.reason == reason.strip():
        return UNCHANGED
    outcome = CREATED if row is None else UPDATED
    if row is None:
        row = FundReturn(award=award, amount=amount, returned_on=returned_on, kind=FundReturn.Kind.RETURNED)
    row.reason = reason.strip()
    row.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    audit_record(
        actor=actor,
        action="award.historic_funds_returned",
        target=award,
        summary=f"{pounds(amount)} returned on {returned_on}, from history: {row.reason}",
    )
    return outcome
