"""Shared set-up: a round with criteria, bids, assigned and declared assessors."""

from scoring import services
from scoring.models import Assignment, Scale
from tests import factories as f

from .factories import CriterionFactory, declare


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


def weighted_panel(rnd, first_two, *, impact_scale, extra: int = 1):
    """Quality (0-4, weight 3), Impact (`impact_scale`, weight 2) and an Eligible gateway on the
    round, and its assessors declared: `first_two` then `extra` new panel members.
    Returns (criteria, people)."""
    criteria = [
        CriterionFactory(round=rnd, name="Quality", weight=3, scale=Scale.ZERO_FOUR),
        CriterionFactory(round=rnd, name="Impact", weight=2, scale=impact_scale),
        CriterionFactory(round=rnd, name="Eligible", scale=Scale.GATEWAY),
    ]
    people = list(first_two)
    for _ in range(extra):
        member = f.UserFactory()
        f.PanelMemberFactory(panel=rnd.panel, user=member)
        people.append(member)
    for person in people:
        declare(person, rnd)
    return criteria, people
