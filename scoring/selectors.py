"""Reads for assessment, computed in the database so a page costs the same whatever its size.

The ranking's figures for each bid (its rule: `scoring.totals`) are stored as scores are saved
(`BidTotals`), so reading them costs a row per bid, not the round's score rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.models import Bid, BidStage, BidStatus
from grants.awards.models import Award
from grants.awards.selectors import MONEY, round_committed
from grants.core.money import number, percent, pounds
from grants.models import Round as FundingRound
from grants.models import User

from .models import (
    Assignment,
    Decision,
    DecisionStatus,
    EoiCriterion,
    ModeratedScore,
    Outcome,
    Panel,
    Score,
)


def _in_rounds(round: FundingRound | None, round_ids: Iterable[int] | None) -> Q:
    if (round is None) == (round_ids is None):
        raise TypeError("Give a round or round_ids")
    return Q(round=round) if round is not None else Q(round_id__in=list(round_ids))


def live_bids(round: FundingRound | None = None, *, round_ids: Iterable[int] | None = None) -> QuerySet[Bid]:
    """Bids that are assessed: submitted (or already decided), never drafts, withdrawn or ineligible,
    in one round or (for pages across rounds, such as the home page) in `round_ids`.

    Full bids only: an expression of interest in a two-stage round is triaged (`submitted_eois`),
    never assigned, scored, ranked, moderated, decided or counted against the budget. This is the
    one place that says so."""
    return Bid.objects.filter(
        _in_rounds(round, round_ids),
        stage=BidStage.FULL,
        status__in=[BidStatus.SUBMITTED, BidStatus.FUNDED, BidStatus.NOT_FUNDED, BidStatus.RESERVE],
    )


def submitted_eois(round: FundingRound | None = None, *, round_ids: Iterable[int] | None = None) -> QuerySet[Bid]:
    """Expressions of interest waiting for triage (submitted, not yet invited or declined), in one
    round or in `round_ids`: the triage page, its services and the home page's count all read this."""
    return Bid.objects.filter(_in_rounds(round, round_ids), stage=BidStage.EOI, status=BidStatus.SUBMITTED)


def triage_open(round: FundingRound, now: datetime | None = None) -> bool:
    """Triage starts when expressions of interest close, so every council has had its full time."""
    return bool(round.eoi_closes_at) and (now or timezone.now()) >= round.eoi_closes_at


EOI_SORTS = ("score", "reference")


@dataclass(frozen=True)
class EoiScale:
    """The round's EOI criteria in sum: how many, and the highest total an EOI can reach."""

    count: int
    out_of: int


def eoi_scale(round: FundingRound) -> EoiScale:
    found = EoiCriterion.objects.filter(round=round).aggregate(count=Count("pk"), out_of=Sum("max_score"))
    return EoiScale(count=found["count"], out_of=found["out_of"] or 0)


def eoi_triage_rows(round: FundingRound, *, barred=(), sort: str = "score") -> list:
    """The EOIs waiting for triage, less those the viewer is barred from, each with `eoi_total`
    (None when unscored) and `eoi_scored` (how many criteria scored), computed in the database so
    the page costs the same whatever the number of EOIs. Sorted by total, highest first and
    unscored last, then by reference; or by reference alone."""
    bids = (
        submitted_eois(round)
        .exclude(pk__in=barred)
        .select_related("lead", "eoi_triage")
        .prefetch_related("partners__organisation")
        .annotate(eoi_total=Sum("eoi_triage__scores__score"), eoi_scored=Count("eoi_triage__scores"))
    )
    order = ["reference", "pk"] if sort == "reference" else [F("eoi_total").desc(nulls_last=True), "reference", "pk"]
    return list(bids.order_by(*order))


def scored_bids(round: FundingRound, *, detail: bool = False) -> QuerySet:
    """Every live bid of the round, annotated with mean_pct, spread, final_pct, gateway_failed and
    has_moderation; with `detail`, also n_assessed, min_pct and max_pct (the moderation table).

    Read from each bid's stored totals (`BidTotals`, kept by `services.bid_totals_refresh` as
    scores are saved, by the rule in `scoring.totals`): one join, where aggregating the round's
    assessments and moderated score rows on every read cost 107 ms at 2,000 bids (issue 19).
    A bid nobody has scored has no totals row: not scored, and no gateway failure."""
    qs = (
        live_bids(round)
        .select_related("lead", "decision")
        .annotate(
            mean_pct=F("totals__mean_pct"),
            spread=F("totals__spread"),
            final_pct=F("totals__final_pct"),
            gateway_failed=Coalesce("totals__gateway_failed", False),
            has_moderation=Coalesce("totals__has_moderation", False),
        )
    )
    if detail:
        qs = qs.annotate(
            n_assessed=Coalesce("totals__n_assessed", 0),
            min_pct=F("totals__min_pct"),
            max_pct=F("totals__max_pct"),
        )
    return qs


