"""Triage of expressions of interest: the round's list, a proposal per bid, and the batch
confirmation that invites or declines (scoring.services.eoi). Staff only; a conflicted manager
sees nothing of the bid."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from applications.models import BidStage
from applications.permissions import barred_bid_ids
from grants.core.fields import valid_ids
from grants.core.forms import save_with_form
from grants.core.words import counted

from .. import permissions as perms
from .. import selectors
from ..forms import EoiTriageForm, eoi_score_field
from ..models import EoiCriterion, EoiOutcome, EoiTriage
from ..services import eoi as service
from .common import managed_round, results_round, two_stage_or_404


@login_required
def eoi_triage(request: HttpRequest, slug: str) -> HttpResponse:
    round = two_stage_or_404(results_round(request, slug))
    barred = barred_bid_ids(request.user)
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.EOI_SORTS else "score"
    bids = selectors.eoi_triage_rows(round, barred=barred, sort=sort)
    proposals = [b.eoi_triage for b in bids if getattr(b, "eoi_triage", None) and not b.eoi_triage.confirmed_at]
    decided = EoiTriage.objects.filter(bid__round=round, confirmed_at__isnull=False).exclude(bid_id__in=barred)
    return render(
        request,
        "scoring/eoi_triage.html",
        {
            "round": round,
            "bids": bids,
            "barred_count": selectors.submitted_eois(round).filter(pk__in=barred).count(),
            "can_triage": perms.can_manage_round(request.user, round),
            "triage_open": selectors.triage_open(round),
            "invites": sum(1 for p in proposals if p.outcome == EoiOutcome.INVITE),
            "declines": sum(1 for p in proposals if p.outcome == EoiOutcome.DECLINE),
            "proposals": proposals,
            "decided_count": decided.count(),
            "scale": selectors.eoi_scale(round),
            "sort": sort,
        },
    )


@login_required
def eoi_propose(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = two_stage_or_404(managed_round(request, slug))
    if pk in barred_bid_ids(request.user):
        raise Http404
    bid = get_object_or_404(selectors.submitted_eois(round).select_related("lead"), pk=pk)
    if not selectors.triage_open(round):
        return redirect("scoring:eoi_triage", slug=round.slug)  # the list says when triage starts
    current = EoiTriage.objects.filter(bid=bid).first()
    criteria = list(EoiCriterion.objects.filter(round=round))
    initial = {"outcome": current.outcome, "note": current.note} if current else {}
    scored = {s.criterion_id: s.score for s in current.scores.all()} if current and criteria else {}
    initial |= {eoi_score_field(c): str(scored.get(c.pk, "")) for c in criteria}
    form = EoiTriageForm(request.POST or None, initial=initial, criteria=criteria)

    def propose(data):
        service.eoi_propose(
            bid=bid, actor=request.user, outcome=data["outcome"], note=data["note"], scores=form.scores()
        )
        messages.success(request, f"Proposed outcome saved for {bid}")
        return redirect("scoring:eoi_triage", slug=round.slug)

    answers = (
        bid.answers.filter(question__section__stage=BidStage.EOI)
        .select_related("question")
        .order_by("question__section__order", "question__order", "pk")
    )
    return save_with_form(request, form, propose) or render(
        request,
        "scoring/eoi_propose.html",
        {"round": round, "bid": bid, "form": form, "answers": answers, "criteria": criteria},
    )


@login_required
@require_POST
def eoi_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    round = two_stage_or_404(managed_round(request, slug))
    ids = valid_ids(request.POST.getlist("bids"))
    try:
        done, skipped = service.eoi_confirm_batch(round=round, actor=request.user, bid_ids=ids)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        invited = sum(1 for t in done if t.outcome == EoiOutcome.INVITE)
        messages.success(
            request,
            f"{counted(invited, 'invitation')} and {counted(len(done) - invited, 'decline')} confirmed; "
            f"{'the council' if len(done) == 1 else 'the councils'} will be told",
        )
        for reason in skipped:
            messages.error(request, reason)
    return redirect("scoring:eoi_triage", slug=round.slug)
