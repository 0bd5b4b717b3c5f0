"""Declarations of interest and conflicts. A conflict withdraws access at once."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grants.core.audit import audit_record
from grants.models import Organisation, Round, User

from ..models import Assignment, Declaration, Interest, PanelMember
from ..permissions import conflicted_bid_ids
from .common import AssessmentError, round_managers
from .totals import bid_totals_refresh


def _ensure_member(user: User, round: Round) -> None:
    if not PanelMember.objects.filter(panel__round=round, user=user).exists():
        raise AssessmentError("Only members of this round's panel declare interests")


def _notify_conflict(*, bid, user: User, reason: str) -> None:
    from notifications.services import notify

    for manager in round_managers(bid.round):
        notify(
            recipient=manager,
            programme=bid.round.programme_id,
            event="conflict_declared",
            context={
                "reference": bid.reference or "",
                "organisation_name": bid.lead.short_name,
                "assessor_name": user.get_full_name(),
                "reason": reason,
            },
            dedupe_key=f"conflict_declared:{bid.pk}:{user.pk}",
            url=reverse("scoring:assignments", args=[bid.round.slug]),
        )


def _withdraw_conflicted(*, user: User, round: Round, reason: str) -> list[Assignment]:
    """Withdraw every active assignment of `user` on a bid they are now conflicted on."""
    conflicted = conflicted_bid_ids(user=user, round=round)
    rows = list(
        Assignment.objects.select_for_update()
        .filter(assessor=user, bid__round=round, bid_id__in=conflicted, withdrawn_at__isnull=True)
        .select_related("bid", "bid__round", "bid__lead")
    )
    now = timezone.now()
    for row in rows:
        row.withdrawn_at = now
        row.withdrawn_reason = f"Conflict of interest: {reason}"[:300]
        row.needs_reassignment = True
        row.save(update_fields=["withdrawn_at", "withdrawn_reason", "needs_reassignment"])
        audit_record(actor=user, action="assignment.withdrawn_conflict", target=row, summary=reason)
        _notify_conflict(bid=row.bid, user=user, reason=reason)
    bid_totals_refresh(row.bid_id for row in rows)
    return rows


@transaction.atomic
def interest_add(*, round: Round, user: User, organisation: Organisation, nature: str) -> Interest:
    _ensure_member(user, round)
    if not nature.strip():
        raise AssessmentError("Describe the nature of the interest")
    interest = Interest.objects.create(round=round, user=user, organisation=organisation, nature=nature.strip())
    audit_record(actor=user, action="interest.declared", target=interest, summary=f"{organisation}: {nature}"[:500])
    _withdraw_conflicted(user=user, round=round, reason=nature.strip())
    return interest


@transaction.atomic
def interest_remove(*, interest: Interest, user: User) -> None:
    """Only before the declaration is confirmed: afterwards the register is a record."""
    if interest.user_id != user.pk:
        raise AssessmentError("You can only remove your own interests")
    if Declaration.objects.filter(round_id=interest.round_id, user=user).exists():
        raise AssessmentError("Your declaration is confirmed, so its interests stay on the register")
    audit_record(actor=user, action="interest.removed", target=interest, summary=str(interest))
    interest.delete()


@transaction.atomic
def declaration_confirm(*, round: Round, user: User) -> Declaration:
    _ensure_member(user, round)
    declaration, created = Declaration.objects.get_or_create(
        round=round, user=user, defaults={"confirmed_at": timezone.now()}
    )
    if created:
        count = Interest.objects.filter(round=round, user=user).count()
        audit_record(actor=user, action="declaration.confirmed", target=declaration, summary=f"{count} interests")
    return declaration


@transaction.atomic
def conflict_declare(*, bid, user: User, nature: str) -> Interest:
    """A conflict found while assessing: recorded, access withdrawn now, managers told."""
    _ensure_member(user, bid.round)
    if not nature.strip():
        raise AssessmentError("Describe the conflict of interest")
    interest = Interest.objects.create(round=bid.round, user=user, bid=bid, nature=nature.strip())
    audit_record(actor=user, action="interest.conflict_declared", target=interest, summary=nature[:500])
    withdrawn = _withdraw_conflicted(user=user, round=bid.round, reason=nature.strip())
    if not withdrawn:  # not assigned: managers still learn of it for the register
        _notify_conflict(bid=bid, user=user, reason=nature.strip())
    return interest
