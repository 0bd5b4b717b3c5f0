"""The personal data bids hold (grants.core.personal_data), and the abandoned-drafts rule."""

from datetime import datetime

from grants.core.personal_data import declare, not_personal, retention_rule

BIDS = "To take, check and assess bids for funding"

declare(
    "applications.Bid",
    fields=["created_by", "collaborators", "declared_by", "declaration_name", "declaration_role"],
    purpose=BIDS + ", and to record the senior officer who approved a bid",
    basis="public_task",
    about=["officer", "signatory"],
    retention="abandoned_drafts",
    person=["created_by", "declared_by", "collaborators"],
)
for model, fields in (
    ("applications.BidPartner", ["confirmed_by"]),
    ("applications.Extension", ["granted_by"]),
    ("applications.Answer", ["updated_by"]),
    ("applications.Clarification", ["asked_by", "answered_by"]),
):
    declare(
        model,
        fields=fields,
        purpose=BIDS,
        basis="public_task",
        about=["officer", "staff"],
        retention="grant_records",
        person=fields,
    )
declare(
    "applications.EvidenceFile",
    fields=["uploaded_by", "original_name", "file"],
    purpose=BIDS + ": files uploaded with a bid, which may name people",
    basis="public_task",
    about=["officer"],
    retention="grant_records",
    person=["uploaded_by"],
    files=["file"],
)
declare(
    "applications.OtherPartner",
    fields=["contact_name", "contact_email", "role"],
    purpose=BIDS + ": the contact at a partner that is not a council",
    basis="public_task",
    about=["contact"],
    retention="grant_records",
)
not_personal("applications.OtherPartner", ["name"], "an organisation's name")


@retention_rule("abandoned_drafts")
def _abandoned_drafts(now: datetime) -> int:
    from .services.retention import abandoned_drafts_delete

    return abandoned_drafts_delete(now=now)
