"""The programme dashboard `make bench` measures: every programme the manager runs (10,000
awards at full size), all figures grouped in the database, five SVG charts with their tables."""

from django.urls import reverse

from bench.pages import Page


def _awards(ds) -> int:
    from grants.awards.models import Award

    return Award.objects.count()


PAGES = [Page("dashboard", "programme_manager", lambda ds: reverse("reporting:dashboard"), _awards)]
