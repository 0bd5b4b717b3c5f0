"""Helpers the bidding views share: loading a bid the user may see, and turning errors into pages.
A service's refusal goes onto a form through `grants.core.forms.errors_onto_form`."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from .. import permissions as perms
from ..models import Bid


def bid_for(request, pk: int, check=perms.can_view_bid) -> Bid:
    """The bid, or 404 for anyone who may not see it, so guessing ids discloses nothing."""
    bid = get_object_or_404(Bid.objects.select_related("round", "round__programme", "lead", "created_by"), pk=pk)
    if not check(request.user, bid):
        raise Http404
    return bid


def error_list(exc: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    """(anchor id, message) pairs for templates/applications/_errors.html."""
    if hasattr(exc, "error_dict"):
        return [(f"{prefix}{field}", msg) for field, msgs in exc.message_dict.items() for msg in msgs]
    return [("main-content", msg) for msg in exc.messages]


def returning_to_check(request) -> bool:
    """Reached from a change link on check your answers (?return=check): go back there after saving."""
    return request.GET.get("return") == "check"


def after_save(request, bid: Bid, default=None):
    """Where "Save and continue" goes: back to check your answers when the council came from
    there, otherwise to `default` (the task list)."""
    if returning_to_check(request):
        return redirect("applications:bid_check", pk=bid.pk)
    return redirect(default or bid)


def keep_return(request, url: str) -> str:
    """`url` carrying ?return=check on, so a page that reloads itself still returns to check."""
    return f"{url}?return=check" if returning_to_check(request) else url
