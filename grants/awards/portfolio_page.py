"""The portfolio's figures for one page, kept until the data changes (`grants.core.datacache`).

The count and totals add up every award the filters match, and finding the page sorts all of
them: a cost that grew with the programme on every view. What the page shows is a pure function
of the data, the person's reach, the filters, the page asked for and the date (overdue items)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.template.loader import render_to_string
from django.utils import timezone

from grants.core import datacache
from grants.core.paging import page_of

from . import benefits_selectors, selectors

PORTFOLIO_PAGE_SIZE = 50


@dataclass
class PortfolioPage:
    totals: dict
    benefits: benefits_selectors.Benefits
    number: int
    rows: list[tuple[object, dict[str, Decimal]]]
    # The rows written out once, when the page is worked out: fifty rows of some thirty template
    # lookups each were most of what a repeat view still cost (issue 19, cProfile).
    rows_html: str = ""

    def page(self) -> Page:
        """A Paginator page over the rows already read, counted as every matching award."""
        awards = [a for a, _ in self.rows]
        return page_of(awards, count=self.totals["count"], per_page=PORTFOLIO_PAGE_SIZE, number=self.number)


def portfolio_page(*, user, selected: dict[str, str], page: str | None) -> PortfolioPage:
    def build() -> PortfolioPage:
        awards = selectors.portfolio(user=user, **selected)
        totals = selectors.summary(awards)  # the count comes with the totals: no COUNT query
        shown = Paginator(selectors.PortfolioRows(awards, totals["count"]), PORTFOLIO_PAGE_SIZE).get_page(page)
        rows = [(a, selectors.figures(a)) for a in shown.object_list]
        return PortfolioPage(
            totals=totals,
            benefits=benefits_selectors.benefits_over(awards),  # Issue 17: one query
            number=shown.number,
            rows=rows,
            rows_html=render_to_string("awards/_portfolio_rows.html", {"rows": rows}),
        )

    parts = (user.pk, timezone.localdate(), sorted(selected.items()), page)
    return datacache.cached("portfolio", parts, build)
