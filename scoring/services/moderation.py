"""Moderation: the chair or a manager settles a criterion's score for a bid, with a reason."""

from django.db import transaction

from grants.models import User
from grants.services import audit_record

from ..models import Criterion, ModeratedScore
from ..permissions import can_moderate_bid
from .common import AssessmentError


@transaction.atomic
def moderated_score_record(*, bid, criterion: Criterion, score: int, reason: str, actor: User) -> ModeratedScore:
    if not can_moderate_bid(actor, bid):
        raise AssessmentError("You cannot moderate this bid")
    if criterion.round_id != bid.round_id:
        raise AssessmentError("That criterion is not in this bid's round")
    if not (criterion.min_score <= score <= criterion.max_score):
        raise AssessmentError(f"{criterion.name}: choose a score from {criterion.min_score} to {criterion.max_score}")
    if not reason.strip():
        raise AssessmentError(f"{criterion.name}: give a reason for the moderated score")
    if hasattr(bid, "decision") and bid.decision.is_confirmed and bid.status != "reserve":
        raise AssessmentError("A decision on this bid is confirmed; its scores can no longer be moderated")
    previous = ModeratedScore.objects.select_for_update().filter(bid=bid, criterion=criterion, is_current=True).first()
    if previous:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    row = ModeratedScore.objects.create(
        bid=bid, criterion=criterion, score=score, reason=reason.strip(), moderated_by=actor
    )
    audit_record(
        actor=actor,
        action="moderation.recorded",
        target=bid,
        summary=f"{criterion.name}: {criterion.label_for(score)}" + (f" (was {previous.score})" if previous else ""),
        data={
            "criterion": criterion.pk,
            "score": score,
            "reason": reason.strip(),
            "previous": previous and previous.score,
        },
    )
    return row
