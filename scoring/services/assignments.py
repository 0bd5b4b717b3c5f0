"""Who assesses which bid: manual, bulk, automatic, and reassignment after a withdrawal."""

from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grants.core.audit import audit_record
from grants.core.dates import govuk_when
from grants.core.words import counted
from grants.models import Round, User

from ..allocation import allocate
from ..models import Assignment, PanelMember
from ..permissions import conflicted_bid_ids, is_conflicted, panel_for
from ..selectors import live_bids
from .common import AssessmentError
from .criteria import ensure_criteria_set
from .totals import bid_totals_refresh


def _notify_assigned(*, round: Round, created: list[Assignment]) -> None:
    from notifications.services import notify

    by_person: dict[int, list[Assignment]] = defaultdict(list)
    for row in created:
        by_person[row.assessor_id].append(row)
    deadline = timezone.localtime(round.assessment_deadline) if round.assessment_deadline else None
    for rows in by_person.values():
        notify(
            recipient=rows[0].assessor,
            programme=round.programme_id,
            event="assessor_assigned",
            context={
                "round_name": round.name,
                "count": len(rows),
                "deadline": govuk_when(deadline) if deadline else "",
            },
            dedupe_key=f"assessor_assigned:{round.pk}:{rows[0].assessor_id}:{max(r.pk for r in rows)}",
            url=reverse("scoring:queue", args=[round.slug]),
        )


def _create(*, bid, assessor: User, actor: User | None) -> Assignment:
    row = Assignment.objects.create(bid=bid, assessor=assessor, assigned_by=actor)
    audit_record(actor=actor, action="assignment.created", target=row, summary=f"{assessor} on {bid}")
    return row


def _check(*, bid, assessor: User) -> None:
    if not live_bids(bid.round).filter(pk=bid.pk).exists():
        raise AssessmentError(f"{bid} is not a submitted full bid and cannot be assessed")
    if not PanelMember.objects.filter(panel__round_id=bid.round_id, user=assessor).exists():
        raise AssessmentError(f"{assessor} is not on this round's panel")
    if is_conflicted(assessor, bid):
        raise AssessmentError(f"{assessor} has a conflict of interest with {bid} and cannot assess it")
    if Assignment.objects.filter(bid=bid, assessor=assessor, withdrawn_at__isnull=True).exists():
        raise AssessmentError(f"{assessor} is already assessing {bid}")


@transaction.atomic
def assign(*, bid, assessor: User, actor: User) -> Assignment:
    ensure_criteria_set(bid.round)
    _check(bid=bid, assessor=assessor)
    row = _create(bid=bid, assessor=assessor, actor=actor)
    Assignment.objects.filter(bid=bid, needs_reassignment=True).update(needs_reassignment=False)
    _notify_assigned(round=bid.round, created=[row])
    return row


@transaction.atomic
def assignments_bulk(*, bids, assessor: User, actor: User) -> tuple[list[Assignment], list[str]]:
    """Assign one assessor to many bids; conflicted or duplicate pairs are skipped and reported."""
    bids = list(bids)
    for bid_round in {bid.round_id: bid.round for bid in bids}.values():
        ensure_criteria_set(bid_round)
    created, skipped = [], []
    round = None
    for bid in bids:
        round = bid.round
        try:
            _check(bid=bid, assessor=assessor)
        except AssessmentError as exc:
            skipped.append(exc.messages[0])
            continue
        created.append(_create(bid=bid, assessor=assessor, actor=actor))
    if created:
        _notify_assigned(round=round, created=created)
    return created, skipped


@transaction.atomic
def assignment_auto(*, round: Round, actor: User | None, per_bid: int | None = None) -> list[Assignment]:
    """Fill every live bid up to the round's number of assessors, never with a conflicted one
    nor with one already withdrawn from that bid (only a manual assignment can bring them back)."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    ensure_criteria_set(round)
    panel = panel_for(round)
    per_bid = per_bid or panel.assessors_per_bid
    members = list(User.objects.filter(panel_memberships__panel=panel).order_by("pk"))
    bid_ids = list(live_bids(round).values_list("pk", flat=True))
    conflicts = {(b, m.pk) for m in members for b in conflicted_bid_ids(user=m, round=round)}
    # Someone taken off a bid (a reassignment, a conflict) is never put straight back on it.
    conflicts |= set(
        Assignment.objects.filter(bid__round=round, withdrawn_at__isnull=False).values_list("bid_id", "assessor_id")
    )
    existing = set(
        Assignment.objects.filter(bid__round=round, withdrawn_at__isnull=True).values_list("bid_id", "assessor_id")
    )
    plan = allocate(
        bids=bid_ids, assessors=[m.pk for m in members], per_bid=per_bid, conflicts=conflicts, existing=existing
    )
    people = {m.pk: m for m in members}
    rows = [Assignment(bid_id=b, assessor=people[a], assigned_by=actor) for b, chosen in plan.items() for a in chosen]
    created = Assignment.objects.bulk_create(rows)
    if created and not created[0].pk:  # SQLite before 3.35 gives no ids back
        created = list(Assignment.objects.filter(bid__round=round, assigned_by=actor).order_by("-pk")[: len(rows)])
    Assignment.objects.filter(bid_id__in=plan.keys(), needs_reassignment=True).update(needs_reassignment=False)
    audit_record(
        actor=actor,
        action="assignment.auto",
        target=round,
        summary=f"{counted(len(created), 'assignment')} made automatically, {counted(per_bid, 'assessor')} a bid",
        data={"per_bid": per_bid, "created": len(created)},
    )
    for row in created:
        row.assessor = people[row.assessor_id]
    _notify_assigned(round=round, created=created)
    return created


@transaction.atomic
def assignment_withdraw(*, assignment: Assignment, actor: User, reason: str) -> Assignment:
    """Take a bid off an assessor's queue (reassignment); their scores stop counting."""
    if assignment.withdrawn_at:
        raise AssessmentError("This assignment was already withdrawn")
    if not reason.strip():
        raise AssessmentError("Give a reason for withdrawing the assignment")
    assignment.withdrawn_at = timezone.now()
    assignment.withdrawn_reason = reason.strip()[:300]
    assignment.needs_reassignment = True
    assignment.save(update_fields=["withdrawn_at", "withdrawn_reason", "needs_reassignment"])
    audit_record(actor=actor, action="assignment.withdrawn", target=assignment, summary=reason[:500])
    bid_totals_refresh([assignment.bid_id])
    return assignment
