"""The audit actions reference data records: found at start-up by autodiscover_modules("audit_actions").
All read by staff only, on the organisation, programme, round and people pages."""

from grants.core.audit import STAFF, declare_many

declare_many(
    {
        "organisation.create": "Organisation added",
        "organisation.update": "Organisation changed",
        "programme.create": "Programme created",
        "programme.update": "Programme changed",
        "round.create": "Round created",
        "round.update": "Round changed",
        "user.update": "Person's details changed",
        "user.admin_create": "Person added in the admin",
        "user.admin_change": "Person changed in the admin",
        "staff_role.grant": "Staff role given",
        "staff_role.revoke": "Staff role removed",
        # Issue 16, joining a council
        "organisation.domains": "Email domains changed",
        "membership.request": "Asked to join an organisation",
        "membership.approved": "Request to join approved",
        "membership.declined": "Request to join declined",
        # Issue 16, notes: recorded against the note itself, so no bid or award history lists it.
        "note.add": "Internal note added",
        # Issue 18, personal data: a subject-access export and an erasure, each with its reason.
        "user.data_exported": "Person's data exported (subject access)",
        "user.erased": "Person erased (anonymised)",
    },
    audience=STAFF,
)
