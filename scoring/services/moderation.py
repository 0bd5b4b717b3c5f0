"""Moderation: the chair or a manager settles a criterion's score for a bid, with a reason.

Audit records go against the ModeratedScore, never the Bid: a bid's history is read by its
council (and by assessors), who must not see scores before the outcome is confirmed."""

from django.db import transaction

from grants.core.audit import audit_record
from grants.models import Round, User

from ..models import Criterion, ModeratedScore
from ..permissions import can_moderate_bid
from .common import AssessmentError, confirmed_outcome, ensure_assessment_open
from .totals import bid_totals_refresh


def _check_bid(*, bid, actor: User) -> None:
    if not can_moderate_bid(actor, bid):
        raise AssessmentError("You cannot moderate this bid")
    ensure_assessment_open(Round.objects.get(pk=bid.round_id), doing="Moderation")  # as saved now
    if confirmed_outcome(bid):
        raise AssessmentError("A decision on this bid is confirmed; its scores can no longer be moderated")


def clean_moderation(criteria: list[Criterion], posted: dict) -> tuple[list[tuple[Criterion, int, str]], dict]:
    """Check every criterion's posted (score, reason) before anything is written.

    `posted` maps criterion id to (raw score, reason). A criterion with neither is left as it
    is. Returns the entries to record and the errors keyed by field name (score_<id>, reason_<id>).
    """
    entries, errors = [], {}
    for c in criteria:
        raw, reason = posted.get(c.pk, ("", ""))
        raw, reason = str(raw if raw is not None else "").strip(), (reason or "").strip()
        if raw == "" and not reason:
            continue
        try:
            score = int(raw)
        except ValueError:
            errors[f"score_{c.pk}"] = f"{c.name}: choose a score"
            score = None
        if score is not None and not (c.min_score <= score <= c.max_score):
            errors[f"score_{c.pk}"] = f"{c.name}: choose a score from {c.min_score} to {c.max_score}"
        if not reason:
            errors[f"reason_{c.pk}"] = f"{c.name}: give a reason for the moderated score"
        if f"score_{c.pk}" not in errors and f"reason_{c.pk}" not in errors:
            entries.append((c, score, reason))
    return entries, errors


def _record(*, bid, criterion: Criterion, score: int, reason: str, actor: User) -> ModeratedScore:
    previous = ModeratedScore.objects.select_for_update().filter(bid=bid, criterion=criterion, is_current=True).first()
    if previous:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    row = ModeratedScore.objects.create(bid=bid, criterion=criterion, score=score, reason=reason, moderated_by=actor)
    audit_record(
        actor=actor,
        action="moderation.recorded",
        target=row,
        summary=f"{criterion.name}: {criterion.label_for(score)}"
        + (f" (was {criterion.label_for(previous.score)})" if previous else ""),
        data={
            "bid": bid.pk,
            "criterion": criterion.pk,
            "score": score,
            "reason": reason,
            "previous": previous and previous.score,
        },
    )
    return row


@transaction.atomic
def moderated_scores_record(*, bid, criteria: list[Criterion], posted: dict, actor: User) -> list[ModeratedScore]:
    """All or nothing: every posted criterion is checked first, then all are recorded together."""
    _check_bid(bid=bid, actor=actor)
    if any(c.round_id != bid.round_id for c in criteria):
        raise AssessmentError("That criterion is not in this bid's round")
    entries, errors = clean_moderation(criteria, posted)
    if errors:
        raise AssessmentError(errors)
    if not entries:
        raise AssessmentError("Choose a moderated score for at least one criterion")
    rows = [_record(bid=bid, criterion=c, score=s, reason=r, actor=actor) for c, s, r in entries]
    bid_totals_refresh([bid.pk])
    return rows


def moderated_score_record(*, bid, criterion: Criterion, score: int, reason: str, actor: User) -> ModeratedScore:
    """One criterion: the demo and tests use this; errors come back as plain messages."""
    try:
        return moderated_scores_record(
            bid=bid, criteria=[criterion], posted={criterion.pk: (score, reason)}, actor=actor
        )[0]
    except AssessmentError as exc:
        if hasattr(exc, "error_dict"):
            raise AssessmentError(exc.messages) from None
        raise
