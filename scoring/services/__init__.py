"""Writes for assessment. Views, the admin and the demo all go through these functions."""

from .assignments import assign, assignment_auto, assignment_withdraw, assignments_bulk
from .common import AssessmentError, assessment_open, assessments_complete
from .criteria import (
    criteria_locked,
    criterion_delete,
    criterion_save,
    ensure_criteria_set,
    ensure_criteria_unlocked,
    has_criteria,
    panel_settings_save,
)
from .decisions import decision_propose, decisions_confirm, feedback_from_justifications, round_mark_decided
from .eoi import eoi_confirm_batch, eoi_propose
from .eoi_criteria import eoi_criteria_locked, eoi_criterion_delete, eoi_criterion_save
from .interests import conflict_declare, declaration_confirm, interest_add, interest_remove
from .moderation import moderated_score_record, moderated_scores_record
from .panels import panel_chair_set, panel_member_add, panel_member_remove
from .scores import assessment_save_draft, assessment_submit, percentage_for
from .totals import bid_totals_refresh, round_totals_refresh

__all__ = [
    "eoi_confirm_batch",
    "eoi_criteria_locked",
    "eoi_criterion_delete",
    "eoi_criterion_save",
    "eoi_propose",
    "AssessmentError",
    "assessment_open",
    "assessments_complete",
    "assessment_save_draft",
    "assessment_submit",
    "assign",
    "bid_totals_refresh",
    "assignment_auto",
    "assignment_withdraw",
    "assignments_bulk",
    "conflict_declare",
    "criteria_locked",
    "criterion_delete",
    "criterion_save",
    "decision_propose",
    "decisions_confirm",
    "round_mark_decided",
    "declaration_confirm",
    "ensure_criteria_set",
    "ensure_criteria_unlocked",
    "feedback_from_justifications",
    "has_criteria",
    "interest_add",
    "interest_remove",
    "moderated_score_record",
    "moderated_scores_record",
    "panel_chair_set",
    "panel_member_add",
    "panel_member_remove",
    "panel_settings_save",
    "percentage_for",
    "round_totals_refresh",
]
