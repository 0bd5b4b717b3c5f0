"""Reads for the triage of expressions of interest: the list with each EOI's short score total,
computed in the database so the page costs the same whatever the number of EOIs."""

from dataclasses import dataclass

from django.db.models import Count, F, Sum

from .models import EoiCriterion
from .selectors import submitted_eois

SORTS = ("score", "reference")


@dataclass(frozen=True)
class EoiScale:
    """The round's EOI criteria in sum: how many, and the highest total an EOI can reach."""

    count: int
    out_of: int


def eoi_scale(round) -> EoiScale:
    found = EoiCriterion.objects.filter(round=round).aggregate(count=Count("pk"), out_of=Sum("max_score"))
    return EoiScale(count=found["count"], out_of=found["out_of"] or 0)


def eoi_triage_rows(round, *, barred=(), sort: str = "score") -> list:
    """The EOIs waiting for triage, less those the viewer is barred from, each with `eoi_total`
    (None when unscored) and `eoi_scored` (how many criteria scored). Sorted by total, highest
    first and unscored last, then by reference; or by reference alone."""
    bids = (
        submitted_eois(round)
        .exclude(pk__in=barred)
        .select_related("lead", "eoi_triage")
        .prefetch_related("partners__organisation")
        .annotate(eoi_total=Sum("eoi_triage__scores__score"), eoi_scored=Count("eoi_triage__scores"))
    )
    order = ["reference", "pk"] if sort == "reference" else [F("eoi_total").desc(nulls_last=True), "reference", "pk"]
    return list(bids.order_by(*order))
