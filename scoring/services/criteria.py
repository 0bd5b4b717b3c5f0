"""Criteria and panel settings, configured by programme managers until scoring starts."""

from django.db import transaction

from grants.core.audit import audit_record
from grants.models import Round, User

from ..models import Criterion, Panel
from .common import AssessmentError
from .totals import round_totals_refresh

CRITERION_FIELDS = ("name", "guidance", "weight", "scale", "descriptors", "order")


def criteria_locked(round: Round) -> bool:
    """The one lock rule: criteria are locked once any score is saved for the round.

    `Round.assessment_started_at` is stamped (by `scores._scoring_started`) the first time an
    assessor saves a score, in a draft or a submission: a draft score is saved work against the
    criterion as it stands, so changing the scale or deleting the criterion would throw it
    away. Assigning assessors, opening a bid or saving a draft with no score in it (a round
    with no criteria yet cannot hold one) does not lock, so a manager can still add criteria.
    """
    return bool(round.assessment_started_at)


NO_CRITERIA = "This round has no scoring criteria yet. Add its criteria before you assign assessors"


def has_criteria(round: Round) -> bool:
    return Criterion.objects.filter(round_id=round.pk).exists()


def ensure_criteria_set(round: Round) -> None:
    """Assessors are assigned only to a round with criteria: without them there is nothing to
    score, and the assessors would be told to start work they cannot do."""
    if not has_criteria(round):
        raise AssessmentError(NO_CRITERIA)


def ensure_criteria_unlocked(round: Round) -> None:
    if criteria_locked(round):
        raise AssessmentError("Scoring has started, so the criteria can no longer be changed")


@transaction.atomic
def criterion_save(*, round: Round, actor: User, criterion: Criterion | None = None, **fields) -> Criterion:
    round = Round.objects.select_for_update().get(pk=round.pk)
    ensure_criteria_unlocked(round)
    creating = criterion is None
    criterion = criterion or Criterion(round=round)
    for name in CRITERION_FIELDS:
        if name in fields:
            setattr(criterion, name, fields[name])
    if criterion.is_gateway:
        criterion.weight = 1
    criterion.descriptors = {str(k): v for k, v in (criterion.descriptors or {}).items() if v}
    criterion.name = (criterion.name or "").strip()
    clash = Criterion.objects.filter(round=round, name__iexact=criterion.name).exclude(pk=criterion.pk).first()
    if clash:  # the round row is locked, so no one adds the same name between this check and the save
        raise AssessmentError(
            {"name": f"This round already has a criterion called {clash.name}. Enter a different name"}
        )
    criterion.full_clean(exclude=["round"])
    criterion.save()
    audit_record(
        actor=actor,
        action="criterion.created" if creating else "criterion.changed",
        target=criterion,
        summary=f"{criterion.name} ({criterion.get_scale_display()}, weight {criterion.weight})",
    )
    round_totals_refresh(round)  # a moderated bid's final score reads the weights and scales
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor: User) -> None:
    round = Round.objects.select_for_update().get(pk=criterion.round_id)
    ensure_criteria_unlocked(round)
    audit_record(actor=actor, action="criterion.deleted", target=criterion, summary=criterion.name)
    criterion.delete()
    round_totals_refresh(round)


@transaction.atomic
def panel_settings_save(
    *, panel: Panel, actor: User, assessors_per_bid: int, moderation_threshold, hide_scores_until_submitted: bool
) -> Panel:
    panel.assessors_per_bid = assessors_per_bid
    panel.moderation_threshold = moderation_threshold
    panel.hide_scores_until_submitted = hide_scores_until_submitted
    panel.full_clean()
    panel.save()
    audit_record(
        actor=actor,
        action="panel.settings_changed",
        target=panel,
        data={
            "assessors_per_bid": assessors_per_bid,
            "moderation_threshold": str(moderation_threshold),
            "hide_scores_until_submitted": hide_scores_until_submitted,
        },
    )
    return panel
