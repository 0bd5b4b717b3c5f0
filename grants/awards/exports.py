"""The award portfolio as a download (CSV or XLSX), with the filters on screen.

Registered with the reporting framework (imported from `GrantsConfig.ready`), so the page's
download links, the download view and background exports all build the same rows from the
same selector and permission check as the page.
"""

from django.http import Http404

from grants.core.exports import Table, table

from . import permissions as perms
from . import selectors

HEADER = [
    "Reference", "Title", "Programme", "Round", "Lead", "Region", "Status", "Award date", "Reply by",
    "Reply overdue", "Latest RAG", "Overdue returns", "Overdue milestones",
    "Awarded (£)", "Paid (£)", "Returned (£)", "Net paid (£)", "Outstanding (£)", "Match funding (£)",
]  # fmt: skip


def row(a) -> list:
    f = selectors.figures(a)
    return [
        a.reference, a.title, a.round.programme.name, a.round.name, a.lead.name, a.lead.region,
        a.get_status_display(), a.award_date, a.respond_by, "Yes" if a.acceptance_overdue else "No",
        (a.latest_rag or "").capitalize(), a.overdue_returns, a.overdue_milestones,
        f["awarded"], f["paid"], f["returned"], f["net"], f["outstanding"], a.match_funding,
    ]  # fmt: skip


@table("award-portfolio")
def award_portfolio(user, params) -> Table:
    if not perms.can_view_portfolio(user):
        raise Http404
    qs = selectors.with_figures(selectors.portfolio(user=user, **selectors.portfolio_filters(params)))
    return Table("Award portfolio", HEADER, (row(a) for a in qs.iterator(chunk_size=2000)), qs.count())
