"""The audit actions awards record: found at start-up by autodiscover_modules("audit_actions").

Everyone who may read an award (its lead council, its partner councils, the programme team)
reads its history, except the names of the lead council's evidence files, which partners do not
see. `award.<status>`, `return.<status>`, `variation.<status>` and `award.funds_<kind>` are built
from the model's statuses and kinds.
"""

from grants.core.audit import COUNCIL, LEAD, STAFF, declare_many

declare_many(
    {
        "award.offered": "Grant offered",
        "award.historic": "Earlier award recorded",
        # Issue 18: history imported from spreadsheets (grants.awards.services.historic)
        "award.historic_updated": "Earlier award corrected",
        "award.historic_payment": "Earlier payment recorded",
        "award.historic_return": "Earlier return recorded",
        "award.historic_funds_returned": "Earlier returned money recorded",
        "award.offer_terms": "Offer terms set",
        "award.targets": "Output targets set",
        "award.tranches_set": "Payment schedule set",
        "award.payment_code_locked": "Payment locked after failed security codes",
        "award.payment": "Payment made",
        "award.funds_returned": "Money returned by the council",
        "award.funds_clawback": "Money clawed back",
        "award.closure_report": "End-of-project report sent",
        # Status moves (award_transition: award.<status>).
        "award.accepted": "Offer accepted",
        "award.declined": "Offer declined",
        "award.active": "Award active",
        "award.completed": "Award closed",
        "award.withdrawn": "Award withdrawn",
        "award.terminated": "Award terminated",
        "variation.request": "Variation requested",
        "variation.approved": "Variation approved",
        "variation.refused": "Variation refused",
        "milestone.add": "Milestone added",
        "milestone.update": "Milestone updated",
        "milestone.confirm": "Milestone confirmed",
        "return.draft": "Return draft saved",
        "return.submitted": "Return sent",
        "return.approved": "Return approved",
        "return.changes_requested": "Changes asked for on a return",
        # Issue 17, benefits after closure
        "award.benefits_projected": "Projected benefits set",
        "benefits.submitted": "Benefits return sent",
        "benefits.approved": "Benefits return approved",
        "benefits.changes_requested": "Changes asked for on a benefits return",
    },
    audience=COUNCIL,
)

declare_many(
    {
        "evidence.upload": "Evidence uploaded",
        "evidence.remove": "Evidence removed",
        "evidence.refused": "Evidence refused by the virus check",
    },
    audience=LEAD,
)

declare_many(
    {
        "round.output": "Output added to the round's catalogue",
        "round.return_period": "Return period added",
        "round.return_period_change": "Return period changed",
        "round.return_period_remove": "Return period removed",
        "round.return_schedule_default": "Default return schedule set",
        "round.benefits_years": "Years of benefits returns set",
        "round.spend_settings": "Spend and certification settings changed",  # issue 17
    },
    audience=STAFF,
)

# Issue 16, notes: a logged monitoring call or meeting, recorded against the entry itself; staff only.
declare_many({"contact.log": "Contact logged", "contact.followed_up": "Follow-up done"}, audience=STAFF)

# Issue 17, outputs: a new forecast of an output's final figure, read by all who read the award.
declare_many({"output.forecast": "Output forecast changed"}, audience=COUNCIL)
# Issue 17, standing partnerships (grants.awards.services.partnerships).
declare_many({"award.partnership": "Awarded to a partnership"}, audience=COUNCIL)
declare_many(
    {
        "partnership.created": "Partnership formed",
        "partnership.member_added": "Council joined the partnership",
        "partnership.member_left": "Council left the partnership",
    }
)
# Issue 17, certification: the council's certifier confirms a return (the audit row's data keeps
# what was certified; its summary names no files) or sends it back to the officer. Like every
# award action, the council reads them. `return.due` is the status a return sent back returns to.
declare_many(
    {
        "return.to_certify": "Return sent for certification",
        "return.certified": "Return certified",
        "return.certification_declined": "Return sent back by the certifier",
        "return.due": "Return sent back to the officer",
    },
    audience=COUNCIL,
)
