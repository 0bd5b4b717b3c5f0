"""Decisions: proposed on the ranking page, confirmed one at a time or in a batch.

Confirmation locks the round row (`grants.services.round_lock`) and re-checks the money the
round has committed (`grants.awards.selectors.round_committed`, the one owner: awards after their
variations, historic awards, confirmed decisions) inside the transaction, so neither two managers
confirming at once nor a variation approved meanwhile can commit more than the budget.
"""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from applications.permissions import barred_bid_ids, who_may_hear
from grants.awards.selectors import round_committed
from grants.awards.services import award_issue
from grants.core.audit import audit_record
from grants.core.money import pounds
from grants.core.transitions import can_transition, transition
from grants.core.words import counted
from grants.models import Round, User
from grants.people_selectors import council_officers
from grants.services import round_lock

from ..models import Assessment, Criterion, Decision, DecisionStatus, Outcome, Score
from ..permissions import can_manage_round
from ..selectors import live_bids
from .common import (
    AssessmentError,
    assessments_complete,
    completed_assessments,
    ensure_assessment_open,
    more_bids_may_arrive,
    required_assessments,
)


def _bid_url(bid) -> str:
    try:
        return reverse("applications:bid_detail", args=[bid.pk])
    except NoReverseMatch:
        return ""


def gateway_failed(bid) -> bool:
    """Whether the bid fails a gateway criterion now, moderation included (one query)."""
    from ..selectors import scored_bids

    return bool(scored_bids(bid.round).filter(pk=bid.pk).values_list("gateway_failed", flat=True).first())


@transaction.atomic
def decision_propose(
    *,
    bid,
    actor: User,
    outcome: str,
    amount: Decimal | None = None,
    feedback: str = "",
    gateway_override: str = "",
    assessments_override: str = "",
) -> Decision:
    """Record (or change) the proposed outcome. A funded amount may be below the request.

    Audited against the Decision, not the Bid: the council reads the bid's history and must
    learn the outcome only when it is confirmed. Funding a bid that failed a gateway criterion
    needs a reason, kept on the decision and in the audit trail. So does any decision on a bid
    with fewer completed assessments than the round requires (`_assessments_reason`).
    Decisions wait for the round to close unless it allows early assessment.
    """
    if not can_manage_round(actor, bid.round):
        raise AssessmentError("Only the programme's managers decide on bids")
    ensure_assessment_open(Round.objects.get(pk=bid.round_id), doing="Decisions")  # as saved now, not as loaded
    if not live_bids(bid.round).filter(pk=bid.pk).exists():
        raise AssessmentError("Only submitted bids can be decided")
    if outcome not in Outcome.values:
        raise AssessmentError({"outcome": "Choose funded, not funded or reserve"})
    decision = Decision.objects.select_for_update().filter(bid=bid).first()
    if decision and not can_transition(decision, DecisionStatus.PROPOSED):  # only a confirmed reserve reopens
        raise AssessmentError("The decision on this bid is confirmed and cannot change")
    override = ""
    if outcome == Outcome.FUNDED:
        amount = bid.amount_requested if amount is None else amount
        if amount <= 0:
            raise AssessmentError({"amount": "The amount must be more than £0"})
        if amount > bid.amount_requested:
            raise AssessmentError(
                {"amount": f"The amount cannot be more than the {pounds(bid.amount_requested)} requested"}
            )
        if gateway_failed(bid):
            override = gateway_override.strip()
            if not override:
                raise AssessmentError(
                    {
                        "gateway_override": "This bid failed a gateway criterion. "
                        "Give a reason for funding it anyway, or choose another decision"
                    }
                )
    else:
        amount = None
    short_reason, complete, required = _assessments_reason(bid=bid, reason=assessments_override)
    decision = decision or Decision.objects.create(bid=bid, round_id=bid.round_id, updated_by=actor)
    transition(
        decision,
        to=DecisionStatus.PROPOSED,
        actor=actor,
        action="decision.proposed",
        summary=f"{Outcome(outcome).label}" + (f" {pounds(amount)}" if amount else ""),
        data={"bid": bid.pk, "outcome": outcome, "amount": str(amount) if amount else None},
        fields={
            "outcome": outcome,
            "amount": amount,
            "feedback": feedback.strip(),
            "gateway_override": override,
            "assessments_override": short_reason,
            "updated_by": actor,
        },
        error=AssessmentError,
    )
    if short_reason:
        # Against the bid, so its history shows it; a staff-only action, never read by the council.
        audit_record(
            actor=actor,
            action="decision.assessments_override",
            target=bid,
            summary=f"Decision proposed with {complete} of {required} required assessments complete: {short_reason}",
            data={"decision": decision.pk, "complete": complete, "required": required, "reason": short_reason},
        )
    if override:
        audit_record(
            actor=actor,
            action="decision.gateway_override",
            target=decision,
            summary=f"Funding proposed despite a failed gateway criterion: {override}",
            data={"bid": bid.pk, "reason": override},
        )
    return decision


