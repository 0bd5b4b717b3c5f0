"""Reads for the dashboard, the board report and the council profile.

Money totals come from `grants.awards.selectors.totals` (awarded, paid, returned, net,
outstanding), so a figure here is the figure on the award pages. Each read is a fixed number of
grouped queries whatever the number of awards.

- Bids received: bids submitted at least once (drafts never reach the funder).
- Oversubscription: amount requested by the bids received divided by the rounds' budgets.
- Committed: what the rounds have promised of their budgets, from the one owner,
  `grants.awards.selectors.rounds_committed` (the figure every budget check uses).
- Awards made: awards that stand (awards.selectors.STANDING: not declined or withdrawn).
- Councils involved: distinct councils leading, partnering or (as members of a funded
  partnership) in the awards made, today; the rule's owner is `grants.reporting.reach`.
- RAG mix: the latest reported RAG of each live award (accepted or active); "none" if no return.
- Outputs to date: values in reported returns (submitted, changes requested or approved) against
  the targets of standing awards; pounds and counts add up, a percentage is each award's latest
  reported value (and across awards their mean): `grants.awards.outputs.to_date`. As at a date (the board report), only returns for periods
  ended and submitted by that date count, for the RAG as for the outputs.
- The financial-year filter picks rounds by their financial year.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from applications.models import Bid
from applications.permissions import barred_bid_ids
from grants import permissions as gperms
from grants.awards import outputs as output_rules
from grants.awards import selectors as award_selectors
from grants.awards.models import (
    Award,
    AwardStatus,
    FundReturn,
    MonitoringReturn,
    OutputKind,
    OutputTarget,
    OutputUnit,
    PaymentTranche,
    Rag,
    ReturnPeriod,
    TrancheStatus,
)
from grants.awards.selectors import REPORTED, STANDING, ZERO, latest_rag_subquery, paid_and_returned
from grants.core.dates import end_of_day
from grants.core.money import CENT, in_unit
from grants.models import Organisation, OrgKind, Programme, Round
from grants.reporting import reach
from grants.reporting.models import BoardSummary

RAG_ORDER = ("green", "amber", "red", "none")
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "none": "No return yet"}
BOARD_STATUSES = (AwardStatus.ACCEPTED, AwardStatus.ACTIVE, AwardStatus.COMPLETED)


def visible_programmes(user) -> QuerySet[Programme]:
    qs = Programme.objects.order_by("name")
    if gperms.has_global_staff_view(user):
        return qs
    return qs.filter(pk__in=gperms.managed_programme_ids(user))


def scoped_rounds(*, user, programme: Programme | None = None, round: Round | None = None, year: int | None = None):
    qs = Round.objects.filter(programme__in=visible_programmes(user))
    if programme is not None:
        qs = qs.filter(programme=programme)
    if round is not None:
        qs = qs.filter(pk=round.pk)
    if year:
        qs = qs.filter(financial_year=year)
    return qs


def financial_years(*, user) -> list[int]:
    rounds = Round.objects.filter(programme__in=visible_programmes(user))
    return sorted(set(rounds.values_list("financial_year", flat=True)), reverse=True)


def _output_name(kind: str, label: str) -> str:
    if label:
        return label
    return OutputKind(kind).label if kind in OutputKind.values else kind


def latest_reported_returns(awards: QuerySet[Award], as_at: date | None = None) -> QuerySet[MonitoringReturn]:
    """Each award's latest reported return (by period due date, then id); as at a date, only a
    return for a period that had ended and that had been submitted by then (today's status of a
    return submitted later must not change an earlier quarter's report).

    Written as "a counted return with no later counted return" (an anti-join the database runs
    once over all the returns) rather than a subquery per award: three to four times faster
    over 10,000 awards, and grouped counts stay in the database."""
    counted = MonitoringReturn.objects.filter(status__in=REPORTED)
    if as_at is not None:
        counted = counted.filter(period__period_end__lte=as_at, submitted_at__lt=end_of_day(as_at))
    later = counted.filter(award_id=OuterRef("award_id")).filter(
        Q(period__due_on__gt=OuterRef("period__due_on"))
        | Q(period__due_on=OuterRef("period__due_on"), pk__gt=OuterRef("pk"))
    )
    return counted.filter(award__in=awards.order_by().values("pk")).filter(~Exists(later))


RAGS = (Rag.GREEN, Rag.AMBER, Rag.RED)


@dataclass
class OutputLine:
    name: str
    unit: str
    target: Decimal = ZERO
    to_date: Decimal = ZERO

    @property
    def percent(self) -> int | None:
        return int(self.to_date * 100 / self.target) if self.target else None

    def show(self, value: Decimal) -> str:
        """A value of this output as the board reads it, in its unit: "£42,000", "7,253" or "61%"."""
        return in_unit(value, self.unit)


def _target_totals(targets: QuerySet[OutputTarget], keys: tuple[str, ...]):
    """Targets per group: added up, or for a percentage their mean (`awards.outputs.combine`)."""
    rows = targets.values(*keys).annotate(s=Sum("target"), a=Avg("target")).order_by()
    for row in rows:
        figure = row["a"] if row["output__unit"] == OutputUnit.PERCENT else row["s"]
        yield tuple(row[k] for k in keys), Decimal(figure or ZERO).quantize(CENT)


def outputs(*, awards: QuerySet[Award], as_at: date | None = None) -> list[OutputLine]:
    """Outputs to date against targets over a set of awards: three grouped queries. The figure to
    date per unit comes from its owner, `grants.awards.outputs.to_date`."""
    standing = awards.filter(status__in=STANDING).order_by().values("pk")
    lines: dict[tuple, OutputLine] = {}
    keys = ("output__kind", "output__label", "output__unit")
    for key, target in _target_totals(OutputTarget.objects.filter(award__in=standing), keys):
        lines.setdefault(key, OutputLine(_output_name(key[0], key[1]), key[2])).target = target
    for key, figure in output_rules.to_date(
        output_rules.reported_values(award_ids=standing, as_at=as_at), keys
    ).items():
        lines.setdefault(key, OutputLine(_output_name(key[0], key[1]), key[2])).to_date = figure
    return sorted(lines.values(), key=lambda line: line.name)


@dataclass
class Dashboard:
    rounds: int = 0
    budget: Decimal = ZERO
    bids_received: int = 0
    requested: Decimal = ZERO
    committed: Decimal = ZERO
    awards_made: int = 0
    councils_involved: int = 0
    money: dict = field(default_factory=dict)
    rag: list[tuple[str, str, int]] = field(default_factory=list)
    outputs: list[OutputLine] = field(default_factory=list)
    by_region: list[tuple[str, int, Decimal]] = field(default_factory=list)
    by_kind: list[tuple[str, int, Decimal]] = field(default_factory=list)

    @property
    def oversubscription(self) -> Decimal | None:
        """Requested per pound of budget, for example 3.20 means three times oversubscribed."""
        return (self.requested / self.budget).quantize(Decimal("0.01")) if self.budget else None

    @property
    def uncommitted(self) -> Decimal:
        return self.budget - self.committed


def scoped_awards(rounds: QuerySet[Round]) -> QuerySet[Award]:
    return Award.objects.filter(round__in=rounds.order_by().values("pk"))


def dashboard(*, user, programme=None, round=None, year=None) -> Dashboard:
    """Every figure on the dashboard in a fixed number of grouped queries (seventeen, and three or four for reach)."""
    rounds = scoped_rounds(user=user, programme=programme, round=round, year=year)
    d = Dashboard()
    agg = rounds.order_by().aggregate(n=Count("pk"), budget=Sum("budget"))
    d.rounds, d.budget = agg["n"], agg["budget"] or ZERO
    bids = Bid.objects.filter(round__in=rounds.order_by().values("pk"), submitted_at__isnull=False).order_by()
    agg = bids.aggregate(n=Count("pk"), requested=Sum("amount_requested"))
    d.bids_received, d.requested = agg["n"], agg["requested"] or ZERO
    # Committed money has one owner; "Awarded" below is a different figure (awards made, whatever became of them).
    d.committed = sum(award_selectors.rounds_committed(round_ids=rounds.order_by().values("pk")).values(), ZERO)
    awards = scoped_awards(rounds)
    d.money = award_selectors.totals(awards)
    standing = awards.filter(status__in=STANDING).order_by()
    live = awards.filter(status__in=Award.LIVE).order_by()
    latest = latest_reported_returns(live).filter(rag__in=RAGS).values("rag").annotate(n=Count("pk")).order_by()
    counts = {r["rag"]: r["n"] for r in latest}
    counts["none"] = live.count() - sum(counts.values())
    d.rag = [(k, RAG_LABELS[k], counts.get(k, 0)) for k in RAG_ORDER]
    d.outputs = outputs(awards=awards)
    by_region = standing.values("lead__region").annotate(n=Count("pk"), amount=Sum("amount"))
    d.by_region = sorted((r["lead__region"] or "Not given", r["n"], r["amount"]) for r in by_region)
    d.awards_made = sum(n for _, n, _ in d.by_region)
    d.councils_involved = reach.councils_involved(awards, timezone.localdate())
    by_kind = standing.values("lead__kind").annotate(n=Count("pk"), amount=Sum("amount"))
    kinds = dict(OrgKind.choices)
    d.by_kind = sorted((kinds.get(r["lead__kind"], r["lead__kind"]), r["n"], r["amount"]) for r in by_kind)
    return d


AWARD_EXPORT_FIELDS = (
    "reference", "status", "award_date", "amount", "match_funding", "round__name", "round__financial_year", "round__programme__name",
    "lead__name", "lead__code", "lead__region", "lead__kind",
)  # fmt: skip


def dashboard_awards(*, user, programme=None, round=None, year=None) -> QuerySet[Award]:
    """The awards behind the dashboard, with paid, returned and latest RAG, for the awards export.

    Only the columns the export writes and the three figures it needs: the award pages' full
    annotation (overdue counts, the bid, who accepted) made this query cost enough for
    PostgreSQL to spend seconds compiling it (JIT) and Python to build five objects a row."""
    rounds = scoped_rounds(user=user, programme=programme, round=round, year=year)
    return (
        Award.objects.filter(round__in=rounds.order_by().values("pk"))
        .select_related("round__programme", "lead")
        .only(*AWARD_EXPORT_FIELDS)
        .annotate(**paid_and_returned(), latest_rag=latest_rag_subquery())
        .order_by("round__programme__name", "round__name", "reference")
    )


# The board report ---------------------------------------------------------------------------


def quarter_end(day: date) -> date:
    """The last quarter end on or before `day` (31 March, 30 June, 30 September, 31 December)."""
    ends = [date(day.year, 3, 31), date(day.year, 6, 30), date(day.year, 9, 30), date(day.year, 12, 31)]
    past = [e for e in ends if e <= day]
    return past[-1] if past else date(day.year - 1, 12, 31)


def is_quarter_end(day: date) -> bool:
    return (day.month, day.day) in ((3, 31), (6, 30), (9, 30), (12, 31))


def recent_quarter_ends(today: date | None = None, count: int = 8, since: date | None = None) -> list[date]:
    """The latest `count` quarter ends, newest first, or back to the quarter holding `since` when
    that is earlier: the board asks about any quarter in which awards were reporting."""
    end = quarter_end(today or timezone.localdate())
    out = [end]
    while len(out) < count or (since is not None and out[-1] > since):
        end = quarter_end(date.fromordinal(end.toordinal() - 1))
        out.append(end)
    return out


def first_reported_period_end() -> date | None:
    """The end of the earliest period any award has sent a return for (historic awards included).

    Asked per period ("has it a reported return?", one index probe each) rather than by joining
    every return to its period: the board report pays for this on every view, and there are a
    few hundred periods but tens of thousands of returns."""
    reported = MonitoringReturn.objects.filter(period=OuterRef("pk"), status__in=REPORTED)
    return (
        ReturnPeriod.objects.filter(Exists(reported))
        .order_by("period_end")
        .values_list("period_end", flat=True)
        .first()
    )


def programme_rag(green: int, amber: int, red: int) -> str:
    """The programme's RAG for the board: Red when at least a third of the reporting awards are
    red, Amber when any is amber or red, Green when all are green; '' when none has reported."""
    reporting = green + amber + red
    if not reporting:
        return ""
    if red * 3 >= reporting:
        return Rag.RED
    if amber or red:
        return Rag.AMBER
    return Rag.GREEN


@dataclass
class BoardRow:
    programme: Programme
    reference: str
    awards: int = 0
    awarded: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    returned: Decimal = ZERO
    green: int = 0
    amber: int = 0
    red: int = 0
    not_reported: int = 0
    outputs: list[OutputLine] = field(default_factory=list)
    summary: str = ""
    eois_received: int = 0  # two-stage rounds: expressions of interest received by the date
    eois_invited: int = 0  # ... and of those, invited to a full bid by the date

    @property
    def net(self) -> Decimal:
        return self.paid - self.returned

    @property
    def rag(self) -> str:
        return programme_rag(self.green, self.amber, self.red)

    @property
    def outputs_text(self) -> str:
        return "; ".join(f"{o.name} {o.show(o.to_date)} (target {o.show(o.target)})" for o in self.outputs)


def board_report(*, user, as_at: date) -> list[BoardRow]:
    """One row per programme the user may see, as at a date: the same number of queries whatever the size."""
    programmes = list(visible_programmes(user))
    rows = {p.pk: BoardRow(programme=p, reference=p.code) for p in programmes}
    awards = Award.objects.filter(round__programme__in=programmes, award_date__lte=as_at).order_by()
    for r in awards.filter(status__in=STANDING).values("round__programme").annotate(n=Count("pk"), s=Sum("amount")):
        rows[r["round__programme"]].awards, rows[r["round__programme"]].awarded = r["n"], r["s"] or ZERO
    paid = PaymentTranche.objects.filter(
        award__in=awards.values("pk"), status=TrancheStatus.PAID, paid_on__lte=as_at
    ).order_by()
    for r in paid.values("award__round__programme").annotate(s=Sum("amount")):
        rows[r["award__round__programme"]].paid = r["s"] or ZERO
    returned = FundReturn.objects.filter(award__in=awards.values("pk"), returned_on__lte=as_at).order_by()
    for r in returned.values("award__round__programme").annotate(s=Sum("amount")):
        rows[r["award__round__programme"]].returned = r["s"] or ZERO
    board = awards.filter(status__in=BOARD_STATUSES)
    latest = latest_reported_returns(board, as_at).filter(rag__in=RAGS)
    for r in latest.values("award__round__programme", "rag").annotate(n=Count("pk")).order_by():
        setattr(rows[r["award__round__programme"]], r["rag"], r["n"])
    for r in board.values("round__programme").annotate(n=Count("pk")):
        row = rows[r["round__programme"]]
        row.not_reported = r["n"] - row.green - row.amber - row.red
    _board_committed(rows, as_at)
    _board_outputs(rows, awards, as_at)
    _board_eois(rows, as_at)
    for s in BoardSummary.objects.filter(as_at=as_at, programme__in=programmes):
        rows[s.programme_id].summary = s.summary
    return [rows[p.pk] for p in programmes]


def _board_eois(rows: dict[int, BoardRow], as_at: date) -> None:
    """Expressions of interest received and invited by the quarter end, in one grouped query.
    An invited EOI became a full bid, but it was received (and invited) all the same."""
    counts = (
        Bid.objects.filter(round__programme__in=list(rows), eoi_submitted_at__date__lte=as_at)
        .values("round__programme")
        .annotate(n=Count("pk"), invited=Count("pk", filter=Q(invited_at__date__lte=as_at)))
        .order_by()
    )
    for r in counts:
        row = rows[r["round__programme"]]
        row.eois_received, row.eois_invited = r["n"], r["invited"]


def _board_committed(rows: dict[int, BoardRow], as_at: date) -> None:
    """Each programme's committed money at the quarter end: its rounds' figures from the owner
    (`grants.awards.selectors.rounds_committed`), which every budget check also asks."""
    programme_of = dict(Round.objects.filter(programme__in=list(rows)).values_list("pk", "programme_id"))
    for round_id, amount in award_selectors.rounds_committed(round_ids=list(programme_of), as_at=as_at).items():
        rows[programme_of[round_id]].committed += amount


def _board_outputs(rows: dict[int, BoardRow], awards: QuerySet[Award], as_at: date) -> None:
    for pk, lines in outputs_by_programme(awards, as_at, programme_ids=list(rows)).items():
        rows[pk].outputs = lines


def outputs_by_programme(
    awards: QuerySet[Award], as_at: date, *, programme_ids: list[int]
) -> dict[int, list[OutputLine]]:
    """Each programme's outputs to date against targets, as at a date: one grouped query for the
    targets, and the figures to date per award (`output_rules.to_date_as_at`, shared with the
    report's outputs section) added up per programme. `awards` are those programmes' awards made
    by the date."""
    standing = awards.filter(status__in=STANDING).values("pk")
    keys = ("award__round__programme", "output__kind", "output__label", "output__unit")
    lines: dict[tuple, OutputLine] = {}
    for key, target in _target_totals(OutputTarget.objects.filter(award__in=standing), keys):
        lines.setdefault(key, OutputLine(_output_name(key[1], key[2]), key[3])).target = target
    by_award = output_rules.to_date_as_at(programme_ids=programme_ids, as_at=as_at)
    for key, figure in output_rules.regroup(by_award, lambda k: (k[0], *k[3:])).items():
        lines.setdefault(key, OutputLine(_output_name(key[1], key[2]), key[3])).to_date = figure
    found: dict[int, list[OutputLine]] = {}
    for key, line in sorted(lines.items(), key=lambda kv: kv[1].name):
        found.setdefault(key[0], []).append(line)
    return found


# The council profile ------------------------------------------------------------------------


def council_search(*, query: str, limit: int = 20) -> list[Organisation]:
    """Councils (with a code, so they have a profile) matching the query, best match first. The
    foundation's search ranks every kind of body; councils are picked inside the query, before
    the limit, so other bodies never push councils out of the results."""
    from grants.models.organisations import COUNCIL_KINDS
    from grants.selectors import organisation_search

    ranked = organisation_search(query=query, limit=None)  # unsliced, so it can still be filtered
    return list(ranked.filter(kind__in=COUNCIL_KINDS).exclude(code__isnull=True).exclude(code="")[:limit])


@dataclass
class CouncilProfile:
    organisation: Organisation
    bids: list = field(default_factory=list)
    awards: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    outstanding_returns: list = field(default_factory=list)


def council_profile(*, user, organisation: Organisation, today: date | None = None) -> CouncilProfile:
    """A council's bids, awards and outstanding returns across the programmes the user may see."""
    today = today or timezone.localdate()
    programmes = visible_programmes(user).values("pk")
    bids = (
        Bid.objects.filter(Q(lead=organisation) | Q(partners__organisation=organisation))
        .filter(round__programme__in=programmes, submitted_at__isnull=False)
        .select_related("round__programme", "lead")
        .distinct()
        .order_by("-submitted_at", "pk")
    )
    award_ids = Award.objects.filter(Q(lead=organisation) | Q(partners=organisation)).values("pk")
    plain = Award.objects.filter(pk__in=award_ids, round__programme__in=programmes)
    shown = plain
    if barred := barred_bid_ids(user):  # a conflict of interest: listed nowhere, still in the totals
        bids, shown = bids.exclude(pk__in=barred), plain.exclude(bid_id__in=barred)
    awards = award_selectors.with_figures(award_selectors.award_queryset().filter(pk__in=shown.values("pk")))
    returns = (
        MonitoringReturn.objects.filter(award__in=shown.values("pk"), award__status__in=Award.LIVE)
        .filter(status__in=MonitoringReturn.NOT_RECEIVED)
        .select_related("award", "period")
        .order_by("period__due_on", "pk")
    )
    return CouncilProfile(
        organisation=organisation,
        bids=list(bids),
        awards=[(a, award_selectors.figures(a)) for a in awards.order_by("-award_date", "reference")],
        totals=award_selectors.totals(plain),
        outstanding_returns=[(r, r.period.due_on < today) for r in returns],
    )
