"""A round's EOI criteria, set by its programme managers until the first EOI is scored, and the
short scores saved with a triage proposal (scoring.services.eoi.eoi_propose)."""

from django.db import transaction

from grants.core.audit import audit_record
from grants.models import Round, User

from ..models import EoiCriterion, EoiScore, EoiTriage
from .common import AssessmentError

EOI_CRITERION_FIELDS = ("name", "guidance", "max_score", "order")
EOI_CRITERIA_LOCKED = "An expression of interest has been scored, so the EOI criteria can no longer be changed"


def eoi_criteria_locked(round: Round) -> bool:
    """The lock, as for the full criteria (services.criteria.criteria_locked): once any score is
    saved against the criteria as they stand, changing a scale or removing a criterion would
    make the saved scores mean something else or throw them away."""
    return EoiScore.objects.filter(criterion__round_id=round.pk).exists()


def ensure_eoi_criteria_unlocked(round: Round) -> None:
    if eoi_criteria_locked(round):
        raise AssessmentError(EOI_CRITERIA_LOCKED)


@transaction.atomic
def eoi_criterion_save(*, round: Round, actor: User, criterion: EoiCriterion | None = None, **fields) -> EoiCriterion:
    round = Round.objects.select_for_update().get(pk=round.pk)  # eoi_propose takes the same lock to score
    ensure_eoi_criteria_unlocked(round)
    creating = criterion is None
    criterion = criterion or EoiCriterion(round=round)
    for name in EOI_CRITERION_FIELDS:
        if name in fields:
            setattr(criterion, name, fields[name])
    criterion.name = (criterion.name or "").strip()
    clash = EoiCriterion.objects.filter(round=round, name__iexact=criterion.name).exclude(pk=criterion.pk).first()
    if clash:
        raise AssessmentError(
            {"name": f"This round already has an EOI criterion called {clash.name}. Enter a different name"}
        )
    criterion.full_clean(exclude=["round"])
    criterion.save()
    audit_record(
        actor=actor,
        action="eoi_criterion.created" if creating else "eoi_criterion.changed",
        target=criterion,
        summary=f"{criterion.name} (0 to {criterion.max_score})",
    )
    return criterion


@transaction.atomic
def eoi_criterion_delete(*, criterion: EoiCriterion, actor: User) -> None:
    round = Round.objects.select_for_update().get(pk=criterion.round_id)
    ensure_eoi_criteria_unlocked(round)
    audit_record(actor=actor, action="eoi_criterion.deleted", target=criterion, summary=criterion.name)
    criterion.delete()


def eoi_scores_save(*, triage: EoiTriage, round: Round, scores: dict[int, int | None]) -> dict[str, int]:
    """Replace the proposal's scores with `scores` ({criterion id: score, or None for not
    scored}); a criterion left out is not scored. Called inside eoi_propose's transaction, with
    `round` (the bid's) locked, so no criterion changes between this check and the save. Returns
    {criterion name: score} for the audit record."""
    criteria = {c.pk: c for c in EoiCriterion.objects.filter(round=round)}
    errors = {}
    for pk, score in scores.items():
        criterion = criteria.get(pk)
        if criterion is None:
            errors["__all__"] = "The EOI criteria have changed. Check the scores and save again"
        elif score is not None and score not in criterion.score_range:
            errors[f"score_{pk}"] = f"Choose a score from 0 to {criterion.max_score} for {criterion.name}"
    if errors:
        raise AssessmentError(errors)
    given = {pk: score for pk, score in scores.items() if score is not None}
    EoiScore.objects.filter(triage=triage).exclude(criterion_id__in=given).delete()
    for pk, score in given.items():
        EoiScore.objects.update_or_create(triage=triage, criterion_id=pk, defaults={"score": score})
    return {criteria[pk].name: score for pk, score in given.items()}
