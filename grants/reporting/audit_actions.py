"""The audit actions reporting records: found at start-up by autodiscover_modules("audit_actions")."""

from grants.core.audit import STAFF, declare_many

declare_many(
    {
        "export.requested": "Download requested",
        "board_summary.saved": "Board report summary saved",
        "open_data.published": "Open data published",
        "open_data.withdrawn": "Open data withdrawn",
    },
    audience=STAFF,
)

# Issue 17, item 5: a programme's commitments and deliverables.
declare_many(
    {
        "commitment.added": "Commitment added",
        "commitment.changed": "Commitment changed",
        "commitment.removed": "Commitment removed",
        "deliverable.added": "Deliverable added",
        "deliverable.rag_set": "Deliverable RAG status set",
    },
    audience=STAFF,
)
