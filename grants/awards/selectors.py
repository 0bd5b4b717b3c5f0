"""Reads for awards. Querysets come annotated and select_related, so a page costs a fixed
number of queries whatever the number of awards.

Money totals (all Decimal pounds):
- awarded: the amounts of awards that stand (not declined or withdrawn);
- paid: tranches paid; returned: money returned or clawed back;
- net: paid minus returned (what the council kept); outstanding: awarded but not yet paid on
  live awards.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, FirstValue
from django.utils import timezone

from applications.permissions import barred_bid_ids
from grants import permissions as gperms
from grants.awards.models import (
    Award,
    AwardStatus,
    ContactLogEntry,
    FundReturn,
    Milestone,
    MilestoneStatus,
    MonitoringReturn,
    OutputTarget,
    OutputValue,
    PaymentTranche,
    ReturnStatus,
    RoundOutput,
    TrancheStatus,
    Variation,
)
from grants.awards.permissions import can_view_portfolio
from grants.models import User
from grants.people_selectors import acting_council_id, is_council_certifier

ZERO = Decimal("0.00")
A = TypeVar("A")  # whatever a stream of awards carries (award_councils_in_step)
MONEY = DecimalField(max_digits=14, decimal_places=2)
STANDING = (
    AwardStatus.OFFERED,
    AwardStatus.ACCEPTED,
    AwardStatus.ACTIVE,
    AwardStatus.COMPLETED,
    AwardStatus.TERMINATED,
)
OPEN_MILESTONE = (MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS)
REPORTED = (ReturnStatus.SUBMITTED, ReturnStatus.CHANGES_REQUESTED, ReturnStatus.APPROVED)
OPEN_OR_LIVE = (AwardStatus.OFFERED, *Award.LIVE)


def _sum_subquery(model, field: str, **filters) -> Coalesce:
    qs = (
        model.objects.filter(award=OuterRef("pk"), **filters)
        .order_by()
        .values("award")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(qs, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _count_subquery(model, **filters) -> Coalesce:
    qs = model.objects.filter(award=OuterRef("pk"), **filters).order_by().values("award").annotate(n=Count("pk"))
    return Coalesce(Subquery(qs.values("n")), Value(0))


def paid_and_returned() -> dict[str, Coalesce]:
    """Money paid and money returned per award, as annotations: the award pages, the portfolio
    export and 360Giving must agree on both, so they all take them from here."""
    return {
        "paid_amount": _sum_subquery(PaymentTranche, "amount", status=TrancheStatus.PAID),
        "returned_amount": _sum_subquery(FundReturn, "amount"),
    }


def award_councils(award_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """The councils of each award as (name, GSS code): its lead first, then its partners by name.
    An award's partners are the partners of its joint bid or, for an award to a standing
    partnership, the members on the award date (`grants.awards.services.partnerships` keeps them
    so), so this one list serves both. A partner that is not a council (a police force) is listed
    with its empty GSS code, for the caller to leave out where only areas count. Two queries for
    any number of awards; `award_councils_in_step` is the same list for a stream of awards."""
    ids = list(award_ids)
    leads = Award.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "lead__name", "lead__gss_code")
    partners = Award.partners.through.objects.filter(award_id__in=ids)
    return {lead[0]: councils for lead, councils in award_councils_in_step(leads, partners, lambda lead: lead)}


def award_councils_in_step(
    awards: Iterable[A], partners: QuerySet, lead: Callable[[A], tuple[int, str, str]], chunk_size: int = 2000
) -> Iterator[tuple[A, list[tuple[str, str]]]]:
    """`award_councils` for awards read as a stream: each item of `awards` (in ascending pk
    order; `lead(item)` gives its pk, lead name and lead GSS code) with its councils. `partners`
    is the award-partner rows filtered to the same awards; they are read in one query, in award
    order, and merged in step, so a 100,000-grant export holds a chunk in memory and costs two
    queries, not two per chunk."""
    rows = (
        partners.values_list("award_id", "organisation__name", "organisation__gss_code")
        .order_by("award_id", "organisation__name")
        .iterator(chunk_size=chunk_size)
    )
    pending = None
    for item in awards:
        pk, name, gss = lead(item)
        if pending is None:
            pending = next(rows, False)  # the partners' query runs once there is an award
        councils = [(name, gss)]
        while pending and pending[0] <= pk:
            if pending[0] == pk:
                councils.append((pending[1], pending[2]))
            pending = next(rows, False)
        yield item, councils


def latest_rag_subquery() -> Subquery:
    """The RAG of each award's latest reported return, as an annotation: the one definition of
    "latest RAG" (award pages, exports, the dashboard and `latest_rag` ask it)."""
    latest = MonitoringReturn.objects.filter(award=OuterRef("pk"), status__in=REPORTED)
    return Subquery(latest.order_by("-period__due_on", "-pk").values("rag")[:1])


def award_queryset() -> QuerySet[Award]:
    return Award.objects.select_related("round__programme", "lead", "bid", "accepted_by")


def with_figures(qs: QuerySet[Award], today: date | None = None) -> QuerySet[Award]:
    """Annotate paid, returned, net, latest RAG and overdue counts, each as a subquery (no row
    multiplication, one query for the lot)."""
    today = today or timezone.localdate()
    return qs.annotate(
        **paid_and_returned(),
        latest_rag=latest_rag_subquery(),
        overdue_returns=_count_subquery(
            MonitoringReturn,
            status__in=MonitoringReturn.NOT_RECEIVED,
            period__due_on__lt=today,
            award__status__in=Award.LIVE,
        ),
        overdue_milestones=_count_subquery(
            Milestone, status__in=OPEN_MILESTONE, due_on__lt=today, award__status__in=Award.LIVE
        ),
        acceptance_overdue=ExpressionWrapper(
            Q(status=AwardStatus.OFFERED, respond_by__lt=today), output_field=BooleanField()
        ),
    )


def figures(award: Award) -> dict[str, Decimal]:
    """awarded, paid, returned, net and outstanding for one award (annotated or not)."""
    paid = getattr(award, "paid_amount", None)
    returned = getattr(award, "returned_amount", None)
    if paid is None:
        paid = award.tranches.filter(status=TrancheStatus.PAID).aggregate(s=Sum("amount"))["s"] or ZERO
    if returned is None:
        returned = award.fund_returns.aggregate(s=Sum("amount"))["s"] or ZERO
    awarded = award.amount if award.status in STANDING else ZERO
    outstanding = award.amount - paid if award.status in (AwardStatus.OFFERED, *Award.LIVE) else ZERO
    return {"awarded": awarded, "paid": paid, "returned": returned, "net": paid - returned, "outstanding": outstanding}


def totals(awards: QuerySet[Award]) -> dict[str, Decimal]:
    """awarded, paid, returned, net and outstanding over a set of awards (`summary` without
    the count)."""
    figures = summary(awards)
    del figures["count"]
    return figures


def _total(model, **filters) -> Subquery:
    """SUM(amount) over the filtered rows as a scalar subquery (a plain SQL function, so no
    GROUP BY: one row whatever the filter)."""
    qs = model.objects.filter(**filters).order_by().annotate(t=Func(F("amount"), function="SUM")).values("t")
    return Subquery(qs[:1], output_field=MONEY)


def summary(awards: QuerySet[Award]) -> dict:
    """How many awards, and their money totals, in one query: a list page pays one query for
    its count and its totals row whatever the number of awards. The paid and returned sums are
    uncorrelated subqueries (computed once, joined by the ids, not per award)."""
    ids = awards.order_by().values("pk")
    live = Q(status__in=OPEN_OR_LIVE)
    paid = {"award__in": ids, "status": TrancheStatus.PAID}
    row = Award.objects.filter(pk__in=ids).aggregate(
        count=Count("pk"),
        awarded=Sum("amount", filter=Q(status__in=STANDING)),
        live=Sum("amount", filter=live),
        # One value repeated on every row: Max just hands it through the aggregate.
        paid=Max(_total(PaymentTranche, **paid)),
        paid_live=Max(_total(PaymentTranche, **paid, award__status__in=OPEN_OR_LIVE)),
        returned=Max(_total(FundReturn, award__in=ids)),
    )
    paid, returned = row["paid"] or ZERO, row["returned"] or ZERO
    return {
        "count": row["count"],
        "awarded": row["awarded"] or ZERO,
        "paid": paid,
        "returned": returned,
        "net": paid - returned,
        "outstanding": (row["live"] or ZERO) - (row["paid_live"] or ZERO),
    }


# Money committed against a round is one rule with one owner: this module. Confirmed funding
# decisions whose award is not issued yet belong to scoring, the layer above, so scoring registers
# a provider here when it starts (ScoringConfig.ready) and this layer never imports it. A provider
# takes round ids and an as-at date (None for now) and answers a values queryset of rows
# {"r": round id, "s": amount}, so that every part of the figure travels in one query.
_UNISSUED_PROVIDERS: list[Callable[..., QuerySet]] = []
HOLDING = (AwardStatus.OFFERED, *Award.LIVE, AwardStatus.COMPLETED)


def round_committed_unissued_register(provider: Callable[..., QuerySet]) -> None:
    if provider not in _UNISSUED_PROVIDERS:
        _UNISSUED_PROVIDERS.append(provider)


def rounds_committed(*, round_ids: Iterable[int] | QuerySet, as_at: date | None = None) -> dict[int, Decimal]:
    """What each round has promised of its budget, in one query however many rounds: the amounts
    of awards that stand (offered to completed, historic ones too), what terminated awards were
    paid and kept (paid less returned), and funding decisions confirmed but not yet issued.
    Declined and withdrawn awards hold nothing. Every budget check and every "committed" figure
    comes here, so a page and the check that refuses a decision can never disagree.

    `round_ids` may be a `values("pk")` queryset (a page of many rounds: no query for the ids);
    a round that has committed nothing is absent from the answer. With `as_at` (the board report's
    quarter end) only awards made, payments paid, money returned and decisions confirmed by then
    count; an award's status is the one it has now, as everywhere on the board report."""
    ids = round_ids if isinstance(round_ids, QuerySet) else sorted(set(round_ids))
    ended = {"award__round_id__in": ids, "award__status": AwardStatus.TERMINATED}
    awards, paid, back = Q(), Q(), Q()
    if as_at is not None:
        awards, paid = Q(award_date__lte=as_at), Q(paid_on__lte=as_at, award__award_date__lte=as_at)
        back = Q(returned_on__lte=as_at, award__award_date__lte=as_at)
    by_round = {"r": F("award__round_id")}
    standing = Award.objects.filter(awards, round_id__in=ids, status__in=HOLDING).order_by().values(r=F("round_id"))
    kept = PaymentTranche.objects.filter(paid, status=TrancheStatus.PAID, **ended).order_by().values(**by_round)
    returned = FundReturn.objects.filter(back, **ended).order_by().values(**by_round)
    parts = [
        standing.annotate(s=Sum("amount")),
        kept.annotate(s=Sum("amount")),
        returned.annotate(s=Sum(F("amount") * Value(Decimal("-1")), output_field=MONEY)),
        *(provider(ids, as_at) for provider in _UNISSUED_PROVIDERS),
    ]
    committed: dict[int, Decimal] = {}
    for row in parts[0].union(*parts[1:], all=True):
        committed[row["r"]] = committed.get(row["r"], ZERO) + (row["s"] or ZERO)
    return committed


