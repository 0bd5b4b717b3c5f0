"""Writes for money: the payment schedule (tranches), payments re-confirmed with a second
factor under a lock on the award row, and funds returned or clawed back."""

from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from grants.awards.models import Award, AwardStatus, FundReturn, PaymentTranche, TrancheStatus
from grants.core.money import to_pounds
from grants.models import User
from grants.services import audit_record

from .. import permissions as perms
from .awards import award_transition
from .common import AwardError, lead_officers, notify_people

A = AwardStatus
# Wrong second-factor codes a finance officer may enter before payments lock for them.
CODE_ATTEMPTS = 5
CODE_LOCKOUT_SECONDS = 15 * 60


def _tranche_problem(*, amount: Decimal, due_on, milestone, award: Award) -> str:
    if amount <= 0:
        return "enter an amount more than £0"
    if not due_on and milestone is None:
        return "enter a due date or choose the milestone it waits for"
    if milestone is not None and milestone.award_id != award.pk:
        return "that milestone belongs to another award"
    return ""


@transaction.atomic
def tranches_set(*, award: Award, actor: User, tranches: list[dict]) -> list[PaymentTranche]:
    """Re-plan the unpaid tranches. Paid ones stay; paid plus planned must equal the award.

    Each item: {"amount": Decimal, "due_on": date | None, "milestone": Milestone | None}. A refusal
    about one item carries `params={"row": index}` so a page can put it against that row.
    """
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not perms.can_manage(actor, award):
        raise AwardError("Only the programme's manager can plan payments")
    if award.status not in (A.OFFERED, A.ACCEPTED, A.ACTIVE):
        raise AwardError("Payments can only be planned for an offered or live award")
    paid = list(award.tranches.filter(status=TrancheStatus.PAID))
    paid_total = sum((t.amount for t in paid), Decimal("0"))
    planned_total = Decimal("0")
    start = max((t.number for t in paid), default=0)
    for i, item in enumerate(tranches):
        amount = to_pounds(item.get("amount") or 0)
        milestone = item.get("milestone")
        problem = _tranche_problem(amount=amount, due_on=item.get("due_on"), milestone=milestone, award=award)
        if problem:
            raise AwardError(f"Tranche {start + i + 1}: {problem}", code="row", params={"row": i})
        planned_total += amount
    if paid_total + planned_total != award.amount:
        raise AwardError(
            f"The tranches must add up to the award of £{award.amount:,.2f}: "
            f"£{paid_total:,.2f} paid plus £{planned_total:,.2f} planned is £{paid_total + planned_total:,.2f}"
        )
    award.tranches.exclude(status=TrancheStatus.PAID).delete()
    rows = PaymentTranche.objects.bulk_create(
        PaymentTranche(
            award=award,
            number=start + i,
            amount=to_pounds(item["amount"]),
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

    code = "".join((code or "").split())
    if not code.isdigit():
        return False
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return authenticator is not None and TOTP(authenticator).validate_code(code)


def _code_keys(user: User) -> tuple[str, str]:
    return f"awards:payment-code:fails:{user.pk}", f"awards:payment-code:locked:{user.pk}"


def second_factor_check(*, user: User, code: str, award: Award) -> None:
    """Refuse a wrong code, and lock payments for the user for 15 minutes after 5 wrong codes
    in a row, so the 6-digit code cannot be guessed. Runs outside the payment's transaction: the
    lockout's audit row must survive the refusal."""
    fails_key, locked_key = _code_keys(user)
    locked = "You have entered a wrong code too many times. Wait 15 minutes, then try again"
    if cache.get(locked_key):
        raise AwardError({"totp_code": locked})
    if verify_second_factor(user=user, code=code):
        cache.delete(fails_key)
        return
    cache.add(fails_key, 0, CODE_LOCKOUT_SECONDS)
    try:
        fails = cache.incr(fails_key)
    except ValueError:  # expired between add and incr
        cache.set(fails_key, 1, CODE_LOCKOUT_SECONDS)
        fails = 1
    if fails >= CODE_ATTEMPTS:
        cache.set(locked_key, True, CODE_LOCKOUT_SECONDS)
        cache.delete(fails_key)
        with transaction.atomic():
            audit_record(
                actor=user,
                action="award.payment_code_locked",
                target=award,
                summary=f"Payments locked for 15 minutes for {user} after {fails} wrong authenticator codes",
            )
        raise AwardError({"totp_code": locked})
    raise AwardError({"totp_code": "Enter a current code from your authenticator app"})


def paid_total(award: Award) -> Decimal:
    return award.tranches.filter(status=TrancheStatus.PAID).aggregate(s=Sum("amount"))["s"] or Decimal("0")


def returned_total(award: Award) -> Decimal:
    return award.fund_returns.aggregate(s=Sum("amount"))["s"] or Decimal("0")


def payment_record(
    *, tranche: PaymentTranche, actor: User, paid_on: date, payment_reference: str, totp_code: str
) -> PaymentTranche:
    """A finance officer approves and records a tranche's payment after re-confirming their
    second factor (checked first, outside the payment's transaction, see second_factor_check)."""
    if not perms.can_pay(actor):
        raise AwardError("Only a finance officer can record a payment")
    second_factor_check(user=actor, code=totp_code, award=tranche.award)
    return _payment_apply(tranche=tranche, actor=actor, paid_on=paid_on, payment_reference=payment_reference)


@transaction.atomic
def _payment_apply(*, tranche: PaymentTranche, actor: User, paid_on: date, payment_reference: str) -> PaymentTranche:
    """The award row is locked, so two payments at once cannot pass the award."""
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
    amount = to_pounds(amount)
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
