"""The ranking page's figures and rows, kept until the data changes (`grants.core.datacache`).

Ranking every bid and walking the funding line costs what the round holds (2,000 bids: about
40 ms), and keeping the whole ranking would cost nearly as much to read back (2,000 rows of
model instances). So what is kept is what one person's page shows: the round's totals and line,
that page's rows already written out, and the counts taken over every row they may see."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator

from applications.permissions import barred_bid_ids
from grants.core import datacache
from grants.core.paging import page_of
from grants.core.rows import id_url

from .. import selectors
from ..models import DecisionStatus
from .ranking_rows import row_html

RANKING_PAGE_SIZE = 100


@dataclass
class RankingPage:
    ranking: selectors.Ranking  # the round's figures and line; its `rows` are only this page's
    count: int  # rows the person may see, over every page
    number: int
    line_page: int | None
    proposed: int
    to_confirm: bool
    barred_count: int

    @property
    def committed(self) -> Decimal:
        return self.ranking.committed

    def page(self) -> Page:
        return page_of(self.ranking.rows, count=self.count, per_page=RANKING_PAGE_SIZE, number=self.number)


def ranking_page(*, round, user, page: str | None, can_decide: bool, assessment_open: bool) -> RankingPage:
    def build() -> RankingPage:
        result = selectors.ranking_for_round(round)
        # The funding line and totals count every bid; the rows leave out any the viewer is barred from.
        rows, barred_count = selectors.leave_out(result.rows, barred_bid_ids(user), _row_bid)
        shown = Paginator(rows, RANKING_PAGE_SIZE).get_page(page)
        if can_decide:  # one reverse() for the page, not one per row
            decide_url = id_url("scoring:decision_edit", round.slug)
            for r in shown:
                r.decide_url = decide_url(r.bid.pk)
        for r in shown:
            r.html = row_html(r, can_decide=can_decide, assessment_open=assessment_open)
        result.rows = list(shown)
        return RankingPage(
            ranking=result,
            count=len(rows),
            number=shown.number,
            line_page=_line_page(rows, result.line_after),
            proposed=sum(1 for r in rows if _proposed(r)),
            # The confirm button only when a row on this page has a proposed decision to tick.
            to_confirm=any(_proposed(r) for r in shown),
            barred_count=barred_count,
        )

    parts = (round.pk, user.pk, page, can_decide, assessment_open)
    return datacache.cached("ranking_page", parts, build)


def _row_bid(row) -> int:
    return row.bid.pk


def _proposed(row) -> bool:
    return bool(row.decision and row.decision.status == DecisionStatus.PROPOSED)


def _line_page(rows: list, line_after: int | None) -> int | None:
    """The page whose last shown bid above the funding line is (None without a line)."""
    if line_after is None:
        return None
    above = sum(1 for r in rows if r.rank <= line_after)
    return max(above - 1, 0) // RANKING_PAGE_SIZE + 1
