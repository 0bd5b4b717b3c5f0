"""Assessment: panels, criteria, interests, assignments, scores, moderation and decisions."""

from .assessments import Assessment, AssessmentStatus, Score
from .criteria import Criterion, Scale
from .decisions import Decision, DecisionStatus, Outcome
from .eoi import EoiOutcome, EoiTriage
from .eoi_criteria import EoiCriterion, EoiScore
from .interests import Declaration, Interest
from .moderation import ModeratedScore
from .panels import Assignment, Panel, PanelMember
from .totals import BidTotals

__all__ = [
    "Assessment",
    "AssessmentStatus",
    "Assignment",
    "BidTotals",
    "Criterion",
    "Decision",
    "DecisionStatus",
    "Declaration",
    "EoiCriterion",
    "EoiOutcome",
    "EoiScore",
    "EoiTriage",
    "Interest",
    "ModeratedScore",
    "Outcome",
    "Panel",
    "PanelMember",
    "Scale",
    "Score",
]