def round_committed(*, round) -> Decimal:
    """What one round has promised of its budget (`rounds_committed`). Writers hold the round's
    row lock (`grants.services.round_lock`) from this read until their change is saved."""
    return rounds_committed(round_ids=[round.pk]).get(round.pk, ZERO)


def award_totals(*, award: Award) -> dict[str, Decimal]:
    return figures(award)


def round_totals(*, round) -> dict[str, Decimal]:
    return totals(Award.objects.filter(round=round))


def programme_totals(*, programme) -> dict[str, Decimal]:
    return totals(Award.objects.filter(round__programme=programme))


def latest_rag(*, award: Award) -> str:
    """'green', 'amber', 'red' or '' from the most recent reported return."""
    return Award.objects.filter(pk=award.pk).values_list(latest_rag_subquery(), flat=True).first() or ""


def award_detail(*, pk: int) -> Award:
    """One award with everything its page shows, in a fixed number of queries."""
    return (
        with_figures(award_queryset())
        .prefetch_related(
            "partners",
            Prefetch("tranches", queryset=PaymentTranche.objects.select_related("milestone", "approved_by")),
            Prefetch("milestones", queryset=Milestone.objects.prefetch_related("evidence_files")),
            Prefetch("returns", queryset=MonitoringReturn.objects.select_related("period")),
            Prefetch(
                "variations",
                queryset=Variation.objects.select_related("requested_by", "decided_by", "output_target__output"),
            ),
            "fund_returns",
            Prefetch("output_targets__output"),
        )
        .get(pk=pk)
    )


