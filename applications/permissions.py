"""Who may see and change a bid. One place, used by every view, service, template and test.

Council-side access is for people who act for a council: an officer or signatory
(`grants.people_selectors.is_council_officer`) of the lead council (editors may change a draft)
or of a confirmed partner (read only). Being linked to a council is not enough: someone employed
there without a council role, such as an assessor, acts for the funder, not the council. Staff see
the bids of programmes they may view. Assessors are granted by the scoring app, which sits above
this one: it registers its check with `bid_viewer_register` when it starts.

A conflict of interest closes every door to the bid, whatever other role the person holds:
scoring registers its rule with `bid_bar_register`, and every check here (so every page, file,
history, PDF and download of the bid) and every message about the bid asks `is_barred` first.
"""

from collections.abc import Callable, Iterable
from typing import Protocol

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from grants import permissions as gperms
from grants.models import Round, User
from grants.people_selectors import acting_council_id, is_council_officer

from .models import Bid, BidPartner, PartnerStatus


def is_lead_member(user: User, bid: Bid) -> bool:
    """Acts for the lead council (an officer or signatory there)."""
    return is_council_officer(user=user, organisation_id=bid.lead_id)


def is_confirmed_partner(user: User, bid: Bid) -> bool:
    """Acts for a council that confirmed it is a partner on this bid."""
    org = acting_council_id(user)
    if org is None:
        return False
    return BidPartner.objects.filter(bid=bid, organisation_id=org, status=PartnerStatus.CONFIRMED).exists()


def partner_link(user: User, bid: Bid) -> BidPartner | None:
    """The partner row for the council the user acts for on this bid, whatever its status."""
    org = acting_council_id(user)
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


class BidBar(Protocol):
    """A reason someone must not reach a bid at all, from an app above this one (scoring's
    conflict of interest). `applies_to` is a free first check so most people cost no query."""

    def applies_to(self, user: User) -> bool: ...

    def bars(self, user: User, bid: Bid) -> bool: ...

    def barred_pairs(self, bids: Iterable[Bid], users: Iterable[User]) -> set[tuple[int, int]]: ...

    def barred_bid_ids(self, user: User) -> set[int]: ...


BID_BARS: list[BidBar] = []


def bid_bar_register(bar: BidBar) -> None:
    if bar not in BID_BARS:
        BID_BARS.append(bar)


def may_be_barred(user: User) -> bool:
    """Whether any bar could apply to this person; False costs callers nothing more to load."""
    return user.is_authenticated and any(bar.applies_to(user) for bar in BID_BARS)


def is_barred(user: User, bid: Bid) -> bool:
    return user.is_authenticated and any(bar.bars(user, bid) for bar in BID_BARS)


def barred_bid_ids(user: User) -> set[int]:
    """The bids this person may reach by no route, for lists that must leave them out."""
    if not may_be_barred(user):
        return set()
    return set().union(*(bar.barred_bid_ids(user) for bar in BID_BARS))


def without_barred(bids: QuerySet[Bid], user: User, *, round: Round) -> tuple[QuerySet[Bid], int]:
    """A round-wide staff list less the bids this person is barred from, and how many of the
    round's bids that leaves out, so the page can say the list is incomplete. Costs nothing
    more for anyone on no panel; one query, plus one count, for someone who is barred."""
    barred = barred_bid_ids(user)
    if not barred:
        return bids, 0
    return bids.exclude(pk__in=barred), Bid.objects.filter(round=round, pk__in=barred).count()


def barred_pairs(bids: Iterable[Bid], users: Iterable[User]) -> set[tuple[int, int]]:
    """(bid id, user id) for each person barred from each bid: messages and reminders leave them out."""
    bids, users = list(bids), list(users)
    return set().union(*(bar.barred_pairs(bids, users) for bar in BID_BARS))


def who_may_hear(bid: Bid, users: Iterable[User]) -> list[User]:
    """These people, less anyone barred from the bid: a message about a bid is a route to it."""
    users = list(users)
    barred = {user_id for _, user_id in barred_pairs([bid], users)}
    return [u for u in users if u.pk not in barred]


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
    return user.is_authenticated and gperms.can_manage_programme(user, bid.round.programme) and not is_barred(user, bid)


