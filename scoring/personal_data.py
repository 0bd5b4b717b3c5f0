"""The personal data assessment holds (grants.core.personal_data)."""

from grants.core.personal_data import declare, not_personal

SCORING = "To assess bids fairly and record the decisions made on them"

for model, fields, person in (
    ("scoring.PanelMember", ["user"], ["user"]),
    ("scoring.Assignment", ["assessor", "assigned_by"], ["assessor", "assigned_by"]),
    ("scoring.Assessment", ["assignment"], ["assignment__assessor"]),
    ("scoring.Score", ["assessment", "justification"], ["assessment__assignment__assessor"]),
    ("scoring.ModeratedScore", ["moderated_by"], ["moderated_by"]),
    ("scoring.Decision", ["updated_by", "confirmed_by"], ["updated_by", "confirmed_by"]),
    ("scoring.EoiTriage", ["proposed_by"], ["proposed_by"]),
):
    declare(
        model,
        fields=fields,
        purpose=SCORING,
        basis="public_task",
        about=["assessor", "staff"],
        retention="grant_records",
        person=person,
        labels={k: "the panel member" for k in ("assignment", "assessment") if k in fields},
    )
for model in ("scoring.Declaration", "scoring.Interest"):
    declare(
        model,
        fields=["user", "nature"] if model.endswith("Interest") else ["user"],
        purpose="To keep panel members away from bids they have an interest in",
        basis="public_task",
        about=["assessor"],
        retention="grant_records",
        person=["user"],
    )
not_personal("scoring.Criterion", ["name"], "a scoring criterion")
not_personal("scoring.EoiCriterion", ["name"], "a scoring criterion")
not_personal("scoring.Panel", ["name"], "a panel's name")
