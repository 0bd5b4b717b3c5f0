"""Moderation, the ranking and funding line, decisions and exports."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from applications.permissions import barred_bid_ids
from grants.core.fields import valid_ids
from grants.core.forms import save_with_form
from grants.core.money import pounds
from grants.core.words import counted
from grants.notes import notes_for

from .. import exports, selectors, services
from .. import permissions as perms
from ..forms import DecisionForm
from ..models import Criterion, Decision
from ..permissions import panel_for
from .common import bid_in_round_or_404, downloads_for, managed_round, results_round, round_or_404
from .ranking_page import ranking_page


def _moderation_round(request: HttpRequest, slug: str):
    round = round_or_404(slug)
    if not perms.can_moderate(request.user, round):
        raise Http404
    return round


@login_required
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    round = _moderation_round(request, slug)
    panel = panel_for(round)
    barred = barred_bid_ids(request.user)
    bids = selectors.moderation_for(user=request.user, round=round, barred=set())
    bids, barred_count = selectors.leave_out(bids, barred)
    for b in bids:
        b.final = selectors.as_decimal(b.final_pct)
        b.spread_d = selectors.as_decimal(b.spread)
    return render(
        request,
        "scoring/moderation.html",
        {
            "round": round,
            "panel": panel,
            "bids": bids,
            "barred_count": barred_count,
            "downloads": downloads_for(request, "assessment-moderation", round),
            "can_manage": perms.can_manage_round(request.user, round),
            "assessment_open": services.assessment_open(round),
        },
    )


@login_required
def moderate_bid(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = _moderation_round(request, slug)
    bid = bid_in_round_or_404(round, pk, live_only=True)
    if not perms.can_moderate_bid(request.user, bid):
        raise Http404
    criteria = list(Criterion.objects.filter(round=round))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        posted = {
            c.pk: (request.POST.get(f"score_{c.pk}", ""), request.POST.get(f"reason_{c.pk}", "")) for c in criteria
        }
        try:
            recorded = services.moderated_scores_record(bid=bid, criteria=criteria, posted=posted, actor=request.user)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"moderation-form": exc.messages}
        else:
            n = len(recorded)
            messages.success(request, f"{counted(n, 'moderated score')} recorded for {bid}")
            return redirect("scoring:moderation", slug=round.slug)
    scores = selectors.current_scores_for(bid=bid)
    moderated = selectors.current_moderation(bid=bid)
    table = []
    for c in criteria:
        table.append(
            {
                "criterion": c,
                "scores": [s for s in scores if s.criterion_id == c.pk],
                "moderated": moderated.get(c.pk),
                "posted_score": request.POST.get(f"score_{c.pk}", ""),
                "posted_reason": request.POST.get(f"reason_{c.pk}", ""),
                "score_error": (errors.get(f"score_{c.pk}") or [None])[0],
                "reason_error": (errors.get(f"reason_{c.pk}") or [None])[0],
                "options": [(s, c.label_for(s)) for s in c.score_range],
            }
        )
    row = selectors.scored_bids(round).get(pk=bid.pk)
    return render(
        request,
        "scoring/moderate_bid.html",
        {
            "round": round,
            "bid": bid,
            "table": table,
            "errors": [(field, m) for field, ms in errors.items() for m in ms],
            "final": selectors.as_decimal(row.final_pct),
            "spread": selectors.as_decimal(row.spread),
            # Issue 16, notes: the chair (not conflicted, checked above) reads the panel's notes.
            "notes": notes_for(bid, panel_only=True),
        },
    )


@login_required
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole round's ranking, a page of rows at a time. The selector ranks every bid and walks
    the funding line over all of them, so the totals, the line and the count of decisions to
    confirm are the round's; only the rows shown are paged (rendering 2,000 rows was 60% of the
    page's time at 2,000 bids). The page that holds the funding line is linked from every page."""
    round = results_round(request, slug)
    can_decide = perms.can_manage_round(request.user, round)
    is_open = services.assessment_open(round)
    shown = ranking_page(
        round=round, user=request.user, page=request.GET.get("page"), can_decide=can_decide, assessment_open=is_open
    )
    return render(
        request,
        "scoring/ranking.html",
        {
            "round": round,
            "ranking": shown.ranking,
            "page": shown.page(),
            "shown": shown.count,
            "line_page": shown.line_page,
            "committed": shown.committed,  # the owner's figure, the one decision confirmation checks
            "can_decide": can_decide,
            "proposed": shown.proposed,
            "to_confirm": shown.to_confirm,
            "barred_count": shown.barred_count,
            "uncommitted": round.budget - shown.committed,
            "downloads": downloads_for(request, "assessment-ranking", round),
            "assessment_open": is_open,
        },
    )


@login_required
def decision_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = managed_round(request, slug)
    bid = bid_in_round_or_404(round, pk, live_only=True)
    if not perms.can_decide_bid(request.user, bid):
        raise Http404
    if not services.assessment_open(round):  # the ranking says when decisions can start, and how to allow it
        return redirect("scoring:ranking", slug=round.slug)
    decision = Decision.objects.filter(bid=bid).first()
    initial = (
        {
            "outcome": decision.outcome,
            "amount": decision.amount,
            "feedback": decision.feedback,
            "gateway_override": decision.gateway_override,
            "assessments_override": decision.assessments_override,
        }
        if decision
        else {}
    )
    if request.GET.get("assemble"):
        initial["feedback"] = services.feedback_from_justifications(bid=bid)
    failed = services.decisions.gateway_failed(bid)
    complete, required = services.assessments_complete(bid)
    form = DecisionForm(
        request.POST or None, initial=initial, gateway_failed=failed, short_of_assessments=complete < required
    )

    def propose(data):
        data = {"gateway_override": "", "assessments_override": "", **data}
        services.decision_propose(bid=bid, actor=request.user, **data)
        messages.success(request, f"Proposed decision saved for {bid}")
        return redirect("scoring:ranking", slug=round.slug)

    return save_with_form(request, form, propose) or render(
        request,
        "scoring/decision_edit.html",
        {
            "round": round,
            "bid": bid,
            "form": form,
            "decision": decision,
            "gateway_failed": failed,
            "complete": complete,
            "required": required,
        },
    )


@login_required
@require_POST
def decisions_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    round = managed_round(request, slug)
    try:
        ids = valid_ids(request.POST.getlist("bids"))
        done = services.decisions_confirm(round=round, bid_ids=ids, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        total = sum((d.amount or Decimal(0) for d in done if d.outcome == "funded"), Decimal(0))
        n = len(done)
        told = "the council" if n == 1 else "the councils"
        messages.success(request, f"{counted(n, 'decision')} confirmed ({pounds(total)} funded); {told} will be told")
    return redirect("scoring:ranking", slug=round.slug)


@login_required
def export_scores(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    round = results_round(request, slug)
    if fmt == "csv":
        return exports.scores_csv(round=round, barred=barred_bid_ids(request.user))
    if fmt == "xlsx":
        return exports.scores_xlsx(round=round, barred=barred_bid_ids(request.user))
    raise Http404


@login_required
def panel_pack(request: HttpRequest, slug: str) -> HttpResponse:
    round = results_round(request, slug)
    context = exports.panel_pack_context(round=round, barred=barred_bid_ids(request.user))
    return render(request, "scoring/panel_pack.html", context)
