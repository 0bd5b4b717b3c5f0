"""Award pages for funder staff: plan and pay tranches, milestones, variations, returned funds,
ending and closing awards, and the programme portfolio."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from applications.permissions import barred_bid_ids
from grants.awards.models import (
    Award,
    AwardStatus,
    Milestone,
    OutputTarget,
    PaymentTranche,
    Rag,
    ReturnPeriod,
    Variation,
)
from grants.core.downloads import download_links, query_with
from grants.core.forms import save_with_form
from grants.core.money import pounds
from grants.models import Partnership, Round
from grants.models.organisations import REGIONS
from grants.permissions import (
    can_manage_programme,
    can_view_programme,
    get_or_404,
    has_global_staff_view,
    is_administrator,
    managed_programme_ids,
)

from . import benefits_forms, benefits_selectors, forms, historic_forms, schedule_forms, selectors, services
from . import outputs as output_rules
from . import permissions as perms
from .portfolio_page import portfolio_page
from .selectors import STANDING
from .spend_selectors import beyond_tolerance
from .views import act, award_or_404, form_page, posted, save_form, service_form_view


def _can_pay(user, award) -> bool:
    return perms.can_pay(user)


def _can_pay_or_manage(user, award) -> bool:
    return perms.can_pay(user) or perms.can_manage(user, award)


@login_required
def payment(request: HttpRequest, pk: int, tid: int) -> HttpResponse:
    award = award_or_404(request, pk, check=_can_pay)
    tranche = get_object_or_404(PaymentTranche, pk=tid, award=award)
    form = forms.PaymentForm(posted(request))
    done = save_form(
        request,
        form,
        lambda data: services.payment_record(tranche=tranche, actor=request.user, request=request, **data),
        success=f"Payment of {pounds(tranche.amount)} recorded",
        to=award,
    )
    intro = f"Tranche {tranche.number}: {pounds(tranche.amount)}" + (
        f", due {tranche.due_on:%-d %B %Y}" if tranche.due_on else ""
    )
    return done or form_page(request, award=award, form=form, title="Approve and record a payment", intro=intro)


def _tranche_formset(request: HttpRequest, milestones, initial: list[dict]):
    """The plan's formset, and whether the user asked for another row. "Add another tranche"
    posts the rows typed so far back with one more blank row (nothing saved, no errors shown)."""
    kwargs = {"form_kwargs": {"milestones": milestones}, "prefix": "t"}
    if request.method != "POST":
        formset, adding = forms.TrancheFormSet(initial=initial, **kwargs), False
    elif "add_row" not in request.POST:
        formset, adding = forms.TrancheFormSet(request.POST, **kwargs), False
    else:
        typed = forms.TrancheFormSet(request.POST, **kwargs)
        count = len(typed.forms) if typed.management_form.is_valid() else 0
        names = ("amount", "due_on", "milestone")
        rows = [{n: request.POST.get(f"t-{i}-{n}", "") for n in names} for i in range(count)] or initial
        formset, adding = forms.TrancheFormSet(initial=rows[: forms.TrancheFormSet.max_num - 1], **kwargs), True
    for f in formset.forms:  # the page's date box is one ISO input, whatever the form holds
        raw = f.data.get(f.add_prefix("due_on")) if f.is_bound else f.initial.get("due_on")
        f.due_text = raw.isoformat() if hasattr(raw, "isoformat") else (raw or "")
    return formset, adding


@login_required
def tranches_plan(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    milestones = Milestone.objects.filter(award=award)
    paid = list(award.tranches.filter(status="paid"))
    initial = [
        {"amount": t.amount, "due_on": t.due_on, "milestone": t.milestone_id}
        for t in award.tranches.exclude(status="paid")
    ]
    formset, adding = _tranche_formset(request, milestones, initial)
    plan_error: list[str] = []
    if request.method == "POST" and not adding and formset.is_valid():
        used = [(i, f.cleaned_data) for i, f in enumerate(formset.forms) if f.cleaned_data.get("amount") is not None]
        try:
            services.tranches_set(award=award, actor=request.user, tranches=[row for _, row in used])
        except services.AwardError as exc:
            row = (getattr(exc, "params", None) or {}).get("row")
            if row is None:
                plan_error = exc.messages
            else:  # a refusal about one tranche goes against its row
                formset.forms[used[row][0]].add_error(None, exc.messages)
        else:
            messages.success(request, "Payment schedule saved")
            return redirect(award)
    return render(
        request,
        "awards/tranches.html",
        {
            "award": award,
            "formset": formset,
            "paid": paid,
            "adding": adding,
            "plan_error": plan_error,
            "first_number": len(paid) + 1,
        },
    )


@login_required
def offer_terms(request: HttpRequest, pk: int) -> HttpResponse:
    """Conditions and the reply-by date, while the award is offered (payments and milestones
    have their own pages, linked from here)."""
    award = award_or_404(request, pk, check=perms.can_manage)
    if award.status != AwardStatus.OFFERED:
        messages.info(request, "The terms can only be changed while the award is offered")
        return redirect(award)
    form = forms.OfferTermsForm(
        posted(request),
        initial={"conditions": award.conditions, "respond_by": award.respond_by, "match_funding": award.match_funding},
    )
    done = save_form(
        request,
        form,
        lambda data: services.offer_terms_set(award=award, actor=request.user, **data),
        success="Offer terms saved",
        to=award,
    )
    return done or render(
        request, "awards/offer_terms.html", {"award": award, "form": form, "today": timezone.localdate()}
    )


@login_required
def historic_new(request: HttpRequest) -> HttpResponse:
    """Enter an award made before the service existed: managers for their programmes'
    rounds, administrators for any."""
    user = request.user
    get_or_404(perms.can_enter_historic(user))
    rounds = Round.objects.select_related("programme").order_by("programme__name", "-opens_at")
    if not is_administrator(user):
        rounds = rounds.filter(programme_id__in=managed_programme_ids(user))
    partnerships = Partnership.objects.filter(programme__in=rounds.values("programme")).order_by("name")
    form = historic_forms.HistoricAwardForm(posted(request), rounds=rounds, partnerships=partnerships)

    def save(data: dict) -> HttpResponse:
        award = services.award_create_historic(actor=user, **data)
        messages.success(request, f"Award {award.reference} entered")
        return redirect(award)

    return save_with_form(request, form, save) or render(request, "awards/historic_new.html", {"form": form})


milestone_add = service_form_view(
    forms.MilestoneForm,
    services.milestone_add,
    check=perms.can_manage,
    success="Milestone added",
    title="Add a milestone",
)


@require_POST
@login_required
def milestone_confirm(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    milestone = get_object_or_404(Milestone, pk=mid, award=award)
    act(
        request,
        lambda: services.milestone_confirm(milestone=milestone, actor=request.user),
        success=f"Milestone confirmed: {milestone.description}",
    )
    return redirect(award)


@login_required
def variation_decide(request: HttpRequest, pk: int, vid: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    variation = get_object_or_404(Variation, pk=vid, award=award)
    form = forms.VariationDecisionForm(posted(request))
    done = save_form(
        request,
        form,
        lambda data: services.variation_decide(
            variation=variation,
            actor=request.user,
            approve=data["decision"] == "approve",
            reason=data["decision_reason"],
        ),
        success="Decision saved",
        to=award,
    )
    return done or render(request, "awards/variation.html", {"award": award, "variation": variation, "form": form})


fund_return_new = service_form_view(
    forms.FundReturnForm,
    services.fund_return_record,
    check=_can_pay_or_manage,
    success="Returned funds recorded",
    title="Record returned funds or clawback",
)
end = service_form_view(
    forms.EndForm,
    services.award_end,
    check=perms.can_manage,
    success="Award updated",
    title="Withdraw or terminate the award",
)


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    act(request, lambda: services.award_close(award=award, actor=request.user), success="Award closed")
    return redirect(award)


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """Every award the manager may see, a page at a time, with latest RAG, overdue items, paid
    and outstanding, and totals over every award the filters match."""
    user = request.user
    get_or_404(perms.can_view_portfolio(user))
    selected = selectors.portfolio_filters(request.GET)
    shown = portfolio_page(user=user, selected=selected, page=request.GET.get("page"))
    rounds = Round.objects.only("slug", "name").order_by("programme__name", "-opens_at")  # the filter's choices
    if not has_global_staff_view(user):
        rounds = rounds.filter(programme_id__in=managed_programme_ids(user))
    return render(
        request,
        "awards/portfolio.html",
        {
            "page": shown.page(),
            "rows": shown.rows,
            "rows_html": shown.rows_html,
            "totals": shown.totals,
            "benefits": shown.benefits,
            "rounds": rounds,
            "regions": REGIONS,
            "rags": Rag.choices,
            "selected": selected,
            "query": query_with(request),
            "downloads": download_links(request, "award-portfolio"),
            "can_enter_historic": perms.can_enter_historic(user),
        },
    )


SPEND_SETTINGS = ("returns_ask_spend", "spend_tolerance_percent", "returns_need_certifying")


def _round_for_monitoring(request: HttpRequest, slug: str) -> Round:
    rnd = get_object_or_404(Round.objects.select_related("programme"), slug=slug)
    get_or_404(can_view_programme(request.user, rnd.programme))
    return rnd


@login_required
def round_monitoring(request: HttpRequest, slug: str) -> HttpResponse:
    """A round's schedule of returns and its outputs, in plain view; the manager adds to both,
    changes or removes a return, and gives a round that opened without a schedule the default."""
    rnd = _round_for_monitoring(request, slug)
    can_edit = can_manage_programme(request.user, rnd.programme)
    here = reverse("awards:round_monitoring", kwargs={"slug": rnd.slug})
    period_form = schedule_forms.ReturnPeriodForm(request.POST if "add_period" in request.POST else None, prefix="p")
    output_form = schedule_forms.RoundOutputForm(request.POST if "add_output" in request.POST else None, prefix="o")
    # Issue 17: how many years of benefits returns the round asks for after each award completes.
    benefits_form = benefits_forms.BenefitsYearsForm(
        request.POST if "set_benefits" in request.POST else None, initial={"benefits_years": rnd.benefits_years}
    )
    period_form.helper.form_tag = output_form.helper.form_tag = False  # the page wraps each in its own form
    benefits_form.helper.form_tag = False
    spend_form = schedule_forms.RoundSpendForm(
        request.POST if "set_spend" in request.POST else None,
        prefix="s",
        initial={f: getattr(rnd, f) for f in SPEND_SETTINGS},
    )
    spend_form.helper.form_tag = False
    done = None
    if request.method == "POST":
        get_or_404(can_edit)
        if "set_benefits" in request.POST:
            done = save_form(
                request,
                benefits_form,
                lambda data: services.benefits_years_set(round=rnd, actor=request.user, years=data["benefits_years"]),
                success="Benefits returns saved",
                to=here,
            )
            return done or _round_monitoring_page(
                request, rnd, can_edit, period_form, output_form, benefits_form, spend_form
            )
        if "set_default" in request.POST:
            act(
                request,
                lambda: services.return_schedule_default(round=rnd, actor=request.user),
                success="Default schedule of returns set: change any return below",
            )
            return redirect(here)
        form, action = (
            (period_form, services.return_period_add)
            if "add_period" in request.POST
            else (spend_form, services.round_spend_settings_set)
            if "set_spend" in request.POST
            else (output_form, services.round_output_add)
        )
        done = save_form(
            request, form, lambda data: action(round=rnd, actor=request.user, **data), success="Saved", to=here
        )
    return done or _round_monitoring_page(request, rnd, can_edit, period_form, output_form, benefits_form, spend_form)


def _round_monitoring_page(request, rnd, can_edit, period_form, output_form, benefits_form, spend_form) -> HttpResponse:
    periods = list(rnd.return_periods.all())
    return render(
        request,
        "awards/round_monitoring.html",
        {
            "round": rnd,
            "periods": periods,
            "default_periods": [] if periods else services.default_schedule(rnd),
            "outputs": rnd.outputs.all(),
            "standings": _round_standings(request.user, rnd),
            "period_form": period_form,
            "output_form": output_form,
            "benefits_form": benefits_form,
            "benefits": benefits_selectors.benefits_over(Award.objects.filter(round=rnd)),
            "benefit_returns": benefits_selectors.round_benefit_returns(round=rnd),
            "today": timezone.localdate(),
            "spend_form": spend_form,
            "beyond_tolerance": beyond_tolerance(rnd.awards.filter(status__in=STANDING)),
            "can_edit": can_edit,
        },
    )


def _round_standings(user, rnd: Round) -> list:
    """Issue 17, outputs: every standing award's outputs in the round, less bids the user is barred from."""
    targets = OutputTarget.objects.filter(award__round=rnd, award__status__in=selectors.STANDING)
    if barred := barred_bid_ids(user):
        targets = targets.exclude(award__bid_id__in=barred)
    return output_rules.standings(targets)


