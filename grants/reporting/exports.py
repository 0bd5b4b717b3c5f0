"""The reporting tables: dashboard, awards portfolio, board report and council profile downloads.

They register with the download framework in `grants.core.exports`, which the reporting views
and background exports use to build any table by name.
"""

from grants.awards.models import AwardStatus
from grants.core.exports import Table, table
from grants.models import OrgKind

from . import board_export, forms, selectors


def _dashboard(user, params) -> selectors.Dashboard:
    return selectors.dashboard(user=user, **forms.dashboard_filters(user=user, params=params))


@table("dashboard-summary")
def dashboard_summary(user, params) -> Table:
    d = _dashboard(user, params)
    m = d.money
    rows = [
        ["Rounds", d.rounds],
        ["Budget (£)", d.budget],
        ["Bids received", d.bids_received],
        ["Amount requested (£)", d.requested],
        ["Requested per pound of budget", d.oversubscription if d.oversubscription is not None else ""],
        ["Committed (£)", d.committed],
        ["Awards made", d.awards_made],
        ["Awarded (£)", m["awarded"]],
        ["Paid (£)", m["paid"]],
        ["Returned (£)", m["returned"]],
        ["Net paid (£)", m["net"]],
        ["Outstanding (£)", m["outstanding"]],
    ]
    return Table("Dashboard summary", ["Measure", "Value"], rows, len(rows))


@table("dashboard-rag")
def dashboard_rag(user, params) -> Table:
    d = _dashboard(user, params)
    return Table("RAG of live awards", ["RAG status", "Awards"], [[label, n] for _, label, n in d.rag], len(d.rag))


@table("dashboard-outputs")
def dashboard_outputs(user, params) -> Table:
    d = _dashboard(user, params)
    rows = [[o.name, o.unit, o.to_date, o.target, o.percent if o.percent is not None else ""] for o in d.outputs]
    return Table("Outputs", ["Output", "Unit", "To date", "Target", "Per cent of target"], rows, len(rows))


@table("dashboard-region")
def dashboard_region(user, params) -> Table:
    d = _dashboard(user, params)
    return Table("Awards by region", ["Region", "Awards", "Amount awarded (£)"], [list(r) for r in d.by_region])


@table("dashboard-kind")
def dashboard_kind(user, params) -> Table:
    d = _dashboard(user, params)
    return Table(
        "Awards by council type", ["Council type", "Awards", "Amount awarded (£)"], [list(r) for r in d.by_kind]
    )


AWARD_HEADER = [
    "Reference", "Programme", "Round", "Financial year", "Lead", "Council code", "Region", "Council type",
    "Status", "Award date", "Awarded (£)", "Paid (£)", "Returned (£)", "Net paid (£)", "Outstanding (£)", "Latest RAG",
    "Match funding (£)",
]  # fmt: skip


KIND_LABELS, STATUS_LABELS = dict(OrgKind.choices), dict(AwardStatus.choices)  # get_FOO_display() per row is slow


def award_row(a) -> list:
    from grants.awards.selectors import figures

    f = figures(a)
    return [
        a.reference, a.round.programme.name, a.round.name, a.round.financial_year_label, a.lead.name, a.lead.code or "",
        a.lead.region, KIND_LABELS.get(a.lead.kind, a.lead.kind), STATUS_LABELS.get(a.status, a.status), a.award_date,
        f["awarded"], f["paid"], f["returned"], f["net"], f["outstanding"], (a.latest_rag or "").capitalize(),
        a.match_funding,
    ]  # fmt: skip


@table("awards")
def awards(user, params) -> Table:
    qs = selectors.dashboard_awards(user=user, **forms.dashboard_filters(user=user, params=params))
    return Table("Awards", AWARD_HEADER, (award_row(a) for a in qs.iterator(chunk_size=2000)), qs.count())


@table("board-report")
def board_report(user, params) -> Table:
    """The whole board report: a tidy long CSV (one value a line) and a workbook with an
    Overview sheet and a sheet per section (`board_export`)."""
    return board_export.board_table(user=user, as_at=forms.board_as_at(params))


@table("council-awards")
def council_awards(user, params) -> Table:
    profile = selectors.council_profile(user=user, organisation=forms.council_or_404(params.get("council", "")))
    rows = [award_row(a) for a, _ in profile.awards]
    return Table("Council awards", AWARD_HEADER, rows, len(rows))


@table("council-bids")
def council_bids(user, params) -> Table:
    org = forms.council_or_404(params.get("council", ""))
    profile = selectors.council_profile(user=user, organisation=org)
    rows = [
        [b.reference, b.round.programme.name, b.round.name, b.title, "Lead" if b.lead_id == org.pk else "Partner",
         b.get_status_display(), b.amount_requested, b.submitted_at]
        for b in profile.bids
    ]  # fmt: skip
    header = ["Reference", "Programme", "Round", "Title", "Role", "Status", "Requested (£)", "Submitted"]
    return Table("Council bids", header, rows, len(rows))
