"""The programme portfolio `make bench` measures: every award the manager may see (10,000 awards
with 40,000 returns at full size; the page lists the first 500 with paid, returned, latest RAG
and overdue counts computed in the database)."""

from django.urls import reverse

from bench.pages import Page

PAGES = [
    Page(
        "programme_portfolio",
        "programme_manager",
        lambda ds: reverse("awards:portfolio"),
        lambda ds: ds.counts["awards"],
    ),
]
