"""A Paginator page over rows already read: for a page kept in the cache (`grants.core.datacache`)
with its rows, its number and the count of everything it pages through, but not the rest."""

from django.core.paginator import Page, Paginator


class _Read:
    def __init__(self, count: int, rows: list):
        self._count, self.rows = count, rows

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list:
        return self.rows


def page_of(rows: list, *, count: int, per_page: int, number: int) -> Page:
    """Page `number` of `count` rows, `per_page` to a page, holding `rows` (that page's own)."""
    return Paginator(_Read(count, rows), per_page).page(number)
