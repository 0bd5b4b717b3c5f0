"""A two-stage round's EOI criteria: the programme's managers add, change, order and remove them
until the first expression of interest is scored (scoring.services.eoi_criteria)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from grants.core.forms import save_with_form

from .. import services
from ..forms import EoiCriterionForm
from ..models import EoiCriterion
from ..services.eoi_criteria import EOI_CRITERIA_LOCKED
from .common import managed_round, say_outcome, two_stage_or_404


@login_required
def eoi_criteria(request: HttpRequest, slug: str) -> HttpResponse:
    round = two_stage_or_404(managed_round(request, slug))
    return render(
        request,
        "scoring/eoi_criteria.html",
        {
            "round": round,
            "criteria": list(EoiCriterion.objects.filter(round=round)),
            "locked": services.eoi_criteria_locked(round),
            "locked_message": EOI_CRITERIA_LOCKED,
        },
    )


@login_required
def eoi_criterion_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    round = two_stage_or_404(managed_round(request, slug))
    criterion = get_object_or_404(EoiCriterion, pk=pk, round=round) if pk else None
    initial = {} if criterion else {"order": EoiCriterion.objects.filter(round=round).count() + 1}
    form = EoiCriterionForm(request.POST or None, instance=criterion, initial=initial)
    if services.eoi_criteria_locked(round):
        form.full_clean()  # add_error needs cleaned_data, which an unbound (GET) form never gets
        form.cleaned_data = getattr(form, "cleaned_data", {})
        form.add_error(None, EOI_CRITERIA_LOCKED)

    def save(data):
        services.eoi_criterion_save(round=round, actor=request.user, criterion=criterion, **data)
        messages.success(request, "EOI criterion saved")
        return redirect("scoring:eoi_criteria", slug=round.slug)

    title = f"Change {criterion.name}" if criterion else "Add an EOI criterion"
    return save_with_form(request, form, save) or render(
        request, "grants/form_page.html", {"round": round, "form": form, "title": title}
    )


@login_required
@require_POST
def eoi_criterion_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = two_stage_or_404(managed_round(request, slug))
    criterion = get_object_or_404(EoiCriterion, pk=pk, round=round)
    say_outcome(
        request,
        lambda: services.eoi_criterion_delete(criterion=criterion, actor=request.user),
        f"{criterion.name} removed",
    )
    return redirect("scoring:eoi_criteria", slug=round.slug)