# What a ranking row reads of its bid, lead and decision. Loading whole rows (three timestamps
# per bid, the summary, every decision field) for 2,000 bids was a third of the ranking's time;
# the panel pack reads summaries itself (`bid_summaries`).
RANKING_FIELDS = ("reference", "title", "amount_requested", "status", "stage", "round_id", "lead__short_name")
DECISION_FIELDS = ("decision__bid_id", "decision__outcome", "decision__amount", "decision__status")
RANKING_ORDER = ("gateway_failed", F("final_pct").desc(nulls_last=True), "amount_requested", "reference", "pk")


def ranking_queryset(round: FundingRound) -> QuerySet:
    """Gateway passes first, then final score (highest first), then the smaller request."""
    return scored_bids(round).only(*RANKING_FIELDS, *DECISION_FIELDS).order_by(*RANKING_ORDER)


@dataclass(slots=True)
class Lead:
    short_name: str


@dataclass(slots=True, eq=False)
class RankedBid:
    """What the ranking, its downloads and the panel pack show of a bid. Not a model instance:
    making a Bid and its lead's Organisation for each of 2,000 bids was 60% of the ranking's
    time once the totals were stored (issue 19). A decision, where there is one, is a Decision.
    It is the bid as far as identity goes: equal to the Bid (or ranked bid) with its primary key."""

    pk: int
    reference: str
    title: str
    amount_requested: Decimal
    lead: Lead
    final_pct: Decimal | None
    mean_pct: Decimal | None
    spread: Decimal | None
    gateway_failed: bool
    has_moderation: bool
    decision: Decision | None

    def __eq__(self, other) -> bool:
        if isinstance(other, RankedBid | Bid):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pk)


RANKED_COLUMNS = (
    "pk", "reference", "title", "amount_requested", "lead__short_name", "final_pct", "mean_pct", "spread",
    "gateway_failed", "has_moderation", *DECISION_FIELDS,
)  # fmt: skip


def ranked_bids(round: FundingRound) -> list[RankedBid]:
    """The round's live bids in ranking order (`ranking_queryset`), one query, only the columns shown."""
    rows = []
    for *shown, lead, final, mean, spread, failed, moderated, decided, outcome, amount, status in (
        scored_bids(round).order_by(*RANKING_ORDER).values_list(*RANKED_COLUMNS)
    ):
        decision = None if decided is None else Decision(bid_id=decided, outcome=outcome, amount=amount, status=status)
        rows.append(RankedBid(*shown, Lead(lead), final, mean, spread, failed, moderated, decision))
    return rows


def bid_summaries(bid_ids: Iterable[int]) -> dict[int, str]:
    return dict(Bid.objects.filter(pk__in=list(bid_ids)).values_list("pk", "summary"))


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


@dataclass
class RankingRow:
    rank: int
    bid: object
    amount: Decimal
    counted: bool
    running_total: Decimal | None
    above_line: bool
    decision: Decision | None

    # The bid's figures to two places, worked out when read: the walk needs none of them, and a
    # page shows a hundred of the 2,000 rows (6,000 conversions were a fifth of the ranking's time).
    @cached_property
    def final(self) -> Decimal | None:
        return as_decimal(self.bid.final_pct)

    @cached_property
    def mean(self) -> Decimal | None:
        return as_decimal(self.bid.mean_pct)

    @cached_property
    def spread(self) -> Decimal | None:
        return as_decimal(self.bid.spread)

    # Ready-made text for the ranking page: rows through floatformat and the template's number
    # localisation cost more than the query that ranked them.
    @property
    def final_text(self) -> str:
        return "Not scored" if self.final is None else percent(self.final, 2)

    @property
    def spread_text(self) -> str:
        return "–" if self.spread is None else number(self.spread)

    @property
    def requested_text(self) -> str:
        return pounds(self.bid.amount_requested)

    @property
    def amount_text(self) -> str:
        return pounds(self.amount)

    @property
    def running_text(self) -> str:
        return "–" if self.running_total is None else pounds(self.running_total)


