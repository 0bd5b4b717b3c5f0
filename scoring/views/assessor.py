"""The panel member's pages: declare interests, see the queue, score a bid, declare a conflict."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from grants.core import datacache
from grants.notes import notes_for

from .. import permissions as perms
from .. import selectors, services
from ..forms import ConflictForm, InterestForm, criterion_field_names, scores_from_post
from ..models import Assessment, Assignment, Criterion, Declaration, Interest, PanelMember
from . import queue_rows
from .common import round_or_404

QUEUE_PAGE_SIZE = 50  # an assessor may have thousands of bids; a page stays quick to render


def _member_round(request: HttpRequest, slug: str):
    round = round_or_404(slug)
    membership = perms.panel_membership(request.user, round)
    if membership is None:
        raise Http404
    return round, membership


@login_required
def my_rounds(request: HttpRequest) -> HttpResponse:
    memberships = list(
        PanelMember.objects.filter(user=request.user).select_related("panel__round", "panel__round__programme")
    )
    declared = set(Declaration.objects.filter(user=request.user).values_list("round_id", flat=True))
    for m in memberships:
        m.declared = m.panel.round_id in declared
    return render(request, "scoring/my_rounds.html", {"memberships": memberships})


@login_required
def declaration(request: HttpRequest, slug: str) -> HttpResponse:
    """Interests first: the queue stays hidden until the member confirms their declaration."""
    round, membership = _member_round(request, slug)
    form = InterestForm(request.POST or None)
    declared = Declaration.objects.filter(round=round, user=request.user).first()
    if request.method == "POST" and request.POST.get("action") == "confirm":
        services.declaration_confirm(round=round, user=request.user)
        messages.success(request, "Declaration confirmed")
        return redirect("scoring:queue", slug=round.slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_add(round=round, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "Interest added")
            return redirect("scoring:declaration", slug=round.slug)
    interests = Interest.objects.filter(round=round, user=request.user).select_related("organisation", "bid")
    return render(
        request,
        "scoring/declaration.html",
        {"round": round, "form": form, "interests": interests, "declared": declared, "membership": membership},
    )


@login_required
@require_POST
def interest_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round, _ = _member_round(request, slug)
    interest = get_object_or_404(Interest, pk=pk, round=round, user=request.user)
    try:
        services.interest_remove(interest=interest, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("scoring:declaration", slug=round.slug)


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    """The member's bids, fifty a page; never a bid they are conflicted on."""
    membership = perms.membership_by_slug(request.user, slug)
    if membership is None:  # no such round, or not on its panel
        raise Http404
    round = membership.panel.round
    if not membership.declared:
        messages.info(request, "Declare your interests before you see any bid")
        return redirect("scoring:declaration", slug=round.slug)
    conflicted = perms.conflicted_bid_ids(user=request.user, round=round)
    queue = selectors.assessor_queue(user=request.user, round=round, exclude_bid_ids=conflicted)
    # Counting over every assignment is most of what is left of the page's cost (issue 19), and
    # it is the same until the data changes: kept per person and round (their conflicts are data).
    summary = datacache.cached("queue_summary", (request.user.pk, round.pk), lambda: selectors.queue_summary(queue))
    paginator = Paginator(selectors.queue_rows(queue), QUEUE_PAGE_SIZE)
    paginator.count = summary["total"]  # already counted: saves a query
    page = paginator.get_page(request.GET.get("page"))
    is_open = services.assessment_open(round)
    assess_url = queue_rows.assess_url_for(round.slug) if is_open else None
    return render(
        request,
        "scoring/queue.html",
        {
            "round": round,
            "page": page,
            "rows": [queue_rows.row_html(row, assess_url=assess_url) for row in page.object_list],
            "summary": summary,
            "membership": membership,
            "assessment_open": is_open,
        },
    )


def _assignment_or_404(request: HttpRequest, slug: str, pk: int) -> Assignment:
    round = round_or_404(slug)
    row = (
        Assignment.objects.filter(bid_id=pk, bid__round=round, assessor=request.user, withdrawn_at__isnull=True)
        .select_related("bid", "bid__lead", "bid__round", "bid__round__programme")
        .first()
    )
    if row is None or not perms.assessor_can_view_bid(request.user, row.bid):
        raise Http404
    return row


@login_required
def assess_bid(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    row = _assignment_or_404(request, slug, pk)
    bid, round = row.bid, row.bid.round
    if not services.assessment_open(round):  # the queue says when scoring starts
        return redirect("scoring:queue", slug=round.slug)
    criteria = list(Criterion.objects.filter(round=round))
    assessment = Assessment.objects.filter(assignment=row).first()
    errors: dict[str, list[str]] = {}
    values = dict(assessment.draft) if assessment else {}
    if request.method == "POST":
        data = scores_from_post(request.POST, criteria)
        values = {str(k): v for k, v in data.items()}
        try:
            services.assessment_save_draft(assignment=row, user=request.user, data=data)
            if request.POST.get("action") == "submit":
                services.assessment_submit(assignment=row, user=request.user, data=data)
                messages.success(request, f"Assessment of {bid} submitted")
                return redirect("scoring:queue", slug=round.slug)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, "Draft saved")
            return redirect("scoring:assess_bid", slug=round.slug, pk=bid.pk)
        assessment = Assessment.objects.filter(assignment=row).first()
    fields = []
    for c in criteria:
        score_name, text_name = criterion_field_names(c)
        v = values.get(str(c.pk)) or {}
        fields.append(
            {
                "criterion": c,
                "score_name": score_name,
                "text_name": text_name,
                "score": "" if v.get("score") is None else str(v.get("score")),
                "justification": v.get("justification", ""),
                "score_error": (errors.get(score_name) or [None])[0],
                "text_error": (errors.get(text_name) or [None])[0],
                "options": [(s, c.label_for(s), c.descriptor_for(s)) for s in c.score_range],
            }
        )
    from applications.selectors import clarifications_context, task_list

    show_others = assessment is not None and (assessment.is_submitted or not round.panel.hide_scores_until_submitted)
    others = []
    if show_others:
        others = [
            s for s in selectors.current_scores_for(bid=bid) if s.assessment.assignment.assessor_id != request.user.pk
        ]
    return render(
        request,
        "scoring/assess_bid.html",
        {
            "round": round,
            "bid": bid,
            "assignment": row,
            "assessment": assessment,
            "fields": fields,
            "errors": [(k, m) for k, ms in errors.items() for m in ms],
            "sections": task_list(bid=bid),
            # Files that answer a question are shown with it; the list is for the rest.
            "evidence": list(bid.evidence.filter(question__isnull=True)),
            "others": others,
            "show_others": show_others,
            **clarifications_context(request.user, bid),  # Issue 16: questions to the council
            # Issue 16, notes: what programme staff chose to share with the panel (the
            # assignment check above already refused anyone conflicted on the bid).
            "notes": notes_for(bid, panel_only=True),
        },
    )


@login_required
def conflict(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    row = _assignment_or_404(request, slug, pk)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.conflict_declare(bid=row.bid, user=request.user, nature=form.cleaned_data["nature"])
        messages.success(request, f"Conflict declared. {row.bid} has been taken off your list")
        return redirect("scoring:queue", slug=row.bid.round.slug)
    return render(
        request,
        "grants/form_page.html",
        {"form": form, "title": f"Declare a conflict of interest with {row.bid}"},
    )
