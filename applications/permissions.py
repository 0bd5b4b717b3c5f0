"""Who may see and change a bid. One place, used by every view, template and test.

A council sees its own bids (as lead: any member; as confirmed partner: read-only). Staff see
the bids of programmes they may view. Assessors are granted by the scoring app, which sits above
this one: it registers its check with `bid_viewer_register` when it starts.
"""

from collections.abc import Callable

from django.http import Http404
from django.shortcuts import get_object_or_404

from grants import permissions as gperms
from grants.models import Round, User

from .models import Bid, BidPartner, PartnerStatus


def _org_id(user: User) -> int | None:
    return getattr(user, "organisation_id", None) if user.is_authenticated else None


def is_lead_member(user: User, bid: Bid) -> bool:
    return _org_id(user) is not None and _org_id(user) == bid.lead_id


def is_confirmed_partner(user: User, bid: Bid) -> bool:
    org = _org_id(user)
    if org is None:
        return False
    return BidPartner.objects.filter(bid=bid, organisation_id=org, status=PartnerStatus.CONFIRMED).exists()


def partner_link(user: User, bid: Bid) -> BidPartner | None:
    """The partner row for the user's council on this bid, whatever its status."""
    org = _org_id(user)
    if org is None:
        return None
    return BidPartner.objects.filter(bid=bid, organisation_id=org).first()


# Other apps' reasons a user may read a bid (the scoring app: an assessor assigned to it and not
# conflicted). Registered at start-up by the app that owns the rule.
BID_VIEWERS: list[Callable[[User, Bid], bool]] = []


def bid_viewer_register(check: Callable[[User, Bid], bool]) -> None:
    if check not in BID_VIEWERS:
        BID_VIEWERS.append(check)


def _assessor_can_view(user: User, bid: Bid) -> bool:
    return any(check(user, bid) for check in BID_VIEWERS)


def is_staff_viewer(user: User, bid: Bid) -> bool:
    return user.is_authenticated and gperms.can_view_programme(user, bid.round.programme)


def staff_round_or_404(user: User, slug, *, manage: bool = False) -> Round:
    """A round whose programme the user works on (manages, with `manage`), or 404 as if it did
    not exist: the staff round pages and the round's bid download both ask here."""
    round = get_object_or_404(Round.objects.select_related("programme"), slug=str(slug or ""))
    check = gperms.can_manage_programme if manage else gperms.can_view_programme
    if not user.is_authenticated or not check(user, round.programme):
        raise Http404
    return round


def can_manage_bid(user: User, bid: Bid) -> bool:
    """Programme managers of the bid's programme (and administrators): return, ineligible, extensions."""
    return user.is_authenticated and gperms.can_manage_programme(user, bid.round.programme)


def can_view_bid(user: User, bid: Bid) -> bool:
    if not user.is_authenticated:
        return False
    return (
        is_lead_member(user, bid)
        or is_staff_viewer(user, bid)
        or is_confirmed_partner(user, bid)
        or _assessor_can_view(user, bid)
    )


def is_bid_editor(user: User, bid: Bid) -> bool:
    """The officer who started it and the colleagues they added as collaborators."""
    if not is_lead_member(user, bid):
        return False
    return bid.created_by_id == user.pk or bid.collaborators.filter(pk=user.pk).exists()


def can_edit_bid(user: User, bid: Bid) -> bool:
    """Editors may change a draft or a bid returned for changes; nobody changes a submitted bid."""
    return bid.is_editable_status and is_bid_editor(user, bid)


def can_withdraw_bid(user: User, bid: Bid) -> bool:
    return is_bid_editor(user, bid) and bid.can_transition("withdrawn")


def can_start_bid(user: User) -> bool:
    return user.is_authenticated and _org_id(user) is not None
