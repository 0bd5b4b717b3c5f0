"""The audit actions assessment records: found at start-up by autodiscover_modules("audit_actions").
All stay with the programme team: a council never reads scores, moderation or proposed decisions
in a history (the outcome reaches it as the bid's own `bid.funded`, `bid.not_funded`, ...)."""

from grants.core.audit import STAFF, declare_many

declare_many(
    {
        "criterion.created": "Criterion added",
        "criterion.changed": "Criterion changed",
        "criterion.deleted": "Criterion deleted",
        "panel.settings_changed": "Panel settings changed",
        "panel.member_add": "Panel member added",
        "panel.chair_set": "Panel chair chosen",
        "panel.member_remove": "Panel member removed",
        "interest.declared": "Interest declared",
        "interest.removed": "Interest removed",
        "interest.conflict_declared": "Conflict of interest declared",
        "declaration.confirmed": "Declaration of interests confirmed",
        "assignment.created": "Assessor assigned",
        "assignment.auto": "Assessors assigned automatically",
        "assignment.withdrawn": "Assessment withdrawn",
        "assignment.withdrawn_conflict": "Assessment withdrawn for a conflict of interest",
        "round.assessment_started": "Assessment started",
        "assessment.submitted": "Assessment submitted",
        "assessment.resubmitted": "Assessment changed and submitted again",
        "moderation.recorded": "Score moderated",
        "decision.proposed": "Decision proposed",
        "decision.gateway_override": "Gateway question overridden",
        "decision.assessments_override": "Decision proposed before every assessment was complete",
        "decision.confirmed": "Decisions confirmed",
        "round.decided": "Round decided",
        "eoi.proposed": "Expression of interest triaged",
        "eoi_criterion.created": "EOI criterion added",
        "eoi_criterion.changed": "EOI criterion changed",
        "eoi_criterion.deleted": "EOI criterion deleted",
    },
    audience=STAFF,
)
