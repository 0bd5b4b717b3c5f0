"""Scoring: drafts, submission and versions. Score rows are added, never changed."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from grants.core.audit import audit_record
from grants.core.money import percent
from grants.core.transitions import transition
from grants.models import Round, User

from ..models import Assessment, AssessmentStatus, Assignment, Criterion, Score
from ..permissions import assessor_can_view_bid
from .common import AssessmentError, confirmed_outcome, ensure_assessment_open
from .totals import bid_totals_refresh

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def percentage_for(pairs: list[tuple[Criterion, int]]) -> tuple[Decimal | None, bool]:
    """(weighted percentage, gateway failed) for one set of scores.

    sum(score x weight) / sum(maximum x weight) x 100 over weighted criteria, in Decimal;
    a gateway criterion scored 0 (fail) marks the bid failed and adds nothing to the total.
    """
    top = bottom = Decimal(0)
    failed = False
    for criterion, score in pairs:
        if criterion.is_gateway:
            failed = failed or score == 0
            continue
        top += Decimal(score) * criterion.weight
        bottom += Decimal(criterion.max_score) * criterion.weight
    if not bottom:
        return None, failed
    return (top / bottom * HUNDRED).quantize(TWO_PLACES, rounding=ROUND_HALF_UP), failed


def _clean(criteria: list[Criterion], data: dict, *, complete: bool) -> tuple[dict, dict[str, str]]:
    """Normalise {criterion id: {score, justification}}; errors keyed by field name."""
    cleaned, errors = {}, {}
    for c in criteria:
        entry = data.get(c.pk) or data.get(str(c.pk)) or {}
        raw, text = entry.get("score"), (entry.get("justification") or "").strip()
        score = None
        if raw not in (None, ""):
            try:
                score = int(raw)
            except (TypeError, ValueError):
                score = None
            if score is None or not (c.min_score <= score <= c.max_score):
                errors[f"score_{c.pk}"] = f"{c.name}: choose a score from {c.min_score} to {c.max_score}"
                score = None
        if complete and score is None and f"score_{c.pk}" not in errors:
            errors[f"score_{c.pk}"] = f"{c.name}: choose a score"
        if complete and not text:
            errors[f"justification_{c.pk}"] = f"{c.name}: give a justification for your score"
        cleaned[str(c.pk)] = {"score": score, "justification": text}
    return cleaned, errors


def _start(*, assignment: Assignment, user: User, now: datetime | None = None) -> tuple[Assessment, Round]:
    """The assessor's assessment of the bid, with the round row locked, once every rule allows it."""
    if assignment.assessor_id != user.pk or assignment.withdrawn_at:
        raise AssessmentError("This bid is not on your queue")
    if not assessor_can_view_bid(user, assignment.bid):
        raise AssessmentError("This bid is not on your queue")
    round = Round.objects.select_for_update().get(pk=assignment.bid.round_id)
    now = now or timezone.now()
    if round.assessment_deadline and now >= round.assessment_deadline:
        deadline = timezone.localtime(round.assessment_deadline)
        raise AssessmentError(
            f"Scoring closed at {deadline:%-I:%M%p} on {deadline:%-d %B %Y}. "
            "Ask the programme manager if you need more time."
        )
    ensure_assessment_open(round, doing="Scoring", now=now)
    if round.decided_at or confirmed_outcome(assignment.bid):
        raise AssessmentError("The decision on this bid has been made, so its scores can no longer change")
    assessment, _ = Assessment.objects.select_for_update().get_or_create(
        assignment=assignment, defaults={"bid_id": assignment.bid_id}
    )
    return assessment, round


def _scoring_started(*, round: Round, user: User, now: datetime | None = None) -> None:
    """A score has been saved: stamp the round once, which locks its criteria
    (`criteria.criteria_locked`, the rule's owner) and shows it in assessment."""
    if not round.assessment_started_at:
        round.assessment_started_at = now or timezone.now()
        round.save(update_fields=["assessment_started_at", "updated_at"])
        audit_record(actor=user, action="round.assessment_started", target=round)


@transaction.atomic
def assessment_save_draft(*, assignment: Assignment, user: User, data: dict, now: datetime | None = None) -> Assessment:
    """Keep what the assessor typed, complete or not (bad scores are refused, nothing lost)."""
    criteria = list(Criterion.objects.filter(round_id=assignment.bid.round_id))
    cleaned, errors = _clean(criteria, data, complete=False)
    if errors:
        raise AssessmentError(errors)
    assessment, round = _start(assignment=assignment, user=user, now=now)
    assessment.draft = cleaned
    assessment.save(update_fields=["draft", "updated_at"])
    if any(entry["score"] is not None for entry in cleaned.values()):
        _scoring_started(round=round, user=user, now=now)
    return assessment


@transaction.atomic
def assessment_submit(*, assignment: Assignment, user: User, data: dict, now: datetime | None = None) -> Assessment:
    """Every criterion scored and justified; adds a version of score rows, the latest counts.

    `now` lets demo data and imports record historic scoring; the deadline is checked against it.
    """
    criteria = list(Criterion.objects.filter(round_id=assignment.bid.round_id))
    if not criteria:
        raise AssessmentError("This round has no criteria yet")
    cleaned, errors = _clean(criteria, data, complete=True)
    if errors:  # views save the draft first, so nothing typed is lost
        raise AssessmentError(errors)
    assessment, round = _start(assignment=assignment, user=user, now=now)
    _scoring_started(round=round, user=user, now=now)
    latest = assessment.scores.aggregate(v=Max("version"))["v"] or 0
    version = max(latest, assessment.submitted_version) + 1
    Score.objects.bulk_create(
        Score(
            assessment=assessment,
            criterion=c,
            version=version,
            score=cleaned[str(c.pk)]["score"],
            justification=cleaned[str(c.pk)]["justification"],
        )
        for c in criteria
    )
    pct, failed = percentage_for([(c, cleaned[str(c.pk)]["score"]) for c in criteria])
    transition(
        assessment,
        to=AssessmentStatus.SUBMITTED,
        actor=user,
        action="assessment.submitted" if version == 1 else "assessment.resubmitted",
        summary=f"Version {version}: {percent(pct, 2)}" + (" (gateway failed)" if failed else ""),
        data={"version": version, "percentage": str(pct), "gateway_failed": failed},
        fields={
            "draft": cleaned,
            "submitted_version": version,
            "submitted_at": now or timezone.now(),
            "percentage": pct,
            "gateway_failed": failed,
        },
        error=AssessmentError,
    )
    bid_totals_refresh([assessment.bid_id])
    return assessment