@login_required
def return_period_edit(request: HttpRequest, slug: str, period_pk: int) -> HttpResponse:
    """Change one return in the round's schedule, or take it out."""
    rnd = _round_for_monitoring(request, slug)
    get_or_404(can_manage_programme(request.user, rnd.programme))
    period = get_object_or_404(ReturnPeriod, pk=period_pk, round=rnd)
    back = reverse("awards:round_monitoring", kwargs={"slug": rnd.slug})
    if request.method == "POST" and "remove" in request.POST:
        removed = act(
            request,
            lambda: services.return_period_remove(period=period, actor=request.user),
            success=f"{period.title} taken out of the schedule",
        )
        return redirect(back if removed else request.path)
    fields = ("title", "period_start", "period_end", "due_on")
    form = schedule_forms.ReturnPeriodForm(
        posted(request), initial={f: getattr(period, f) for f in fields}, submit="Save"
    )
    done = save_form(
        request,
        form,
        lambda data: services.return_period_change(period=period, actor=request.user, **data),
        success="Return changed",
        to=back,
    )
    return done or render(
        request, "awards/return_period_edit.html", {"round": rnd, "period": period, "form": form, "back": back}
    )


@login_required
def targets(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_manage)
    outputs = list(award.round.outputs.all())
    existing = list(award.output_targets.all())
    current = {f"output_{t.output_id}": t.target for t in existing}
    current |= {f"tolerance_{t.output_id}": t.tolerance for t in existing}
    form = schedule_forms.TargetsForm(
        posted(request), outputs=outputs, initial=current, fixed_baselines={t.output_id for t in existing}
    )
    done = save_form(
        request,
        form,
        lambda data: services.output_targets_set(
            award=award,
            actor=request.user,
            targets=form.targets(),
            baselines=form.baselines(),
            tolerances=form.tolerances(),
        ),
        success="Targets saved",
        to=award,
    )
    intro = "" if outputs else "This round reports no outputs yet: choose them on the round's monitoring page first."
    return done or form_page(request, award=award, form=form, title="Output targets", intro=intro)