def short_of_assessments(complete: int, required: int) -> str:
    """The refusal, saying how many are complete of how many required."""
    return (
        f"Only {complete} of the {required} required assessments of this bid {'is' if complete == 1 else 'are'} "
        "complete. Wait for the rest, or give a reason for deciding now"
    )


def _assessments_reason(*, bid, reason: str) -> tuple[str, int, int]:
    """(reason, complete, required): the reason for deciding on a bid short of its required
    assessments, empty when it is not short; refused without one, so no bid is decided on too
    few assessments by accident."""
    complete, required = assessments_complete(bid)
    if complete >= required:
        return "", complete, required
    reason = reason.strip()
    if not reason:
        raise AssessmentError({"assessments_override": short_of_assessments(complete, required)})
    return reason, complete, required


def _notify_outcome(*, decision: Decision) -> None:
    """The outcome letter: the amount as a plain number (the template's `pounds` filter shows
    it), and the outcome itself so a reserve is not written as a rejection."""
    from notifications.services import notify

    bid = decision.bid
    officers = council_officers(organisation_ids=[bid.lead_id]).order_by("pk")
    for officer in who_may_hear(bid, officers):  # never to a panel member conflicted on it
        notify(
            recipient=officer,
            programme=bid.round.programme_id,
            event="outcome",
            context={
                "reference": bid.reference or "",
                "round_name": bid.round.name,
                "outcome": decision.outcome,
                "funded": decision.outcome == Outcome.FUNDED,
                "amount": str(decision.amount) if decision.amount else "",
                "feedback": decision.feedback,
            },
            dedupe_key=f"outcome:{bid.pk}:{decision.outcome}",
            url=_bid_url(bid),
        )


def _issue_award(*, decision: Decision, actor: User) -> None:
    award_issue(bid=decision.bid, amount=decision.amount, actor=actor)


def _check_assessments(*, decisions: list[Decision]) -> None:
    """An assessment may have been withdrawn since the decision was proposed: a bid now short of
    its required assessments needs the reason before it is confirmed."""
    unexplained = [d for d in decisions if not d.assessments_override]
    if not unexplained:
        return
    required = required_assessments(unexplained[0].round_id)
    done = completed_assessments([d.bid_id for d in unexplained])
    for decision in unexplained:
        complete = done.get(decision.bid_id, 0)
        if complete < required:
            raise AssessmentError(
                f"{decision.bid}: only {complete} of the {required} required assessments "
                f"{'is' if complete == 1 else 'are'} complete. Decide on it again and give a reason for deciding now"
            )


def _check_gateways(*, round: Round, decisions: list[Decision]) -> None:
    """A gateway may have failed (moderation) since funding was proposed: it needs its reason."""
    from ..selectors import scored_bids

    funded = {d.bid_id: d for d in decisions if d.outcome == Outcome.FUNDED}
    if not funded:
        return
    failed = scored_bids(round).filter(pk__in=funded).values_list("pk", "gateway_failed")
    for pk, is_failed in failed:
        if is_failed and not funded[pk].gateway_override:
            raise AssessmentError(
                f"{funded[pk].bid} failed a gateway criterion. Decide on it again and give a reason for funding it"
            )


