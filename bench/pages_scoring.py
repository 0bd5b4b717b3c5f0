"""Assessment pages `make bench` measures: the assessor's queue (2,000 bids at full size) and the
ranking with its funding line (a round of 2,000 bids, three assessments of eight criteria each).
The ranking's first page shows 100 rows, but ranks every bid and walks the funding line over all
of them, so `rows` stays the round's bids."""

from django.urls import reverse

from bench.pages import Page, _round_slug

PAGES = [
    Page(
        "assessor_queue",
        "assessor",
        lambda ds: reverse("scoring:queue", args=[_round_slug(ds, ds.big_round_id)]),
        lambda ds: ds.counts["assessor_queue"],
    ),
    Page(
        "ranking",
        "programme_manager",
        lambda ds: reverse("scoring:ranking", args=[_round_slug(ds, ds.ranking_round_id)]),
        lambda ds: ds.counts["ranking_round_bids"],
    ),
]