def return_values(*, mreturn: MonitoringReturn, outputs: list | None = None) -> list[tuple]:
    """(output, value or None, target or None) for every output of the return's round
    (`outputs`: the round's outputs when the caller has them already)."""
    values = {v.output_id: v.value for v in OutputValue.objects.filter(monitoring_return=mreturn)}
    targets = {t.output_id: t.target for t in OutputTarget.objects.filter(award_id=mreturn.award_id)}
    if outputs is None:
        outputs = list(RoundOutput.objects.filter(round__awards=mreturn.award_id))
    return [(o, values.get(o.pk), targets.get(o.pk)) for o in outputs]


def awards_for_council(*, user: User) -> QuerySet[Award]:
    """The awards of the council the user acts for (none without a council role), less those of
    bids they are barred from (a conflict of interest as a panel member)."""
    org = acting_council_id(user)
    if org is None:
        return Award.objects.none()
    ids = Award.objects.filter(Q(lead_id=org) | Q(partners=org)).values("pk")
    awards = award_queryset().filter(pk__in=ids)
    if barred := barred_bid_ids(user):
        awards = awards.exclude(bid_id__in=barred)
    return with_figures(awards)


def awards_for_user(*, user: User) -> QuerySet[Award]:
    """Every award this person may read, unordered and without figures: their council's
    (`awards_for_council`: lead or partner) and, for staff, the portfolio's (`portfolio`: their
    programmes, or all for global staff); never one of a bid they are barred from, as `can_view`."""
    if not user.is_authenticated:
        return Award.objects.none()
    if acting_council_id(user) is None:
        # Staff with no council: the portfolio's rule alone, as a filter on the awards themselves.
        # As `pk IN (portfolio)` the API's count of 10,000 awards was a semi-join of the table
        # with itself, twice the cost of the plain scan (issue 19).
        if not can_view_portfolio(user):
            return Award.objects.none()
        awards = portfolio(user=user).select_related(None).order_by()
    else:
        reach = Q(pk__in=awards_for_council(user=user).order_by().values("pk"))
        if can_view_portfolio(user):
            reach |= Q(pk__in=portfolio(user=user).order_by().values("pk"))
        awards = Award.objects.filter(reach)
    if barred := barred_bid_ids(user):
        awards = awards.exclude(bid_id__in=barred)
    return awards


