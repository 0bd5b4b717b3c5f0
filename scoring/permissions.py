"""Who may see and do what in assessment. Plain functions used by views, templates and tests.

The rule that matters most: a conflicted assessor never reaches a bid, its files or its scores.
A panel member is conflicted on a bid when their own organisation leads or partners it, when
they declared an interest in an organisation that leads or partners it, or when they declared
a conflict on the bid itself.

The conflict also closes the bid's other doors (council pages, its award, messages about it),
whatever other role the member holds: `ConflictBar` below is what the bidding app asks, through
the `bid_bar_register` registry filled in `ScoringConfig.ready`.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from grants import permissions as gperms
from grants.models import Round, User

from .models import Assignment, Declaration, Interest, Panel, PanelMember


def _bid_org_ids(bid) -> set[int]:
    from applications.models import PartnerStatus

    partners = bid.partners.exclude(status=PartnerStatus.DECLINED).values_list("organisation_id", flat=True)
    return {bid.lead_id, *partners}


def is_conflicted(user: User, bid) -> bool:
    if not user.is_authenticated:
        return True
    orgs = _bid_org_ids(bid)
    if user.organisation_id and user.organisation_id in orgs:
        return True
    return (
        Interest.objects.filter(round_id=bid.round_id, user=user)
        .filter(Q(bid=bid) | Q(organisation_id__in=orgs))
        .exists()
    )


def conflicted_bid_ids(*, user: User, round: Round) -> set[int]:
    """Every bid in the round this user is conflicted on: one query for their interests, two more
    if they have an organisation, whatever the size."""
    from applications.models import Bid, BidPartner, PartnerStatus

    interests = Interest.objects.filter(round=round, user=user).order_by().values_list("organisation_id", "bid_id")
    orgs: set[int] = set()
    ids: set[int] = set()
    for org_id, bid_id in interests:
        if org_id is not None:
            orgs.add(org_id)
        if bid_id is not None:
            ids.add(bid_id)
    if user.organisation_id:
        orgs.add(user.organisation_id)
    if orgs:
        ids |= set(Bid.objects.filter(round=round, lead_id__in=orgs).values_list("pk", flat=True))
        ids |= set(
            BidPartner.objects.filter(bid__round=round, organisation_id__in=orgs)
            .exclude(status=PartnerStatus.DECLINED)
            .values_list("bid_id", flat=True)
        )
    return ids


def _round_panel_user_ids(round_ids: Iterable[int], users: Iterable[User]) -> dict[int, set[int]]:
    """{round id: ids of these users on its panel}, in one query."""
    found: dict[int, set[int]] = {}
    rows = PanelMember.objects.filter(panel__round_id__in=set(round_ids), user__in=[u.pk for u in users])
    for round_id, user_id in rows.values_list("panel__round_id", "user_id"):
        found.setdefault(round_id, set()).add(user_id)
    return found


class ConflictBar:
    """A conflict of interest, as every other app must apply it.

    Who it bars: a member of the bid's round panel who is conflicted on the bid (`is_conflicted`,
    automatic or declared). It bars them from the bid and its award on every route, whatever
    else they are: an officer or signatory of the lead or a partner council, or staff. Someone on
    no panel of that round assesses nothing there, so has no conflict to keep; that makes the
    check free (no query) for anyone on no panel at all, which is nearly every council officer.
    """

    @staticmethod
    def applies_to(user: User) -> bool:
        return gperms.is_panel_member(user)

    @staticmethod
    def bars(user: User, bid) -> bool:
        if not ConflictBar.applies_to(user):
            return False
        on_panel = PanelMember.objects.filter(panel__round_id=bid.round_id, user=user).exists()
        return on_panel and is_conflicted(user, bid)

    @staticmethod
    def barred_pairs(bids: Iterable, users: Iterable[User]) -> set[tuple[int, int]]:
        """(bid id, user id) for each of these people barred from each of these bids: one query
        when none of them sits on those rounds' panels (messages and reminders ask this)."""
        bids, users = list(bids), list(users)
        if not bids or not users:
            return set()
        members = _round_panel_user_ids((b.round_id for b in bids), users)
        by_id = {u.pk: u for u in users}
        return {
            (bid.pk, user_id)
            for bid in bids
            for user_id in members.get(bid.round_id, ())
            if is_conflicted(by_id[user_id], bid)
        }

    @staticmethod
    def barred_bid_ids(user: User) -> set[int]:
        """Every bid this person is barred from, for lists (the council dashboards)."""
        if not ConflictBar.applies_to(user):
            return set()
        rounds = Round.objects.filter(panel__members__user=user)
        return set().union(*(conflicted_bid_ids(user=user, round=r) for r in rounds))