@dataclass
class Ranking:
    rows: list[RankingRow]
    budget: Decimal
    recommended_total: Decimal
    line_after: int | None  # rank of the last bid above the funding line
    committed: Decimal = Decimal("0.00")  # what the round had committed before the walk
    # Whether a fundable bid below the line did not fit: when every bid fits, the line only
    # marks the last bid counted, and the page must not say the budget ran out there.
    budget_ran_out: bool = False

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.recommended_total


def funding_line(*, bids: list, budget: Decimal, committed: Decimal) -> Ranking:
    """Walk the ranking adding each fundable bid's amount until the budget runs out.

    The walk starts from what the round has already committed (`committed`: always
    `grants.awards.selectors.round_committed`, which counts awards after their variations and
    historic awards as well as confirmed decisions), so the line is drawn against the money
    decision confirmation will check. Confirmed funded bids sit above the line whatever their
    rank. Gateway failures and bids proposed as not funded or reserve take nothing from the
    budget. The amount is the recommended amount where a manager set one, else the request.
    """
    decisions = [bid.decision if _has_decision(bid) else None for bid in bids]
    is_funded = [bool(d and d.is_confirmed and d.outcome == Outcome.FUNDED) for d in decisions]
    total = committed
    rows, line_open, line_after = [], True, None
    for rank, (bid, decision, is_committed) in enumerate(zip(bids, decisions, is_funded, strict=True), start=1):
        amount = (
            decision.amount
            if decision and decision.outcome == Outcome.FUNDED and decision.amount
            else bid.amount_requested
        )
        excluded = (
            bid.gateway_failed
            or bid.final_pct is None
            or (decision and decision.outcome in (Outcome.NOT_FUNDED, Outcome.RESERVE))
        )
        counted = above = False
        running = None
        if is_committed:
            counted = above = True
            running = total
            if line_open:
                line_after = rank
        elif not excluded and line_open:
            if total + amount <= budget:
                total += amount
                counted = above = True
                running = total
                line_after = rank
            else:
                line_open = False
        rows.append(RankingRow(rank, bid, amount, counted, running, above, decision))
    return Ranking(
        rows=rows,
        budget=budget,
        recommended_total=total,
        line_after=line_after,
        committed=committed,
        budget_ran_out=not line_open,
    )


def _has_decision(bid) -> bool:
    try:
        return bid.decision is not None
    except Decision.DoesNotExist:
        return False


def ranking_for_round(round: FundingRound) -> Ranking:
    return funding_line(bids=ranked_bids(round), budget=round.budget, committed=round_committed(round=round))


def funded_unissued(round_ids: list[int] | QuerySet, as_at: date | None = None) -> QuerySet:
    """Confirmed funding decisions whose award is not issued yet, per round, as rows
    {"r": round id, "s": amount}: the part of committed money only assessment knows. Registered
    with the owner, `grants.awards.selectors.rounds_committed`, at start-up, which adds it to its
    one query. A decision without an amount commits the amount the bid asked for.

    "No award yet" is an anti-join from the decisions: the reverse join from the bid
    (`bid__award__isnull`) led PostgreSQL to scan every bid and award first (13 ms against 6 ms
    at 10,000 awards), and every budget check and committed figure pays it."""
    issued = Award.objects.filter(bid_id=OuterRef("bid_id"))
    by_then = Q()
    if as_at is not None:  # on the board report's quarter end: confirmed by then, not issued by then
        issued, by_then = issued.filter(award_date__lte=as_at), Q(confirmed_at__date__lte=as_at)
    return (
        Decision.objects.filter(
            by_then, round_id__in=round_ids, status=DecisionStatus.CONFIRMED, outcome=Outcome.FUNDED
        )
        .filter(~Exists(issued))
        .order_by()
        .values(r=F("round_id"))
        .annotate(s=Sum(Coalesce("amount", "bid__amount_requested"), output_field=MONEY))
    )


def moderation_queue(round: FundingRound, threshold: Decimal) -> QuerySet:
    """Bids whose assessors' totals differ by more than the threshold, or that have been moderated."""
    return (
        scored_bids(round, detail=True)
        .filter(Q(n_assessed__gte=2, spread__gt=threshold) | Q(has_moderation=True))
        .order_by(F("spread").desc(nulls_last=True), "reference")
    )


