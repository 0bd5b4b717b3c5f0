"""Writes for money: the payment schedule (tranches), payments re-confirmed with a second
factor under a lock on the award row, and funds returned or clawed back."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from grants.models import Award, AwardStatus, FundReturn, PaymentTranche, TrancheStatus, User
from grants.services import audit_record

from . import permissions as perms
from .services import AwardError, _money, award_transition, lead_officers, notify_people

A = AwardStatus


@transaction.atomic
def tranches_set(*, award: Award, actor: User, tranches: list[dict]) -> list[PaymentTranche]:
    """Re-plan the unpaid tranches. Paid ones stay; paid plus planned must equal the award.

    Each item: {"amount": Decimal, "due_on": date | None, "milestone": Milestone | None}.
    """
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not perms.can_manage(actor, award):
        raise AwardError("Only the programme's manager can plan payments")
    if award.status not in (A.OFFERED, A.ACCEPTED, A.ACTIVE):
        raise AwardError("Payments can only be planned for an offered or live award")
    paid = list(award.tranches.filter(status=TrancheStatus.PAID))
    paid_total = sum((t.amount for t in paid), Decimal("0"))
    planned_total = Decimal("0")
    for i, item in enumerate(tranches, start=1):
        amount = _money(item.get("amount") or 0)
        if amount <= 0:
            raise AwardError(f"Tranche {i}: enter an amount more than £0")
        milestone = item.get("milestone")
        if not item.get("due_on") and milestone is None:
            raise AwardError(f"Tranche {i}: enter a due date or choose the milestone it waits for")
        if milestone is not None and milestone.award_id != award.pk:
            raise AwardError(f"Tranche {i}: that milestone belongs to another award")
        planned_total += amount
    if paid_total + planned_total != award.amount:
        raise AwardError(
            f"The tranches must add up to the award of £{award.amount:,.2f}: "
            f"£{paid_total:,.2f} paid plus £{planned_total:,.2f} planned is £{paid_total + planned_total:,.2f}"
        )
    award.tranches.exclude(status=TrancheStatus.PAID).delete()
    start = max((t.number for t in paid), default=0)
    rows = PaymentTranche.objects.bulk_create(
        PaymentTranche(
            award=award,
            number=start + i,
            amount=_money(item["amount"]),
            due_on=item.get("due_on"),
            milestone=item.get("milestone"),
        )
        for i, item in enumerate(tranches, start=1)
    )
    audit_record(
        actor=actor,
        action="award.tranches_set",
        target=award,
        summary=f"{len(rows)} tranche(s) planned",
        data={"tranches": [[str(t.amount), str(t.due_on or ""), t.milestone_id] for t in rows]},
    )
    return rows


def verify_second_factor(*, user: User, code: str) -> bool:
    """True if `code` is a current TOTP code of `user` (allauth; each code works once)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    code = (code or "").replace(" ", "").strip()
    if not code.isdigit():
        return False
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return authenticator is not None and TOTP(authenticator).validate_code(code)


def paid_total(award: Award) -> Decimal:
    return award.tranches.filter(status=TrancheStatus.PAID).aggregate(s=Sum("amount"))["s"] or Decimal("0")


def returned_total(award: Award) -> Decimal:
    return award.fund_returns.aggregate(s=Sum("amount"))["s"] or Decimal("0")


@transaction.atomic
def payment_record(
    *, tranche: PaymentTranche, actor: User, paid_on: date, payment_reference: str, totp_code: str
) -> PaymentTranche:
    """A finance officer approves and records a tranche's payment after re-confirming their
    second factor. The award row is locked, so two payments at once cannot pass the award."""
    if not perms.can_pay(actor):
        raise AwardError("Only a finance officer can record a payment")
    if not verify_second_factor(user=actor, code=totp_code):
        raise AwardError("Enter a current code from your authenticator app")
    award = Award.objects.select_for_update().get(pk=tranche.award_id)
    tranche = PaymentTranche.objects.select_for_update().get(pk=tranche.pk)
    if tranche.status == TrancheStatus.PAID:
        raise AwardError(f"Tranche {tranche.number} has already been paid")
    if award.status not in Award.LIVE:
        raise AwardError("Payments can only be made on an accepted or active award")
    if tranche.milestone_id and not tranche.milestone.is_done:
        raise AwardError(f"Tranche {tranche.number} waits for a milestone the programme manager has not confirmed")
    if not payment_reference.strip():
        raise AwardError("Enter the payment reference")
    if paid_on > timezone.localdate():
        raise AwardError("The payment date cannot be in the future")
    already = paid_total(award)
    if already + tranche.amount > award.amount:
        raise AwardError(
            f"This payment would take the total paid to £{already + tranche.amount:,.2f}, "
            f"more than the award of £{award.amount:,.2f}"
        )
    tranche.status = TrancheStatus.PAID
    tranche.paid_on = paid_on
    tranche.payment_reference = payment_reference.strip()[:60]
    tranche.approved_by = actor
    tranche.approved_at = timezone.now()
    tranche.save()
    if award.status == A.ACCEPTED:
        award_transition(award=award, to=A.ACTIVE, actor=actor, reason="First payment made")
    audit_record(
        actor=actor,
        action="award.payment",
        target=award,
        summary=f"Paid tranche {tranche.number}: £{tranche.amount:,.2f} on {paid_on}, reference {tranche.payment_reference}",
        data={"tranche": tranche.pk, "amount": str(tranche.amount)},
    )
    notify_people(
        people=lead_officers(award),
        event="payment_made",
        award=award,
        key=f"{tranche.pk}",
        amount=f"{tranche.amount:,.2f}",
        paid_on=f"{paid_on:%-d %B %Y}",
    )
    return tranche


@transaction.atomic
def fund_return_record(
    *, award: Award, actor: User, amount: Decimal, returned_on: date, reason: str, kind: str = FundReturn.Kind.RETURNED
) -> FundReturn:
    """Money back from the council (returned or clawed back); never more than was paid."""
    if not (perms.can_pay(actor) or perms.can_manage(actor, award)):
        raise AwardError("Only a finance officer or the programme's manager can record returned funds")
    award = Award.objects.select_for_update().get(pk=award.pk)
    amount = _money(amount)
    if amount <= 0:
        raise AwardError("Enter an amount more than £0")
    if not reason.strip():
        raise AwardError("Enter why the money is coming back")
    if returned_on > timezone.localdate():
        raise AwardError("The date cannot be in the future")
    available = paid_total(award) - returned_total(award)
    if amount > available:
        raise AwardError(f"Only £{available:,.2f} has been paid and not yet returned")
    row = FundReturn.objects.create(
        award=award, kind=kind, amount=amount, returned_on=returned_on, reason=reason.strip(), recorded_by=actor
    )
    audit_record(actor=actor, action=f"award.funds_{kind}", target=award, summary=f"£{amount:,.2f}: {reason.strip()}")
    return row
