"""The reporting pages `make bench` measures, for the programme manager who runs every programme
(10,000 awards at full size, 1,000 at a tenth):

- dashboard: all figures grouped in the database, five SVG charts with their tables.
- board_report: the board report as at today (so every reported return, output and payment
  counts), the overview and every section provider of `grants.reporting.board.PROVIDERS` for the
  ten programmes, each section's table and chart.
"""

from django.urls import reverse
from django.utils import timezone

from bench.pages import Page


def _awards(ds) -> int:
    from grants.awards.models import Award

    return Award.objects.count()


def _board_report(ds) -> str:
    return reverse("reporting:board_report") + f"?as_at={timezone.localdate().isoformat()}"


PAGES = [
    Page("dashboard", "programme_manager", lambda ds: reverse("reporting:dashboard"), _awards),
    Page("board_report", "programme_manager", _board_report, _awards),
]