@transaction.atomic
def decisions_confirm(*, round: Round, bid_ids: list[int], actor: User) -> list[Decision]:
    """Confirm proposed decisions; refuses the whole batch if funding it would pass the budget."""
    if not can_manage_round(actor, round):
        raise AssessmentError("Only the programme's managers confirm decisions")
    round = round_lock(round.pk)  # one writer of committed money at a time per round
    ensure_assessment_open(round, doing="Decisions")
    decisions = list(
        Decision.objects.select_for_update(of=("self",))
        .filter(round=round, bid_id__in=bid_ids, status=DecisionStatus.PROPOSED, bid__in=live_bids(round))
        .exclude(outcome="")
        .exclude(bid_id__in=barred_bid_ids(actor))  # a conflicted manager confirms none of theirs
        .select_related("bid", "bid__lead", "bid__round")
        .order_by("bid_id")
    )
    if not decisions:
        raise AssessmentError("Choose at least one bid with a proposed decision")
    _check_assessments(decisions=decisions)
    _check_gateways(round=round, decisions=decisions)
    adding = sum((d.amount for d in decisions if d.outcome == Outcome.FUNDED), Decimal("0.00"))
    committed = round_committed(round=round)
    if committed + adding > round.budget:
        raise AssessmentError(
            f"Funding these bids would commit {pounds(committed + adding)}, more than the budget of "
            f"{pounds(round.budget)} ({pounds(committed)} is already committed)"
        )
    now = timezone.now()
    for decision in decisions:
        if decision.bid.status != decision.outcome:  # a reserve confirmed again stays a reserve
            transition(
                decision.bid,
                to=decision.outcome,
                actor=actor,
                action=f"bid.{decision.outcome}",
                reason=decision.feedback[:500],  # the audit row's summary holds 500 characters
                fields={"status_reason": decision.feedback},  # the council's bid page shows it all
                error=AssessmentError,
            )
        transition(
            decision,
            to=DecisionStatus.CONFIRMED,
            actor=actor,
            action="decision.confirmed",
            summary=f"{Outcome(decision.outcome).label}" + (f" {pounds(decision.amount)}" if decision.amount else ""),
            data={"bid": decision.bid_id},
            fields={"confirmed_by": actor, "confirmed_at": now},
            error=AssessmentError,
        )
        if decision.outcome == Outcome.FUNDED:
            _issue_award(decision=decision, actor=actor)
        _notify_outcome(decision=decision)
    round_mark_decided(round, actor=actor, now=now)
    audit_record(
        actor=actor,
        action="decision.confirmed",
        target=round,
        summary=f"{counted(len(decisions), 'decision')} confirmed; {pounds(committed + adding)} committed",
        data={"bids": [d.bid_id for d in decisions], "added": str(adding)},
    )
    return decisions


def feedback_from_justifications(*, bid) -> str:
    """A starting point for the letter: each criterion with the assessors' justifications, unnamed."""
    criteria = list(Criterion.objects.filter(round_id=bid.round_id))
    current = Assessment.objects.filter(
        bid=bid, assignment__withdrawn_at__isnull=True, submitted_version__gt=0
    ).values_list("pk", "submitted_version")
    wanted = {(pk, v) for pk, v in current}
    texts: dict[int, list[str]] = {}
    for s in Score.objects.filter(assessment_id__in=[pk for pk, _ in wanted]).order_by("assessment_id"):
        if (s.assessment_id, s.version) in wanted:
            texts.setdefault(s.criterion_id, []).append(s.justification)
    parts = []
    for c in criteria:
        if texts.get(c.pk):
            parts.append(f"{c.name}:\n" + "\n".join(f"- {t}" for t in texts[c.pk]))
    return "\n\n".join(parts)


def round_mark_decided(round: Round, *, actor: User | None = None, now: datetime | None = None) -> bool:
    """Mark the round decided once every live bid has a confirmed decision and no more can arrive.

    Confirming decisions calls this; so does the hourly `rounds_mark_decided` task, because a round
    assessed early can have every bid decided before it closes, and nothing else would mark it
    once it did. A round with no confirmed decision is left alone (nothing was decided)."""
    now = now or timezone.now()
    if round.decided_at or more_bids_may_arrive(round, now):
        return False
    bids = live_bids(round)
    if bids.exclude(decision__status=DecisionStatus.CONFIRMED).exists():
        return False
    if not bids.filter(decision__status=DecisionStatus.CONFIRMED).exists():
        return False
    round.decided_at = now
    round.save(update_fields=["decided_at", "updated_at"])
    audit_record(actor=actor, action="round.decided", target=round)
    return True
