"""Pages for benefits after closure (issue 17): the lead council sends each year's benefits
return, the programme manager reviews it and sets the award's projected benefits. Thin: check,
call a service, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from grants.awards.models import AwardStatus, BenefitsProjection, BenefitsReturn, ReturnStatus
from grants.awards.models.benefits import BENEFIT_KINDS
from grants.permissions import get_or_404

from . import benefits_forms, benefits_selectors, forms, services
from . import permissions as perms
from .views import award_or_404, form_page, posted, save_form


@login_required
def benefits_return(request: HttpRequest, pk: int, brid: int) -> HttpResponse:
    """A year's benefits: the lead council sends it (once the year is over, or again when sent
    back); the programme manager approves it or asks for changes. Everyone who may read the award
    reads it."""
    award = award_or_404(request, pk)
    breturn = get_object_or_404(BenefitsReturn.objects.select_related("submitted_by"), pk=brid, award=award)
    data = posted(request)
    can_send = (
        perms.can_edit(request.user, award)
        and breturn.status in BenefitsReturn.OPEN
        and award.status == AwardStatus.COMPLETED
    )
    can_review = perms.can_manage(request.user, award) and breturn.status == ReturnStatus.SUBMITTED
    not_yet = services.benefits_send_refusal(breturn=breturn) if can_send else ""
    form = review = done = None
    if can_send and not not_yet:
        initial = {k: getattr(breturn, k) for k in (*BENEFIT_KINDS, "commentary")}
        form = benefits_forms.BenefitsReturnForm(data, initial=initial)
        done = save_form(
            request,
            form,
            lambda d: services.benefits_return_submit(breturn=breturn, actor=request.user, **d),
            success=f"Return sent: {breturn.title}",
            to=award,
        )
    elif can_review:
        review = forms.ReviewForm(data)

        def decide(d: dict):
            if d["decision"] == "approve":
                return services.benefits_return_approve(breturn=breturn, actor=request.user)
            return services.benefits_return_request_changes(breturn=breturn, actor=request.user, reason=d["reason"])

        done = save_form(request, review, decide, success="Decision saved", to=award)
    elif data is not None:
        get_or_404(False)
    return done or render(
        request,
        "awards/benefits_return.html",
        {
            "award": award,
            "breturn": breturn,
            "form": form,
            "review": review,
            "not_yet": not_yet,
            "today": timezone.localdate(),
            "projection": benefits_selectors.award_benefits(award=award),
        },
    )


@login_required
def benefits_projection(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme manager sets the award's projected benefits (totals over the benefit years)."""
    award = award_or_404(request, pk, check=perms.can_manage)
    current = BenefitsProjection.objects.filter(award=award).first()
    initial = {k: getattr(current, k) for k in BENEFIT_KINDS} if current else None
    form = benefits_forms.BenefitsProjectionForm(posted(request), initial=initial)
    done = save_form(
        request,
        form,
        lambda d: services.benefits_projection_set(award=award, actor=request.user, **d),
        success="Projected benefits saved",
        to=award,
    )
    years = award.round.benefits_years
    intro = (
        f"The round asks for {years} year{'s' if years != 1 else ''} of benefits returns after the project completes."
        if years
        else "This round asks for no benefits returns: set its years of benefits on the round's monitoring page first."
    )
    return done or form_page(request, award=award, form=form, title="Projected benefits", intro=intro)
