"""Award pages for funder staff: plan and pay tranches, milestones, variations, returned funds,
ending and closing awards, and the programme portfolio."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from grants.models import Milestone, PaymentTranche, Rag, Round, Variation
from grants.models.organisations import REGIONS
from grants.permissions import (
    can_manage_programme,
    can_view_programme,
    get_or_404,
    has_global_staff_view,
    managed_programme_ids,
)

from . import forms, monitoring, payments, schedule, selectors, services
from . import permissions as perms
from .views import award_or_404, form_error, form_page


def _can_pay(user, award) -> bool:
    return perms.can_pay(user)


def _can_pay_or_manage(user, award) -> bool:
    return perms.can_pay(user) or perms.can_manage(user, award)


@login_required
def payment(request: HttpRequest, pk: int, tid: int) -> HttpResponse:
    award = award_or_404(request, pk, check=_can_pay)
    tranche = get_object_or_404(PaymentTranche, pk=tid, award=award)
    form = forms.PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payments.payment_record(tranche=tranche, actor=request.user, **form.cleaned_data)
        except services.AwardError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Payment of £{tranche.amount:,.2f} recorded")
            return redirect(award)
    intro = f"Tranche {tranche.number}: £{tranche.amount:,.2f}" + (
        f", due {tranche.due_on:%-d %B %Y}" if tranche.due_on else ""
    )
    return form_page(request, award=award, form=form, title="Approve and record a payment", intro=intro)


@login_required
def tranches_plan(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    milestones = Milestone.objects.filter(award=award)
    unpaid = award.tranches.exclude(status="paid")
    initial = [{"amount": t.amount, "due_on": t.due_on, "milestone": t.milestone_id} for t in unpaid]
    formset = forms.TrancheFormSet(
        request.POST or None, initial=initial, form_kwargs={"milestones": milestones}, prefix="t"
    )
    error = ""
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and f.cleaned_data.get("amount")]
        try:
            payments.tranches_set(award=award, actor=request.user, tranches=rows)
        except services.AwardError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Payment schedule saved")
            return redirect(award)
    return render(
        request,
        "awards/tranches.html",
        {"award": award, "formset": formset, "error": error, "paid": award.tranches.filter(status="paid")},
    )


@login_required
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    form = forms.MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            monitoring.milestone_add(award=award, actor=request.user, **form.cleaned_data)
        except services.AwardError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Milestone added")
            return redirect(award)
    return form_page(request, award=award, form=form, title="Add a milestone")


@require_POST
@login_required
def milestone_confirm(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    milestone = get_object_or_404(Milestone, pk=mid, award=award)
    try:
        monitoring.milestone_confirm(milestone=milestone, actor=request.user)
    except services.AwardError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Milestone confirmed: {milestone.description}")
    return redirect(award)


@login_required
def variation_decide(request: HttpRequest, pk: int, vid: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    variation = get_object_or_404(Variation, pk=vid, award=award)
    form = forms.VariationDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            monitoring.variation_decide(
                variation=variation,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["decision_reason"],
            )
        except services.AwardError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Decision saved")
            return redirect(award)
    return render(request, "awards/variation.html", {"award": award, "variation": variation, "form": form})


@login_required
def fund_return_new(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=_can_pay_or_manage)
    form = forms.FundReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payments.fund_return_record(award=award, actor=request.user, **form.cleaned_data)
        except services.AwardError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Returned funds recorded")
            return redirect(award)
    return form_page(request, award=award, form=form, title="Record returned funds or clawback")


@login_required
def end(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    form = forms.EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_end(award=award, actor=request.user, **form.cleaned_data)
        except services.AwardError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Award updated")
            return redirect(award)
    return form_page(request, award=award, form=form, title="Withdraw or terminate the award")


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    try:
        services.award_close(award=award, actor=request.user)
    except services.AwardError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Award closed")
    return redirect(award)


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """Every award the manager may see, with latest RAG, overdue items, paid and outstanding."""
    user = request.user
    get_or_404(perms.can_view_portfolio(user))
    round_slug = request.GET.get("round", "")
    region = request.GET.get("region", "")
    rag = request.GET.get("rag", "")
    awards = list(selectors.portfolio(user=user, round_slug=round_slug, region=region, rag=rag)[:500])
    rounds = Round.objects.select_related("programme").order_by("programme__name", "-opens_at")
    if not has_global_staff_view(user):
        rounds = rounds.filter(programme_id__in=managed_programme_ids(user))
    rows = [(a, selectors.figures(a)) for a in awards]
    return render(
        request,
        "awards/portfolio.html",
        {
            "rows": rows,
            "rounds": rounds,
            "regions": REGIONS,
            "rags": Rag.choices,
            "selected": {"round": round_slug, "region": region, "rag": rag},
            "truncated": len(awards) == 500,
        },
    )


@login_required
def round_monitoring(request: HttpRequest, slug: str) -> HttpResponse:
    """A round's schedule of returns and its outputs; the manager adds to both."""
    rnd = get_object_or_404(Round.objects.select_related("programme"), slug=slug)
    get_or_404(can_view_programme(request.user, rnd.programme))
    can_edit = can_manage_programme(request.user, rnd.programme)
    period_form = forms.ReturnPeriodForm(request.POST if "add_period" in request.POST else None, prefix="p")
    output_form = forms.RoundOutputForm(request.POST if "add_output" in request.POST else None, prefix="o")
    period_form.helper.form_tag = output_form.helper.form_tag = False  # the page wraps each in its own form
    if request.method == "POST":
        get_or_404(can_edit)
        form, action = (
            (period_form, schedule.return_period_add)
            if "add_period" in request.POST
            else (output_form, schedule.round_output_add)
        )
        if form.is_valid():
            try:
                action(round=rnd, actor=request.user, **form.cleaned_data)
            except services.AwardError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "Saved")
                return redirect("awards:round_monitoring", slug=rnd.slug)
    return render(
        request,
        "awards/round_monitoring.html",
        {
            "round": rnd,
            "periods": rnd.return_periods.all(),
            "outputs": rnd.outputs.all(),
            "period_form": period_form,
            "output_form": output_form,
            "can_edit": can_edit,
        },
    )


@login_required
def targets(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    outputs = list(award.round.outputs.all())
    current = {f"output_{t.output_id}": t.target for t in award.output_targets.all()}
    form = forms.TargetsForm(request.POST or None, outputs=outputs, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            schedule.output_targets_set(award=award, actor=request.user, targets=form.targets())
        except services.AwardError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Targets saved")
            return redirect(award)
    intro = "" if outputs else "This round reports no outputs yet: choose them on the round's monitoring page first."
    return form_page(request, award=award, form=form, title="Output targets", intro=intro)
