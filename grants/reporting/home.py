"""What each role finds on its home page after sign-in: the work waiting, each item a count and a link.

The home page reads every layer, so its selectors live here at the top (grants.reporting). Each
section calls the owner of its rule (a bid's next action, an award's due items, a round's
eligibility, an assessor's queue, the moderation queue, failed emails) and leaves out bids the
viewer is barred from (`applications.permissions.barred_bid_ids`), so no count leaks them.
Counts are grouped by round in the database, so the page costs the same however many bids exist.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone

from applications.models import BidStatus
from applications.permissions import barred_bid_ids
from applications.selectors import bids_for_council, next_action
from grants import membership
from grants import permissions as gperms
from grants.awards.models import (
    Award,
    AwardStatus,
    BenefitsReturn,
    MonitoringReturn,
    PaymentTranche,
    ReturnStatus,
    TrancheStatus,
)
from grants.awards.selectors import awards_for_council, due_next, follow_ups_due
from grants.models import Organisation, Round
from grants.people_selectors import acting_council_id
from grants.selectors import round_eligibility, rounds_public
from notifications.selectors import failed_emails
from scoring.models import Assignment, Decision, DecisionStatus, PanelMember
from scoring.selectors import assessor_queue, live_bids, moderation_for, queue_summary, submitted_eois, triage_open
from scoring.services import assessment_open

CLOSING_SOON = timedelta(days=14)
LIST_LIMIT = 10


@dataclass
class WorkItem:
    label: str
    count: int
    url: str
    detail: str = ""
    amount: Decimal | None = None


@dataclass
class CouncilHome:
    organisation: Organisation
    bids: list
    bid_total: int
    due: list
    rounds: list  # (round, existing bid or None)


@dataclass
class PanelRound:
    round: Round
    is_chair: bool
    declared: bool
    summary: dict
    moderation: int | None = None


@dataclass
class Home:
    council: CouncilHome | None = None
    panel: list[PanelRound] = field(default_factory=list)
    manager: list[WorkItem] | None = None
    closing: list = field(default_factory=list)
    finance: WorkItem | None = None
    payments: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    board: bool = False
    # Issue 16, joining a council: the person's own request (no organisation link yet), whether
    # they may ask, and the requests waiting for them to decide (a signatory or administrator).
    joining: object | None = None
    joining_to_signatory: bool = False
    can_ask_to_join: bool = False
    join_requests: WorkItem | None = None

    @property
    def empty(self) -> bool:
        return not (
            self.council or self.panel or self.manager is not None or self.finance or self.board or self.join_requests
        )


def council_home(*, user, now: datetime) -> CouncilHome | None:
    """The council's latest bids with what each needs next, what its awards need (offers to accept,
    returns and milestones due), and the open rounds it may lead a bid in. A round where the council
    already has a live bid links to that bid rather than inviting another."""
    org_id = acting_council_id(user)
    if org_id is None:
        return None
    all_bids = bids_for_council(user=user)
    bids = list(all_bids.exclude(status=BidStatus.WITHDRAWN)[:LIST_LIMIT])
    for bid in bids:
        bid.next_action = next_action(bid, org_id, now)
    due = due_next(awards=list(awards_for_council(user=user)), user=user, today=timezone.localdate(now))
    # A funded bid's next step is its award's (accept the offer, send a return), soonest first:
    # "No action needed" beside a bid whose offer waits would send the council the wrong way.
    award_next: dict[int, str] = {}
    for item in due:
        award_next.setdefault(item.award.bid_id, item.what)
    for bid in bids:
        if bid.pk in award_next:
            bid.next_action = award_next[bid.pk]
    rounds = list(rounds_public(now=now).prefetch_related("eligible_organisations"))
    existing = {
        b.round_id: b
        for b in all_bids.filter(round__in=[r.pk for r in rounds]).exclude(status__in=[BidStatus.WITHDRAWN])
    }
    organisation = user.organisation
    open_rounds = []
    for r in rounds:
        if r.pk in existing:
            open_rounds.append((r, existing[r.pk], []))
            continue
        # Expressions of interest have closed (issue 16; scoring owns when): full bids are by
        # invitation, and an invited council has its bid already.
        if triage_open(r, now):
            continue
        reasons = round_eligibility(round=r, organisation=organisation, now=now)
        opens_later = r.opens_at > now
        # An upcoming round's only reason is its opening date; any other reason means it is not for this council.
        if not reasons or (opens_later and len(reasons) == 1):
            open_rounds.append((r, None, reasons))
    return CouncilHome(organisation, bids, all_bids.count(), due, open_rounds)


def panel_home(*, user) -> list[PanelRound]:
    """Each round still being scored where the person sits on the panel: their queue's counts (less
    bids they are conflicted on) and, for a chair, the bids waiting for moderation."""
    if not gperms.is_panel_member(user):
        return []
    from scoring.permissions import conflicted_bid_ids, has_declared

    members = PanelMember.objects.filter(user=user, panel__round__decided_at__isnull=True).select_related(
        "panel__round__programme"
    )
    rows = []
    for m in members.order_by("panel__round__assessment_deadline", "panel__round__closes_at"):
        r = m.panel.round
        conflicted = conflicted_bid_ids(user=user, round=r)
        summary = queue_summary(assessor_queue(user=user, round=r, exclude_bid_ids=conflicted))
        row = PanelRound(r, m.is_chair, has_declared(user, r), summary)
        if m.is_chair and assessment_open(r):  # a round assessed early is moderated early too
            row.moderation = len(moderation_for(user=user, round=r))
        rows.append(row)
    return rows


def _by_round(rows) -> dict[int, int]:
    return {r["round"]: r["n"] for r in rows}


def manager_home(*, user, now: datetime) -> tuple[list[WorkItem], list[Round], list] | None:
    """The programme manager's work across their programmes, each item a count and a link to the
    page where it is done. Grouped queries: the cost does not grow with bids or awards."""
    if not (gperms.is_programme_manager(user) or gperms.is_administrator(user)):
        return None
    today = timezone.localdate(now)
    rounds = Round.objects.select_related("programme").order_by("closes_at")
    if not gperms.is_administrator(user):
        rounds = rounds.filter(programme_id__in=gperms.managed_programme_ids(user))
    rounds = list(rounds)
    by_pk = {r.pk: r for r in rounds}
    ids = list(by_pk)
    barred = barred_bid_ids(user)
    items: list[WorkItem] = []

    open_rounds = [r for r in rounds if r.published and r.opens_at <= now < r.closes_at]
    closing = [r for r in open_rounds if r.closes_at <= now + CLOSING_SOON]
    items.append(WorkItem("Rounds open", len(open_rounds), reverse("scoring:round_index")))

    def per_round(label: str, counts: dict[int, int], url_name: str) -> None:
        for round_id, n in counts.items():
            if n:
                r = by_pk[round_id]
                items.append(WorkItem(label, n, reverse(url_name, args=[r.slug]), r.name))

    # Fewer active assessors than the panel needs (`scoring.selectors.assignment_table`'s "short").
    active = Assignment.objects.filter(bid=OuterRef("pk"), withdrawn_at__isnull=True)
    waiting = (
        live_bids(round_ids=ids)
        .filter(status=BidStatus.SUBMITTED)  # not yet decided
        .exclude(pk__in=barred)
        .filter(~Exists(active))
        .values("round")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_round("Bids waiting for assignment", _by_round(waiting), "scoring:assignments")
    # Two-stage rounds whose triage has started: expressions of interest not yet invited or declined.
    to_triage = (
        submitted_eois(round_ids=[r.pk for r in rounds if triage_open(r, now)])
        .exclude(pk__in=barred)
        .values("round")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_round("Expressions of interest to triage", _by_round(to_triage), "scoring:eoi_triage")
    outstanding = (
        Assignment.objects.filter(bid__round_id__in=ids, withdrawn_at__isnull=True, bid__status=BidStatus.SUBMITTED)
        .exclude(bid_id__in=barred)
        .filter(Q(assessment__isnull=True) | Q(assessment__submitted_version=0))
        .values(round=F("bid__round"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_round("Assessments outstanding", _by_round(outstanding), "scoring:assignments")
    # Closed rounds, and open ones assessed early once scoring has started (`assessment_open`).
    in_assessment = [
        r
        for r in rounds
        if r.published
        and not r.decided_at
        and assessment_open(r, now)
        and (r.closes_at <= now or r.assessment_started_at)
    ]
    for r in in_assessment:
        n = len(moderation_for(user=user, round=r, barred=barred))
        if n:
            items.append(WorkItem("Moderation needed", n, reverse("scoring:moderation", args=[r.slug]), r.name))
    proposed = (
        Decision.objects.filter(round_id__in=ids, status=DecisionStatus.PROPOSED)
        .exclude(bid_id__in=barred)
        .values("round")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_round("Decisions to confirm", _by_round(proposed), "scoring:ranking")
    offers = (
        Award.objects.filter(round_id__in=ids, status=AwardStatus.OFFERED)
        .exclude(bid_id__in=barred)
        .values("round")
        .annotate(n=Count("pk"))
        .order_by()
    )
    portfolio = reverse("awards:portfolio")
    for round_id, n in _by_round(offers).items():
        items.append(
            WorkItem("Offers not accepted", n, f"{portfolio}?round={by_pk[round_id].slug}", by_pk[round_id].name)
        )
    # Issue 17: contacts whose follow-up date has come and nobody has marked done.
    follow_ups = (
        follow_ups_due(today=today, barred=barred)
        .filter(award__round_id__in=ids)
        .values(round=F("award__round"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    follow_up_list = reverse("awards:follow_ups")
    for round_id, n in _by_round(follow_ups).items():
        r = by_pk[round_id]
        items.append(WorkItem("Follow-ups due", n, f"{follow_up_list}?round={r.slug}", r.name))
    # No page lists returns waiting for review, so each links to its own page (oldest first).
    returns = MonitoringReturn.objects.filter(award__round_id__in=ids, status=ReturnStatus.SUBMITTED).exclude(
        award__bid_id__in=barred
    )
    reviews = list(returns.select_related("award", "period").order_by("submitted_at", "pk")[:LIST_LIMIT])
    for r in reviews:
        r.url = reverse("awards:return", args=[r.award_id, r.pk])
    if reviews:
        total = len(reviews) if len(reviews) < LIST_LIMIT else returns.count()
        items.append(WorkItem("Returns to review", total, "#returns-to-review"))
    # Issue 17: benefits returns sent after closure, reviewed from the round's monitoring page.
    benefits = (
        BenefitsReturn.objects.filter(award__round_id__in=ids, status=ReturnStatus.SUBMITTED)
        .exclude(award__bid_id__in=barred)
        .values(round=F("award__round"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for round_id, n in _by_round(benefits).items():
        r = by_pk[round_id]
        url = reverse("awards:round_monitoring", args=[r.slug]) + "#benefits"
        items.append(WorkItem("Benefits returns to review", n, url, r.name))
    due = payments_due(award_filter=Q(award__round_id__in=ids), barred=barred, today=today)
    if due.count:
        items.append(due)
    failed = failed_emails(user=user).count()
    items.append(WorkItem("Failed emails", failed, reverse("notifications:failed_list")))
    return items, closing, reviews


def _due_tranches(*, award_filter: Q, barred: set[int], today: date):
    """Planned tranches of live awards whose date has come (the finance officer pays them)."""
    return (
        PaymentTranche.objects.filter(award_filter, status=TrancheStatus.PLANNED, award__status__in=Award.LIVE)
        .filter(due_on__lte=today)
        .exclude(award__bid_id__in=barred)
    )


def payments_due(*, award_filter: Q, barred: set[int], today: date) -> WorkItem:
    """How many payments are due and their sum: one query."""
    totals = _due_tranches(award_filter=award_filter, barred=barred, today=today).aggregate(
        n=Count("pk"), total=Sum("amount")
    )
    total = totals["total"] or Decimal("0")
    return WorkItem("Payments due", totals["n"], reverse("awards:portfolio"), amount=total)


def payments_to_make(*, barred: set[int], today: date) -> list:
    """The first due payments, oldest first, each linked to the page that records it."""
    rows = list(
        _due_tranches(award_filter=Q(), barred=barred, today=today)
        .select_related("award")
        .order_by("due_on", "pk")[:LIST_LIMIT]
    )
    for t in rows:
        t.url = reverse("awards:payment", args=[t.award_id, t.pk])
    return rows


def home_for(*, user, now: datetime | None = None) -> Home:
    now = now or timezone.now()
    home = Home()
    home.council = council_home(user=user, now=now)
    home.panel = panel_home(user=user)
    manager = manager_home(user=user, now=now)
    if manager is not None:
        home.manager, home.closing, home.reviews = manager
    if gperms.is_finance_officer(user):
        barred, today = barred_bid_ids(user), timezone.localdate(now)
        home.finance = payments_due(award_filter=Q(), barred=barred, today=today)
        home.payments = payments_to_make(barred=barred, today=today)
    home.board = gperms.is_board_viewer(user)
    _joining(home, user)
    return home


def _joining(home: Home, user) -> None:
    """Someone with no organisation sees their request to join (or may ask); a signatory or an
    administrator sees how many requests wait for them."""
    if user.organisation_id is None:
        home.joining = membership.latest_request(user)
        if home.joining is not None and home.joining.status == "pending":
            home.joining_to_signatory = membership.goes_to_signatory(home.joining)
        home.can_ask_to_join = not (gperms.is_staff_user(user) or gperms.is_panel_member(user))
    if membership.may_decide_requests(user):
        count = membership.requests_to_decide(user=user).count()
        if count:
            url = reverse("grants:staff_join_requests" if gperms.is_administrator(user) else "grants:join_requests")
            home.join_requests = WorkItem(label="Requests to join", count=count, url=url)
