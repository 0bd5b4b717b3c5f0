"""Internal notes on the staff's bid page: the list for programme staff and the form for managers.
Councils never reach this: the bid page asks `notes_context` only for staff who may read notes."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from grants.notes import NoteForm, note_add_posted, notes_for
from grants.permissions import get_or_404

from .. import permissions as perms
from ..models import Bid
from .common import bid_for


def notes_context(user, bid: Bid, form: NoteForm | None = None) -> dict:
    """What templates/includes/notes.html reads, for staff who may read the bid's notes; nothing
    for anyone else (councils, assessors), so their page has no notes at all."""
    if not perms.can_read_bid_notes(user, bid):
        return {}
    if form is None and perms.can_add_bid_note(user, bid):
        form = NoteForm(action=reverse("applications:bid_note_add", args=[bid.pk]), allow_panel=True)
    return {"show_notes": True, "notes": notes_for(bid), "note_form": form}


@login_required
@require_POST
def bid_note_add(request, pk):
    """Add a note; bad input shows the bid page again with the error and the text kept."""
    bid = bid_for(request, pk)
    get_or_404(perms.can_add_bid_note(request.user, bid))
    done = reverse("applications:bid_detail", args=[bid.pk])
    result = note_add_posted(request, target=bid, done=done, allow_panel=True)
    if isinstance(result, HttpResponse):
        return result
    from .council import bid_detail

    return bid_detail(request, pk, note_form=result)
