"""The ranking page's rows as HTML, written here rather than in the template: a hundred rows of
some twenty-five template lookups each cost the page more than ranking the whole round once the
totals were stored (issue 19). The markup is the template's, cell for cell; every value is
escaped."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import DecisionStatus, Outcome

CELL = '<td class="govuk-table__cell">'
NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">'


def _confirm_box(r) -> str:
    if not (r.decision and r.decision.status == DecisionStatus.PROPOSED):
        return ""
    pk, reference = r.bid.pk, escape(r.bid.reference)
    return (
        '<div class="govuk-checkboxes govuk-checkboxes--small"><div class="govuk-checkboxes__item">'
        f'<input class="govuk-checkboxes__input" type="checkbox" name="bids" value="{pk}" id="confirm-{pk}">'
        f'<label class="govuk-label govuk-checkboxes__label" for="confirm-{pk}"><span class="govuk-visually-hidden">'
        f"Confirm the decision on {reference}</span></label></div></div>"
    )


def _decision(r, *, can_decide: bool, assessment_open: bool) -> str:
    d, html = r.decision, ""
    if d and d.outcome:
        html = (
            f'<strong class="govuk-tag {d.outcome_tag_class}">{escape(d.get_outcome_display())}</strong> '
            f"{escape(d.get_status_display())}"
        )
    if can_decide and assessment_open and (not d or not d.is_confirmed or d.outcome == Outcome.RESERVE):
        html += (
            f'\n        <a class="govuk-link" href="{escape(r.decide_url)}">Decide<span class="govuk-visually-hidden">'
            f" on {escape(r.bid.reference)}</span></a>"
        )
    return html


def row_html(r, *, can_decide: bool, assessment_open: bool) -> SafeString:
    """One ranking row (`selectors.RankingRow`); `r.decide_url` is set where `can_decide`."""
    bid = r.bid
    tags = (' <strong class="govuk-tag govuk-tag--red">Gateway failed</strong>' if bid.gateway_failed else "") + (
        ' <strong class="govuk-tag govuk-tag--blue">Moderated</strong>' if bid.has_moderation else ""
    )
    cells = [
        f"{CELL}{_confirm_box(r)}</td>" if can_decide else "",
        f"{NUMERIC}{r.rank:d}</td>",
        f"{CELL}{escape(bid.reference)} {escape(bid.lead.short_name)}{tags}</td>",
        *(f"{NUMERIC}{escape(text)}</td>" for text in (r.final_text, r.spread_text, r.requested_text)),
        *(f"{NUMERIC}{escape(text)}</td>" for text in (r.amount_text, r.running_text)),
        f"{CELL}{_decision(r, can_decide=can_decide, assessment_open=assessment_open)}</td>",
    ]
    above = ' data-above-line="yes"' if r.above_line else ""
    return mark_safe(  # noqa: S308 - built from escaped values and fixed markup
        f'<tr class="govuk-table__row" data-testid="rank-{r.rank}"{above}>\n      '
        + "\n      ".join(c for c in cells if c)
        + "\n    </tr>"
    )
