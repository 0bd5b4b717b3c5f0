"""The personal data awards hold (grants.core.personal_data)."""

from grants.core.personal_data import declare

AWARDS = "To make, pay and monitor grants"

declare(
    "awards.Award",
    fields=["created_by", "accepted_by", "accepted_name", "accepted_role"],
    purpose=AWARDS + ", and to record who accepted a grant offer for a council",
    basis="contract",
    about=["signatory", "staff"],
    retention="grant_records",
    person=["created_by", "accepted_by"],
)
for model, fields in (
    ("awards.OutputForecast", ["by"]),
    ("awards.MonitoringReturn", ["submitted_by", "reviewed_by", "certified_by"]),
    ("awards.Milestone", ["updated_by", "confirmed_by"]),
    ("awards.PaymentTranche", ["approved_by"]),
    ("awards.Variation", ["requested_by", "decided_by"]),
    ("awards.FundReturn", ["recorded_by"]),
    ("awards.BenefitsProjection", ["set_by"]),
    ("awards.BenefitsReturn", ["submitted_by", "reviewed_by"]),
):
    declare(
        model,
        fields=fields,
        purpose=AWARDS,
        basis="public_task",
        about=["officer", "signatory", "staff"],
        retention="grant_records",
        person=fields,
    )
declare(
    "awards.AwardEvidenceFile",
    fields=["uploaded_by", "original_name", "file"],
    purpose=AWARDS + ": evidence uploaded with returns, which may name people",
    basis="public_task",
    about=["officer"],
    retention="grant_records",
    person=["uploaded_by"],
    files=["file"],
)
declare(
    "awards.ContactLogEntry",
    fields=["logged_by", "participants", "agreed"],
    purpose=AWARDS + ": a record of monitoring calls and meetings, and who took part",
    basis="public_task",
    about=["officer", "staff"],
    retention="grant_records",
    person=["logged_by"],
    # The staff's own name for it stays on staff pages (tests/grants/test_notes.py walks every page
    # as a council for it); the public notice says what it is.
    title="record of a monitoring call or meeting",
)
declare(
    "awards.ImportJob",
    fields=["created_by", "file"],
    purpose=AWARDS + ": the history spreadsheets staff import, kept with the grants they created",
    basis="public_task",
    about=["staff"],
    retention="grant_records",
    person=["created_by"],
    files=["file"],
)
