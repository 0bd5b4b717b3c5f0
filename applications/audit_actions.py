"""The audit actions the bids app records: found at start-up by autodiscover_modules("audit_actions").

A bid's council, its partners and its assessors read the bid's own lifecycle in its history;
never the assessment (scores, moderation, proposed decisions) other apps record, which stays
with the programme team. `bid.<status>` names are written by `grants.core.transitions.transition` for each move.
"""

from grants.core.audit import COUNCIL, STAFF, declare_many

declare_many(
    {
        "bid.started": "Bid started",
        "bid.details_changed": "Bid details changed",
        "bid.answers_saved": "Answers saved",
        "bid.partner_added": "Partner council asked to confirm",
        "bid.partner_removed": "Partner council removed",
        "bid.partner_confirmed": "Partner council confirmed",
        "bid.partner_declined": "Partner council declined",
        "bid.other_partner_added": "Other partner added",
        "bid.other_partner_removed": "Other partner removed",
        "bid.collaborator_added": "Colleague added to the bid",
        "bid.collaborator_removed": "Colleague removed from the bid",
        "bid.evidence_uploaded": "Evidence uploaded",
        "bid.evidence_deleted": "Evidence deleted",
        "bid.evidence_refused": "Evidence refused by the virus check",
        "bid.extension_granted": "Deadline extended",
        # Status moves (transition(): bid.<status>).
        "bid.submitted": "Bid submitted",
        "bid.returned": "Bid returned for changes",
        "bid.withdrawn": "Bid withdrawn",
        "bid.ineligible": "Bid found ineligible",
        # Outcomes: written only when a decision is confirmed.
        "bid.funded": "Bid funded",
        "bid.not_funded": "Bid not funded",
        "bid.reserve": "Bid placed on the reserve list",
        # Two-stage rounds: the outcome of an expression of interest.
        "bid.invited": "Invited to a full bid",
        "bid.not_invited": "Not invited to a full bid",
        # Issue 16, clarifications.
        "bid.clarification_asked": "Clarification question asked",
        "bid.clarification_answered": "Clarification question answered",
        "bid.clarification_closed": "Clarification question closed",
    },
    audience=COUNCIL,
)

declare_many(
    {
        "round.extension_granted": "Deadline extended for a council",
        "round.section_saved": "Question section saved",
        "round.section_deleted": "Question section deleted",
        "round.question_saved": "Question saved",
        "round.question_deleted": "Question deleted",
        "round.questions_copied": "Questions copied from another round",
        # Issue 18, retention: the bid is gone, so only the programme team reads this.
        "bid.abandoned_deleted": "Draft deleted: never submitted, its round long closed",
    },
    audience=STAFF,
)
