"""What the staff bid list reads (issue 19 split it from `selectors`): a round's bids filtered,
searched and sorted in the database, a page of them as the columns its rows show, their
partners' names, the round's counts and requested total, and its open questions."""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from grants.core import datacache
from grants.models import Round
from grants.selectors import search_term

from .models import Bid, BidPartner, BidStatus, Clarification, OtherPartner

STAFF_SORTS = {
    "reference": ("reference", "pk"),
    "-reference": ("-reference", "-pk"),
    "council": ("lead__short_name", "pk"),
    "amount": ("amount_requested", "pk"),
    "-amount": ("-amount_requested", "-pk"),
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
    "title": ("title", "pk"),
}
STAFF_SORT_LABELS = {
    "reference": "Reference, first to last",
    "-reference": "Reference, last to first",
    "council": "Lead council, A to Z",
    "title": "Title, A to Z",
    "amount": "Amount requested, lowest first",
    "-amount": "Amount requested, highest first",
    "submitted": "Submitted, earliest first",
    "-submitted": "Submitted, latest first",
}


def staff_bids(
    *,
    round: Round,
    status: str = "",
    stage: str = "",
    region: str = "",
    kind: str = "",
    partner: str = "",
    q: str = "",
    sort: str = "reference",
) -> QuerySet[Bid]:
    """The staff bid list: filter, search and sort in the database; partner names prefetched."""
    partner, q = search_term(partner), search_term(q)
    qs = (
        Bid.objects.filter(round=round)
        .select_related("lead")
        .prefetch_related(
            Prefetch("partners", queryset=BidPartner.objects.select_related("organisation")), "other_partners"
        )
    )
    if status:
        qs = qs.filter(status=status)
    if stage:
        qs = qs.filter(stage=stage)
    if region:
        qs = qs.filter(lead__region=region)
    if kind:
        qs = qs.filter(lead__kind=kind)
    if partner == "joint":
        qs = qs.filter(Exists(BidPartner.objects.filter(bid=OuterRef("pk"))))
    elif partner == "single":
        qs = qs.exclude(Exists(BidPartner.objects.filter(bid=OuterRef("pk"))))
    elif partner:
        qs = qs.filter(
            Exists(
                BidPartner.objects.filter(
                    Q(organisation__short_name__icontains=partner) | Q(organisation__code__iexact=partner),
                    bid=OuterRef("pk"),
                )
            )
        )
    if q:
        qs = qs.filter(
            Q(reference__icontains=q)
            | Q(title__icontains=q)
            | Q(lead__short_name__icontains=q)
            | Q(lead__name__icontains=q)
            | Q(lead__code__iexact=q)
        )
    return qs.order_by(*STAFF_SORTS.get(sort, STAFF_SORTS["reference"]))


NOT_LIVE = (BidStatus.DRAFT, BidStatus.WITHDRAWN, BidStatus.INELIGIBLE)


def round_bid_figures(*, round: Round) -> dict:
    """Counts by status, and the total requested by live bids against the budget, kept until the
    data changes (`grants.core.datacache`): the same for everyone who may see the round, and a
    pass over all its bids (3 ms at 5,000) on a page that otherwise reads fifty (issue 19)."""
    return datacache.cached("round_bid_figures", (round.pk, round.budget), lambda: _round_bid_figures(round))


def _round_bid_figures(round: Round) -> dict:
    """One pass over the round's bids (count and sum per status), not one for the counts and
    another for the sum."""
    rows = Bid.objects.filter(round=round).values_list("status").annotate(n=Count("pk"), asked=Sum("amount_requested"))
    counts, sums = {}, {}
    for status, n, asked in rows.order_by():
        counts[status], sums[status] = n, asked or Decimal("0.00")
    by_status = [(s, s.label, counts.get(s.value, 0)) for s in BidStatus]
    # "Submitted 4, Draft 1": the statuses the round has, no trailing comma after the last.
    by_status_text = ", ".join(f"{label} {n}" for _, label, n in by_status if n)
    requested = sum((v for k, v in sums.items() if k not in NOT_LIVE), Decimal("0.00"))
    ratio = (requested / round.budget).quantize(Decimal("0.01")) if round.budget else None
    return {
        "by_status": by_status,
        "by_status_text": by_status_text,
        "total": sum(counts.values()),
        "requested": requested,
        "ratio": ratio,
    }


# What a row of the staff bid list shows, in the order `views/bid_list_rows.row_html` reads it.
STAFF_LIST_ROW = (
    "pk", "reference", "title", "amount_requested", "stage", "status",
    "lead__short_name", "lead__kind", "lead__region",
)  # fmt: skip


def staff_bid_list_rows(bids: QuerySet[Bid]) -> QuerySet:
    """`staff_bids` as tuples of what the list's rows show (`STAFF_LIST_ROW`), not whole bids
    (long text and all) made into objects: fifty bids cost the page more to load than to show
    (issue 19). Partners come from `partner_names`, not a prefetch (two querysets per bid)."""
    return bids.prefetch_related(None).values_list(*STAFF_LIST_ROW)


def partner_names(bid_ids: list[int]) -> dict[int, list[str]]:
    """Each bid's partners by name, council partners first then others, each in the order the
    bid page lists them: two queries for a page of bids (as one UNION it took longer)."""
    names: dict[int, list[str]] = {}
    councils = BidPartner.objects.filter(bid_id__in=bid_ids).values_list("bid_id", "organisation__short_name")
    others = OtherPartner.objects.filter(bid_id__in=bid_ids).values_list("bid_id", "name")
    for bid_id, name in [*councils, *others]:
        names.setdefault(bid_id, []).append(name)
    return names


def round_open_clarifications(*, round, user):
    """The round's unanswered questions, less those on bids this person is barred from."""
    from .permissions import barred_bid_ids

    rows = (
        Clarification.objects.filter(bid__round=round, closed_at__isnull=True)
        .select_related("bid", "bid__lead")
        .only("bid", "reply_by", "bid__reference", "bid__title", "bid__lead__short_name")  # what the list shows
    )
    barred = barred_bid_ids(user)
    if barred:
        rows = rows.exclude(bid_id__in=barred)
    return list(rows.order_by("reply_by", "pk"))
