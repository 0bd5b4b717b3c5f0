"""Scoring is refused on the server from the assessment deadline; what was typed is not lost."""

from datetime import timedelta

import pytest
import time_machine

from scoring import services
from scoring.models import Assessment, Assignment, Scale

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import full_marks

pytestmark = pytest.mark.django_db


def test_scoring_closes_at_the_assessment_deadline(personas):
    rnd = personas.round
    rnd.assessment_deadline = rnd.closes_at + timedelta(days=14)
    rnd.save()
    criteria = [CriterionFactory(round=rnd, name="Quality", weight=1, scale=Scale.ZERO_FOUR)]
    declare(personas.assessor, rnd)
    bid = SubmittedBidFactory(round=rnd)
    row = Assignment.objects.create(bid=bid, assessor=personas.assessor)
    with time_machine.travel(rnd.assessment_deadline - timedelta(seconds=1), tick=False):
        services.assessment_save_draft(assignment=row, user=personas.assessor, data=full_marks(criteria))
    with time_machine.travel(rnd.assessment_deadline, tick=False):
        with pytest.raises(services.AssessmentError) as exc:
            services.assessment_submit(assignment=row, user=personas.assessor, data=full_marks(criteria))
    assert "Scoring closed" in str(exc.value)
    assessment = Assessment.objects.get(assignment=row)
    assert assessment.submitted_at is None
    assert assessment.draft  # the draft saved before the deadline is still there
