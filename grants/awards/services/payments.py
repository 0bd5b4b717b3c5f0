"""Writes for money: the payment schedule (tranches), payments re-confirmed with a second
factor under a lock on the award row, and funds returned or clawed back."""

from datetime import date
from decimal import Decimal

from allauth.core import ratelimit
from allauth.core.context import request_context
from allauth.mfa.base.forms import ReauthenticateForm
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from grants.awards.models import Award, AwardStatus, FundReturn, PaymentTranche, TrancheStatus
from grants.core.audit import audit_record
from grants.core.money import pounds, to_pounds
from grants.core.transitions import transition
from grants.models import User

from .. import permissions as perms
from .awards import award_transition
from .common import AwardError, lead_officers, notify_people

A = AwardStatus
# The rate limit (settings.ACCOUNT_RATE_LIMITS, "5/15m/user") on wrong codes at the payment step.
PAYMENT_CODE_LIMIT = "payment_code"
CODE_LOCKED = "You have entered a wrong code too many times. Wait 15 minutes, then try again"
CODE_WRONG = "Enter a current code from your authenticator app"


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
            f"The tranches must add up to the award of {pounds(award.amount)}: "
            f"{pounds(paid_total)} paid plus {pounds(planned_total)} planned is {pounds(paid_total + planned_total)}"
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


def second_factor_check(*, request: HttpRequest, code: str, award: Award) -> None:
    """Re-authenticate the signed-in user with their authenticator code through allauth's own
    reauthentication form, so the code is checked, used once and recorded as allauth does at
    sign-in, and wrong codes count towards its failed sign-in limits. On top, our `payment_code`
    limit locks payments for the user after 5 wrong codes in 15 minutes, on the record.

    Runs outside the payment's transaction: the lockout's audit row must survive the refusal.
    Only a POST is accepted, because allauth's rate limits do not count GET requests.
    """
    user = request.user
    if request.method != "POST":
        raise AwardError({"totp_code": CODE_WRONG})
    if not ratelimit.consume(request, action=PAYMENT_CODE_LIMIT, user=user, dry_run=True):
        raise AwardError({"totp_code": CODE_LOCKED})
    form = ReauthenticateForm(data={"code": "".join((code or "").split())}, user=user)
    with request_context(request):  # allauth's forms find the request (for its limits) here
        if form.is_valid():
            form.save()
            ratelimit.clear(request, action=PAYMENT_CODE_LIMIT, user=user)
            return
    if any(e.code == "too_many_login_attempts" for e in form.errors.as_data().get("code", [])):
        # allauth's own limit on failed sign-ins (by address and by user) refused before checking.
        raise AwardError({"totp_code": "Too many wrong codes have been entered. Wait a few minutes, then try again"})
    ratelimit.consume(request, action=PAYMENT_CODE_LIMIT, user=user)
    if ratelimit.consume(request, action=PAYMENT_CODE_LIMIT, user=user, dry_run=True):
        raise AwardError({"totp_code": CODE_WRONG})
    with transaction.atomic():
        audit_record(
            actor=user,
            action="award.payment_code_locked",
            target=award,
            summary=f"Payments locked for 15 minutes for {user} after repeated wrong authenticator codes",
        )
    raise AwardError({"totp_code": CODE_LOCKED})


def paid_total(award: Award) -> Decimal:
    return award.tranches.filter(status=TrancheStatus.PAID).aggregate(s=Sum("amount"))["s"] or Decimal("0")


def returned_total(award: Award) -> Decimal:
    return award.fund_returns.aggregate(s=Sum("amount"))["s"] or Decimal("0")


def payment_record(
    *,
    tranche: PaymentTranche,
    actor: User,
    paid_on: date,
    payment_reference: str,
    totp_code: str,
    request: HttpRequest,
) -> PaymentTranche:
    """A finance officer approves and records a tranche's payment after re-confirming their
    second factor (checked first, outside the payment's transaction, see second_factor_check).
    It takes the officer's own request: the code re-authenticates a person signed in at a browser,
    so a payment cannot be recorded by a script acting for them."""
    if not perms.can_pay(actor):
        raise AwardError("Only a finance officer can record a payment")
    if request.user.pk != actor.pk:
        raise AwardError("A payment can only be approved by the finance officer signed in")
    second_factor_check(request=request, code=totp_code, award=tranche.award)
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
            f"This payment would take the total paid to {pounds(already + tranche.amount)}, "
            f"more than the award of {pounds(award.amount)}"
        )
    reference = payment_reference.strip()[:60]
    transition(
        tranche,
        to=TrancheStatus.PAID,
        actor=actor,
        action="award.payment",
        target=award,
        summary=f"Paid tranche {tranche.number}: {pounds(tranche.amount)} on {paid_on}, reference {reference}",
        data={"tranche": tranche.pk, "amount": str(tranche.amount)},
        fields={
            "paid_on": paid_on,
            "payment_reference": reference,
            "approved_by": actor,
            "approved_at": timezone.now(),
        },
        error=AwardError,
    )
    if award.status == A.ACCEPTED:
        award_transition(award=award, to=A.ACTIVE, actor=actor, reason="First payment made")
    notify_people(
        people=lead_officers(award),
        event="payment_made",
        award=award,
        key=f"{tranche.pk}",
        amount=tranche.amount,
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
        raise AwardError(f"Only {pounds(available)} has been paid and not yet returned")
    row = FundReturn.objects.create(
        award=award, kind=kind, amount=amount, returned_on=returned_on, reason=reason.strip(), recorded_by=actor
    )
    audit_record(actor=actor, action=f"award.funds_{kind}", target=award, summary=f"{pounds(amount)}: {reason.strip()}")
    return row