def can_view_bid(user: User, bid: Bid) -> bool:
    if not user.is_authenticated or is_barred(user, bid):
        return False
    return (
        is_lead_member(user, bid)
        or is_staff_viewer(user, bid)
        or is_confirmed_partner(user, bid)
        or _assessor_can_view(user, bid)
    )


def is_bid_editor(user: User, bid: Bid) -> bool:
    """The officer who started it and the colleagues they added as collaborators, while they act
    for the lead council."""
    if not is_lead_member(user, bid) or is_barred(user, bid):
        return False
    return bid.created_by_id == user.pk or bid.collaborators.filter(pk=user.pk).exists()


def can_edit_bid(user: User, bid: Bid) -> bool:
    """Editors may change a draft or a bid returned for changes; nobody changes a submitted bid."""
    return bid.is_editable_status and is_bid_editor(user, bid)


def can_submit_bid(user: User, bid: Bid) -> bool:
    """Editors submit a draft or a returned bid. A submitted bid may be posted again too, but only
    as a repeat of its submission (a double click, or a retry after a dropped connection), which
    submit_bid answers with the same reference and receipt instead of an error page."""
    return (bid.is_editable_status or bid.status == "submitted") and is_bid_editor(user, bid)


def can_withdraw_bid(user: User, bid: Bid) -> bool:
    return is_bid_editor(user, bid) and bid.can_transition("withdrawn")


def can_answer_as_partner(user: User, bid: Bid) -> bool:
    """An officer of a council asked to partner on the bid (any answer so far), not barred."""
    return partner_link(user, bid) is not None and not is_barred(user, bid)


def can_read_answers(user: User, bid: Bid) -> bool:
    """Who may read the bid's answers and open its files: whoever may see the bid, and a council
    asked to be a partner, which reads the whole bid before it confirms or declines."""
    return can_view_bid(user, bid) or can_answer_as_partner(user, bid)


def can_start_bid(user: User) -> bool:
    """Only someone acting for a council starts a bid in its name."""
    return acting_council_id(user) is not None


# Issue 16, clarifications. Who else may ask the lead council a question about a bid: the scoring
# app registers "an assessor assigned to it and not conflicted" when it starts.
CLARIFICATION_ASKERS: list[Callable[[User, Bid], bool]] = []


def clarification_asker_register(check: Callable[[User, Bid], bool]) -> None:
    if check not in CLARIFICATION_ASKERS:
        CLARIFICATION_ASKERS.append(check)


def can_ask_clarification(user: User, bid: Bid) -> bool:
    """The programme's managers, or a registered asker (an assigned panel member), while the bid
    is submitted and being assessed. Never anyone barred from the bid."""
    if not user.is_authenticated or bid.status != "submitted" or is_barred(user, bid):
        return False
    return gperms.can_manage_programme(user, bid.round.programme) or any(c(user, bid) for c in CLARIFICATION_ASKERS)


def can_see_clarifications(user: User, bid: Bid) -> bool:
    """The lead council, the programme's staff and the bid's assessors; not partners (the
    question is put to the lead), never anyone barred."""
    if not user.is_authenticated or is_barred(user, bid):
        return False
    return is_lead_member(user, bid) or is_staff_viewer(user, bid) or _assessor_can_view(user, bid)


def can_answer_clarification(user: User, bid: Bid) -> bool:
    """The lead council's officers and signatories."""
    return user.is_authenticated and is_lead_member(user, bid) and not is_barred(user, bid)


# Issue 16, notes: internal notes on a bid.
def can_read_bid_notes(user: User, bid: Bid) -> bool:
    """Programme staff who may see the bid (not barred). The panel's notes are scoring's to show."""
    return is_staff_viewer(user, bid) and not is_barred(user, bid)


def can_add_bid_note(user: User, bid: Bid) -> bool:
    """Programme managers of the bid's programme and administrators, not barred."""
    return can_manage_bid(user, bid)