@dataclass
class DueItem:
    award: Award
    what: str
    due_on: date | None
    url: str
    overdue: bool


def due_next(*, awards: list[Award], user: User, today: date | None = None) -> list[DueItem]:
    """What the council must do next, soonest first: acceptances, milestones, returns, benefits
    returns. Three queries at most whatever the number of awards."""
    today = today or timezone.localdate()
    by_pk = {a.pk: a for a in awards}
    items: list[DueItem] = []
    for a in awards:
        if a.status == AwardStatus.OFFERED and a.lead_id == user.organisation_id:
            late = a.respond_by is not None and a.respond_by < today
            items.append(DueItem(a, "Accept or decline the offer", a.respond_by, a.get_absolute_url(), late))
    live = [a.pk for a in awards if a.status in Award.LIVE and a.lead_id == user.organisation_id]
    for m in Milestone.objects.filter(award_id__in=live, status__in=OPEN_MILESTONE):
        a = by_pk[m.award_id]
        items.append(DueItem(a, f"Milestone: {m.description}", m.due_on, a.get_absolute_url(), m.due_on < today))
    # Issue 17: the council's certifier also has the returns waiting for them to certify.
    certifier = is_council_certifier(user=user, organisation_id=user.organisation_id)
    statuses = (*MonitoringReturn.OPEN, ReturnStatus.TO_CERTIFY) if certifier else MonitoringReturn.OPEN
    returns = MonitoringReturn.objects.filter(award_id__in=live, status__in=statuses).select_related("period")
    for r in returns:
        a = by_pk[r.award_id]
        url = f"/awards/{a.pk}/returns/{r.pk}/"
        label = "Resubmit return" if r.status == ReturnStatus.CHANGES_REQUESTED else "Return"
        if r.status == ReturnStatus.TO_CERTIFY:
            label, url = "Certify return", f"{url}certify/"
        items.append(DueItem(a, f"{label}: {r.period.title}", r.period.due_on, url, r.period.due_on < today))
    # Issue 17: benefits returns, for the years after a completed award (one query more).
    from .benefits_selectors import due_for_council

    completed = [a.pk for a in awards if a.status == AwardStatus.COMPLETED and a.lead_id == user.organisation_id]
    for b in due_for_council(award_ids=completed, today=today) if completed else ():
        a = by_pk[b.award_id]
        label = "Resend benefits return" if b.status == ReturnStatus.CHANGES_REQUESTED else "Benefits return"
        url = f"/awards/{a.pk}/benefits/{b.pk}/"
        items.append(DueItem(a, f"{label}: year {b.year}", b.due_on, url, b.due_on < today))
    return sorted(items, key=lambda i: (i.due_on or date.max, i.award.reference))


