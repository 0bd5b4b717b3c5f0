"""Read before you start, print when done: a round's questions as a public page and a PDF, and a
council's bid as a PDF for its own sign-off."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from grants import permissions as gperms
from grants.models import Round

from .. import permissions as perms
from .. import selectors
from ..pdf import as_pdf, bid_html, questions_html
from .common import bid_for


def _round_for_questions(request, slug) -> Round:
    """A published round's questions are public; an unpublished round's only its programme's staff see."""
    round = get_object_or_404(Round.objects.select_related("programme", "programme__funder"), slug=slug)
    if not round.published and not gperms.can_view_programme(request.user, round.programme):
        raise Http404
    return round


def _questions_context(round: Round) -> dict:
    return {"round": round, "stages": selectors.round_question_stages(round=round)}


def round_questions(request, slug):
    round = _round_for_questions(request, slug)
    return render(request, "applications/round_questions.html", _questions_context(round))


def round_questions_pdf(request, slug):
    round = _round_for_questions(request, slug)
    response = HttpResponse(as_pdf(questions_html(_questions_context(round))), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="questions-{round.slug}.pdf"'
    return response


def bid_pdf_context(bid) -> dict:
    """Everything the council signs off: details, partners, answers in order (through the one
    owner of a bid's answers), the evidence file list (not the files) and the declaration."""
    sections = selectors.task_list(bid=bid)
    return {
        "bid": bid,
        "draft": bid.submitted_at is None,
        "sections": sections,
        "partners": list(bid.partners.select_related("organisation")),
        "other_partners": list(bid.other_partners.all()),
        "files": [f for s in sections for r in s.rows for f in r.files],
        "printed_at": timezone.now(),
    }


@login_required
def bid_pdf(request, pk):
    """The lead council's officers, programme staff, and partners who may read the answers;
    anyone else (another council, a conflicted panel member) gets 404 from can_read_answers."""
    bid = bid_for(request, pk, perms.can_read_answers)
    response = HttpResponse(as_pdf(bid_html(bid_pdf_context(bid))), content_type="application/pdf")
    name = bid.reference or f"draft-{bid.pk}"
    response["Content-Disposition"] = f'attachment; filename="bid-{name}.pdf"'
    return response
