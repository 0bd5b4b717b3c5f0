"""The personal data reporting holds (grants.core.personal_data), and the export-files rule."""

from datetime import datetime

from grants.core.personal_data import declare, retention_rule

LABELS = {"manual_by": "who set a figure by hand", "rag_set_by": "who set a status", "set_by": "who set a status"}

for model, fields in (
    ("reporting.Commitment", ["manual_by"]),
    ("reporting.Deliverable", ["rag_set_by"]),
    ("reporting.DeliverableRagChange", ["set_by"]),
    ("reporting.BoardSummary", ["updated_by"]),
    ("reporting.PublishedFile", ["published_by"]),
):
    declare(
        model,
        fields=fields,
        purpose="To report to the funder's board, and to record who wrote each report",
        basis="public_task",
        about=["staff"],
        retention="grant_records",
        person=fields,
        labels={k: v for k, v in LABELS.items() if k in fields},
    )
declare(
    "reporting.ExportJob",
    fields=["created_by", "file"],
    purpose="Spreadsheets programme staff download, which may list people",
    basis="public_task",
    about=["staff", "officer"],
    retention="export_files",
    person=["created_by"],
)


@retention_rule("export_files")
def _export_files(now: datetime) -> int:
    from .services import exports_clean_up

    return exports_clean_up(now=now)
