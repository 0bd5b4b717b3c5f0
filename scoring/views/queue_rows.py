"""The assessor's queue rows as HTML, written here rather than in the template: fifty rows of
template lookups, a `{% url %}` each and full Bid objects cost the page more than its queries
(issue 19). The markup is the template's, byte for byte; every value is escaped."""

from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from grants.core.money import pounds
from grants.core.rows import id_url

CELL = '<td class="govuk-table__cell">'
NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">'
NOT_STARTED = ("Not started", "govuk-tag--grey")
IN_PROGRESS = ("In progress", "govuk-tag--yellow")
SUBMITTED = ("Submitted", "govuk-tag--green")


def state(assessment_id: int | None, submitted_version: int | None) -> tuple[str, str]:
    """The row's tag: the same three states, by the same rules, as `selectors.queue_summary`."""
    if assessment_id is None:
        return NOT_STARTED
    return SUBMITTED if submitted_version else IN_PROGRESS


def assess_url_for(slug: str) -> Callable[[int], str]:
    """`scoring:assess_bid` for any bid of the round, reversed once for the page."""
    return id_url("scoring:assess_bid", slug)


def row_html(row: tuple, *, assess_url: Callable[[int], str] | None) -> SafeString:
    """One queue row, a tuple in `selectors.QUEUE_ROW`'s order; the reference links to scoring
    when `assess_url` is given (assessment open)."""
    bid_id, reference, lead, title, amount, assessment_id, submitted_version = row
    reference = escape(reference)
    if assess_url is not None:
        reference = f'<a class="govuk-link" href="{escape(assess_url(bid_id))}">{reference}</a>'
    label, tag = state(assessment_id, submitted_version)
    return mark_safe(  # noqa: S308 - built from escaped values and fixed markup
        '<tr class="govuk-table__row">\n'
        f"      {CELL}{reference}</td>\n"
        f"      {CELL}{escape(lead)}</td>\n"
        f"      {CELL}{escape(title)}</td>\n"
        f"      {NUMERIC}{escape(pounds(amount))}</td>\n"
        f'      {CELL}<strong class="govuk-tag {tag}">{label}</strong></td>\n'
        "    </tr>"
    )