def leave_out(rows: list, barred: set[int], bid_id=lambda row: row.pk) -> tuple[list, int]:
    """A round-wide list less the rows about bids the viewer is barred from (a conflict of
    interest: `applications.permissions.barred_bid_ids`), and how many bids that hid, so the page
    can say the list is incomplete. Totals are worked out before this, over every bid."""
    if not barred:
        return rows, 0
    kept, hidden = [], set()
    for row in rows:
        if bid_id(row) in barred:
            hidden.add(bid_id(row))
        else:
            kept.append(row)
    return kept, len(hidden)


def moderation_for(*, user: User, round: FundingRound, barred: set[int] | None = None) -> list:
    """The moderation queue as this user may see it: nobody sees a bid they are conflicted on,
    a programme manager on the panel included. `barred`: the caller's `barred_bid_ids(user)`."""
    from applications.permissions import barred_bid_ids

    from .permissions import can_manage_round, conflicted_bid_ids, panel_for

    bids = list(moderation_queue(round, panel_for(round).moderation_threshold))
    if not can_manage_round(user, round):
        conflicted = conflicted_bid_ids(user=user, round=round)
        bids = [b for b in bids if b.pk not in conflicted]
    return leave_out(bids, barred_bid_ids(user) if barred is None else barred)[0]


def assessor_queue(*, user: User, round: FundingRound, exclude_bid_ids: set[int]) -> QuerySet:
    """The assessor's own assignments (never a conflicted bid), for the paginated queue page."""
    return (
        Assignment.objects.filter(assessor=user, bid__round=round, withdrawn_at__isnull=True)
        .exclude(bid_id__in=exclude_bid_ids)
        .select_related("bid", "bid__lead", "assessment")
        .order_by("bid__reference", "bid_id")
    )


QUEUE_ROW = (
    "bid_id",
    "bid__reference",
    "bid__lead__short_name",
    "bid__title",
    "bid__amount_requested",
    "assessment__id",
    "assessment__submitted_version",
)


def queue_rows(queue: QuerySet) -> QuerySet:
    """The queue's columns as tuples in `QUEUE_ROW`'s order, for the page's rows: whole Bid rows
    (summary and all) made into objects fifty at a time cost the page more than its queries
    (issue 19)."""
    return queue.values_list(*QUEUE_ROW)


def queue_summary(queue: QuerySet) -> dict[str, int]:
    """How many bids on the queue are not started, in progress and submitted: one query."""
    counts = queue.aggregate(
        total=Count("pk"),
        started=Count("assessment"),  # an assessment, draft or submitted (the join leaves NULL for none)
        submitted=Count("pk", filter=Q(assessment__submitted_version__gt=0)),
    )
    started = counts.pop("started")
    counts["in_progress"] = started - counts["submitted"]
    counts["not_started"] = counts["total"] - started
    return counts


def assignment_table(round: FundingRound) -> list:
    """Each live bid with its active assessors and whether it needs another: three queries."""
    bids = list(live_bids(round).select_related("lead").order_by("reference", "pk"))
    rows = Assignment.objects.filter(bid__round=round).select_related("assessor", "assessment").order_by("assigned_at")
    active: dict[int, list[Assignment]] = {}
    flagged: set[int] = set()
    for row in rows:
        if row.withdrawn_at is None:
            active.setdefault(row.bid_id, []).append(row)
        elif row.needs_reassignment:
            flagged.add(row.bid_id)
    panel = Panel.objects.filter(round=round).first()
    per_bid = panel.assessors_per_bid if panel else 2
    for bid in bids:
        bid.active_assignments = active.get(bid.pk, [])
        bid.short = max(per_bid - len(bid.active_assignments), 0)
        bid.flagged = bid.pk in flagged and bid.short > 0
    return bids


def current_scores_for(*, bid) -> list[Score]:
    """The latest submitted scores of each assessor still assigned to the bid."""
    return list(
        Score.objects.filter(
            assessment__bid=bid,
            assessment__assignment__withdrawn_at__isnull=True,
            assessment__submitted_version__gt=0,
            version=F("assessment__submitted_version"),
        ).select_related("criterion", "assessment__assignment__assessor")
    )


def current_moderation(*, bid) -> dict[int, ModeratedScore]:
    return {
        m.criterion_id: m
        for m in ModeratedScore.objects.filter(bid=bid, is_current=True).select_related("moderated_by", "criterion")
    }
