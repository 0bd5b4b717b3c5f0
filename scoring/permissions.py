"""Who may see and do what in assessment. Plain functions used by views, templates and tests.

The rule that matters most: a conflicted assessor never reaches a bid, its files or its scores.
A panel member is conflicted on a bid when their own organisation leads or partners it, when
they declared an interest in an organisation that leads or partners it, or when they declared
a conflict on the bid itself.
"""

from django.db.models import Q

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
    """Every bid in the round this user is conflicted on: three queries whatever the size."""
    from applications.models import Bid, BidPartner, PartnerStatus

    orgs = set(
        Interest.objects.filter(round=round, user=user, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    if user.organisation_id:
        orgs.add(user.organisation_id)
    ids = set(Interest.objects.filter(round=round, user=user, bid__isnull=False).values_list("bid_id", flat=True))
    if orgs:
        ids |= set(Bid.objects.filter(round=round, lead_id__in=orgs).values_list("pk", flat=True))
        ids |= set(
            BidPartner.objects.filter(bid__round=round, organisation_id__in=orgs)
            .exclude(status=PartnerStatus.DECLINED)
            .values_list("bid_id", flat=True)
        )
    return ids


def panel_membership(user: User, round: Round) -> PanelMember | None:
    if not user.is_authenticated:
        return None
    return PanelMember.objects.filter(panel__round=round, user=user).select_related("panel").first()


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
    """The chair moderates only bids they are not conflicted on; managers moderate any."""
    if can_manage_round(user, bid.round):
        return True
    return is_chair(user, bid.round) and not is_conflicted(user, bid)


def panel_for(round: Round) -> Panel:
    panel, _ = Panel.objects.get_or_create(round=round, defaults={"name": f"{round.name} panel"})
    return panel
