"""Shared set-up: a round with criteria, bids, assigned and declared assessors."""

from scoring import services
from scoring.models import Assignment


def full_marks(criteria, score_for=None, text="Clear evidence."):
    """Scoring data for assessment_submit: {criterion id: {score, justification}}."""
    return {c.pk: {"score": (score_for(c) if score_for else c.max_score), "justification": text} for c in criteria}


def assign_and_submit(*, bid, assessor, criteria, scores: dict, actor=None):
    """Assign (if needed) and submit scores {criterion: score} for one assessor."""
    row = Assignment.objects.filter(bid=bid, assessor=assessor, withdrawn_at__isnull=True).first()
    if row is None:
        row = Assignment.objects.create(bid=bid, assessor=assessor, assigned_by=actor)
    data = {c.pk: {"score": scores[c], "justification": f"Because {c.name}"} for c in criteria}
    return services.assessment_submit(assignment=row, user=assessor, data=data)
