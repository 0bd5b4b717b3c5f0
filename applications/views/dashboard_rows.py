"""The council dashboard's rows as HTML, written here rather than in the template: a page of
25 bids at some twenty template lookups each, and a URL reversed per bid, cost the page more
than its queries (issue 19, profiled on the bench's full dataset). The markup is the template's
loop, byte for byte (tests/applications/test_dashboard_rows.py keeps that loop as the oracle);
every value is escaped."""

from collections.abc import Callable, Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from grants.core.dates import govuk_datetime
from grants.core.rows import id_url

from ..models import Bid, PartnerStatus

CELL = '<td class="govuk-table__cell">'


def _title(bid: Bid, org_id: int | None, detail: Callable[[int], str]) -> str:
    title = escape(bid.title)
    if bid.lead_id == org_id or bid.my_partner_status == PartnerStatus.CONFIRMED:
        title = f'<a class="govuk-link" href="{escape(detail(bid.pk))}">{title}</a>'
    if bid.reference:
        title += f'<br><span class="govuk-hint">{escape(bid.reference)}</span>'
    return title


def _status(bid: Bid) -> str:
    html = f'<strong class="govuk-tag {escape(bid.status_tag_class)}">{escape(bid.get_status_display())}</strong>'
    if bid.round.two_stage:
        html += (
            '<br><span class="govuk-hint govuk-!-margin-bottom-0" data-testid="bid-stage">'
            f"{escape(bid.get_stage_display())}</span>"
        )
    return html


def _row(bid: Bid, org_id: int | None, detail: Callable[[int], str], respond: Callable[[int], str]) -> str:
    deadline = bid.deadline
    closes = govuk_datetime(deadline, "j M Y") if deadline else ""
    role = "Lead" if bid.lead_id == org_id else f"Partner (lead: {escape(bid.lead_name)})"
    action = escape(bid.next_action)
    if bid.respond:
        action = f'<a class="govuk-link" href="{escape(respond(bid.pk))}">{action}</a>'
    cells = (
        _title(bid, org_id, detail),
        f'{escape(bid.round.name)}<br><span class="govuk-hint">Closes {escape(closes)}</span>',
        role,
        _status(bid),
        action,
    )
    return '\n    <tr class="govuk-table__row">' + "".join(f"\n      {CELL}{c}</td>" for c in cells) + "\n    </tr>\n  "


def rows_html(bids: Iterable[Bid], *, org_id: int | None) -> SafeString:
    """The table body's rows for `selectors.dashboard_bids` rows, each with `next_action` and
    `respond` set by the view; `org_id` is the signed-in person's organisation (lead or partner)."""
    detail, respond = id_url("applications:bid_detail"), id_url("applications:partner_respond")
    return mark_safe(  # noqa: S308 - built from escaped values and fixed markup
        "".join(_row(bid, org_id, detail, respond) for bid in bids)
    )
