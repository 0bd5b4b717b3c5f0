"""Lookups shared by the assessment views. Anything the user may not see answers 404."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from grants import permissions as gperms
from grants.core.downloads import download_links
from grants.models import Round

from .. import permissions as perms


def round_or_404(slug: str) -> Round:
    return get_object_or_404(Round.objects.select_related("programme", "panel"), slug=slug)


def managed_round(request, slug: str) -> Round:
    round = round_or_404(slug)
    if not perms.can_manage_round(request.user, round):
        raise Http404
    return round


def results_round(request, slug: str) -> Round:
    round = round_or_404(slug)
    if not perms.can_view_results(request.user, round):
        raise Http404
    return round


def two_stage_or_404(round: Round) -> Round:
    """The pages about expressions of interest exist only in a two-stage round."""
    if not round.two_stage:
        raise Http404
    return round


def bid_in_round_or_404(round: Round, pk: int, *, live_only: bool = False):
    """`live_only`: drafts, withdrawn and ineligible bids are not assessed or decided (404)."""
    from applications.models import Bid

    from ..selectors import live_bids

    bids = live_bids(round) if live_only else Bid.objects.filter(round=round)
    return get_object_or_404(bids.select_related("lead", "round", "round__programme"), pk=pk)


def downloads_for(request, table: str, round: Round) -> dict | None:
    """CSV/XLSX links for a table (scoring.exports), carrying the page's filters and the round.
    The reporting app serves staff only, so a panel chair gets none."""
    if not gperms.is_staff_user(request.user):
        return None
    return download_links(request, table, round=round.slug)


def say_outcome(request, act: Callable[[], object], done: str) -> None:
    """A button's action: `done` as a success banner on the next page, or the service's first
    reason for refusing as an error banner instead."""
    try:
        act()
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, done)