def panel_membership(user: User, round: Round) -> PanelMember | None:
    if not user.is_authenticated:
        return None
    return PanelMember.objects.filter(panel__round=round, user=user).select_related("panel").first()


def membership_by_slug(user: User, slug: str) -> PanelMember | None:
    """The user's place on the panel of the round with this slug, with `m.panel.round` and
    `m.declared` (have they declared their interests), in one query where `round_or_404`,
    `panel_membership` and `has_declared` take three: the queue, a panel member's most visited
    page, asks all three on every view. None for no such round or no place on its panel."""
    if not user.is_authenticated:
        return None
    declared = Declaration.objects.filter(round_id=OuterRef("panel__round_id"), user=user)
    found = (
        PanelMember.objects.filter(panel__round__slug=slug, user=user)
        .select_related("panel__round")
        .annotate(declared=Exists(declared))
    )
    # At most one row (a unique slug, one panel a round, one place a person), so no ORDER BY:
    # `.first()` would add one, and its cost.
    return next(iter(found[:1]), None)


def is_chair(user: User, round: Round) -> bool:
    m = panel_membership(user, round)
    return bool(m and m.is_chair)


def has_declared(user: User, round: Round) -> bool:
    return user.is_authenticated and Declaration.objects.filter(round=round, user=user).exists()


def assessor_can_view_bid(user: User, bid) -> bool:
    """Assigned (active), on the panel, declaration made, and not conflicted."""
    if not user.is_authenticated:
        return False
    if not Assignment.objects.filter(bid=bid, assessor=user, withdrawn_at__isnull=True).exists():
        return False
    if not PanelMember.objects.filter(panel__round_id=bid.round_id, user=user).exists():
        return False
    if not Declaration.objects.filter(round_id=bid.round_id, user=user).exists():
        return False
    return not is_conflicted(user, bid)


def can_manage_round(user: User, round: Round) -> bool:
    """Programme managers of the round's programme (and administrators) configure and decide."""
    return user.is_authenticated and gperms.can_manage_programme(user, round.programme)


def can_view_results(user: User, round: Round) -> bool:
    """Scores of every bid: staff who may view the programme. Panel members see only their own."""
    return user.is_authenticated and gperms.can_view_programme(user, round.programme)


def can_moderate(user: User, round: Round) -> bool:
    return can_manage_round(user, round) or is_chair(user, round)


def can_moderate_bid(user: User, bid) -> bool:
    """The chair moderates only bids they are not conflicted on; managers moderate any, unless
    they sit on the panel and are conflicted on it (`ConflictBar`)."""
    if can_manage_round(user, bid.round):
        return not ConflictBar.bars(user, bid)
    return is_chair(user, bid.round) and not is_conflicted(user, bid)


def can_decide_bid(user: User, bid) -> bool:
    """Propose the outcome of one bid: the round's managers, unless conflicted on it as a panel member."""
    return can_manage_round(user, bid.round) and not ConflictBar.bars(user, bid)


def panel_for(round: Round) -> Panel:
    panel, _ = Panel.objects.get_or_create(round=round, defaults={"name": f"{round.name} panel"})
    return panel