def portfolio_filters(params) -> dict[str, str]:
    """The portfolio's filters from a query string (the page and its downloads read the same)."""
    return {
        key: str(params.get(param, ""))[:100]
        for key, param in (("round_slug", "round"), ("region", "region"), ("rag", "rag"))
    }


def portfolio(*, user: User, round_slug: str = "", region: str = "", rag: str = "") -> QuerySet[Award]:
    """Every award the user may see (managers: their programmes; global staff: all), filtered,
    in the portfolio's order, without figures: `with_figures` them, or `PortfolioRows` for a page."""
    qs = award_queryset()
    if not gperms.has_global_staff_view(user):
        qs = qs.filter(round__programme_id__in=gperms.managed_programme_ids(user))
    if round_slug:
        qs = qs.filter(round__slug=round_slug)
    if region:
        qs = qs.filter(lead__region=region)
    if rag == "none":
        qs = qs.exclude(pk__in=MonitoringReturn.objects.filter(status__in=REPORTED).values("award_id"))
    elif rag:
        qs = qs.filter(pk__in=_latest_rag_is(rag))
    return qs.order_by("round__programme__name", "round__name", "lead__short_name", "reference")


def _latest_rag_is(rag: str) -> QuerySet:
    """Ids of awards whose latest reported return has this RAG, in one pass over the returns
    (a window, not a subquery per award, so filtering 10,000 awards stays cheap)."""
    # The RAG is compared through the window (first value, latest first) so the comparison
    # applies after the window: filtering on `rag` itself would drop the other returns first.
    ranked = MonitoringReturn.objects.filter(status__in=REPORTED).annotate(
        latest=Window(
            FirstValue("rag"), partition_by=F("award_id"), order_by=[F("period__due_on").desc(), F("pk").desc()]
        )
    )
    return ranked.filter(latest=rag).values("award_id")


class PortfolioRows:
    """The portfolio for `Paginator`: the count comes with the totals (`summary`), and a slice
    picks the page's ids first (sort and limit without figures), then adds the figures to
    those rows only, in one query. A deep page costs what the first page costs."""

    def __init__(self, awards: QuerySet[Award], count: int):
        self.awards, self._count = awards, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list[Award]:
        ids = self.awards.values("pk")[window]
        return list(with_figures(award_queryset()).filter(pk__in=ids).order_by(*self.awards.query.order_by))


# Issue 17, follow-ups due: the one reading of "a contact's follow-up is due".
def follow_ups_due(*, today: date, barred: Iterable[int] = ()) -> QuerySet[ContactLogEntry]:
    """Contact log entries whose follow-up date has come (today or earlier) and that nobody has
    recorded as done, less those on awards of `barred` bids. The home page counts these by round;
    the follow-ups page lists them."""
    due = ContactLogEntry.objects.filter(follow_up_by__lte=today, followed_up_at__isnull=True)
    return due.exclude(award__bid_id__in=barred) if barred else due


def follow_ups_for(*, user: User, today: date, round_slug: str = "") -> QuerySet[ContactLogEntry]:
    """The follow-ups due on the awards this member of staff may see (the portfolio's reach:
    managers their programmes, global staff all), less bids they are barred from, oldest first."""
    due = follow_ups_due(today=today, barred=barred_bid_ids(user))
    if not gperms.has_global_staff_view(user):
        due = due.filter(award__round__programme_id__in=gperms.managed_programme_ids(user))
    if round_slug:
        due = due.filter(award__round__slug=round_slug)
    return due.select_related("award__round", "award__lead").order_by("follow_up_by", "award__reference", "pk")
