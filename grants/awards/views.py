"""Award pages for councils (and the shared award page). Thin: check, call a service, render.

Every award page first finds the award and checks `permissions.can_view`; a user who may not
see it gets 404. Acting needs the narrower check of the service (which raises AwardError).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from grants.awards.models import Award, AwardStatus, Milestone, MonitoringReturn, ReturnStatus
from grants.core.audit import COUNCIL, actions_for
from grants.models import AuditEvent
from grants.permissions import get_or_404

from . import forms, pdf, selectors, services
from . import permissions as perms
from . import terms as offer_terms

# Statuses in which money may have been paid, so may come back.
HAS_PAYMENTS = (*Award.LIVE, AwardStatus.COMPLETED, AwardStatus.TERMINATED)


def form_error(form, exc: services.AwardError) -> None:
    """Show a service's refusal on the form, against the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def posted(request: HttpRequest):
    """The form data of a POST, even an empty one (which must show its errors), else None."""
    return request.POST if request.method == "POST" else None


def award_or_404(request: HttpRequest, pk: int, *, check=None) -> Award:
    award = get_object_or_404(selectors.award_queryset(), pk=pk)
    get_or_404(perms.can_view(request.user, award))
    if check is not None:
        get_or_404(check(request.user, award))
    return award


def form_page(request, *, award, form, title: str, intro: str = "", template: str = "awards/form_page.html"):
    return render(request, template, {"award": award, "form": form, "title": title, "intro": intro})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    awards = list(selectors.awards_for_council(user=request.user).order_by("-award_date", "reference"))
    return render(
        request,
        "awards/dashboard.html",
        {"awards": awards, "due": selectors.due_next(awards=awards, user=request.user), "today": timezone.localdate()},
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    award_or_404(request, pk)
    award = selectors.award_detail(pk=pk)
    user = request.user
    can_manage = perms.can_manage(user, award)
    can_see_files = perms.can_see_evidence(user, award)
    history = AuditEvent.objects.filter(target_type="awards.award", target_id=str(award.pk)).order_by("-at")
    if not can_see_files:  # a partner council reads the award, not the names of the lead's files
        history = history.filter(action__in=actions_for(audience=COUNCIL))
    return render(
        request,
        "awards/detail.html",
        {
            "award": award,
            "figures": selectors.figures(award),
            "today": timezone.localdate(),
            "is_lead": perms.can_edit(user, award),
            "can_accept": perms.can_accept(user, award) and award.status == AwardStatus.OFFERED,
            "acceptance_overdue": services.acceptance_overdue(award),
            "can_manage": can_manage,
            "can_set_terms": can_manage and award.status == AwardStatus.OFFERED,
            "can_pay": perms.can_pay(user) and award.status in Award.LIVE,
            "can_record_returned": (perms.can_pay(user) or can_manage) and award.status in HAS_PAYMENTS,
            "is_live": award.status in Award.LIVE,
            "can_see_files": can_see_files,
            "history": history[:50],
        },
    )


def _letter_context(award: Award) -> dict:
    """The letter shows the terms as accepted once accepted (stored), else as they stand."""
    award = selectors.award_detail(pk=award.pk)
    live = offer_terms.snapshot(award)
    stored = award.accepted_terms
    return {
        "award": award,
        "funder": award.round.programme.funder,
        "terms": offer_terms.for_display(stored or live),
        "terms_accepted": bool(stored),
        "terms_digest": offer_terms.digest(live),
    }


@login_required
def offer_letter(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk)
    return render(request, "awards/offer_letter.html", _letter_context(award))


@login_required
def offer_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk)
    response = HttpResponse(pdf.offer_letter_pdf(_letter_context(award)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="offer-{award.reference}.pdf"'
    return response


@login_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_accept)
    if award.status != AwardStatus.OFFERED:
        messages.info(request, "This offer has already been answered")
        return redirect(award)
    context = _letter_context(award)
    form = forms.AcceptForm(posted(request), initial={"terms_digest": context["terms_digest"]})
    overdue = services.acceptance_overdue(award)
    if request.method == "POST" and not overdue and form.is_valid():
        try:
            services.award_accept(award=award, actor=request.user, **form.cleaned_data)
        except services.AwardError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"You have accepted the offer for {award.reference}")
            return redirect(award)
    return render(request, "awards/accept.html", {"form": form, "overdue": overdue, **context})


@login_required
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_accept)
    if award.status != AwardStatus.OFFERED:
        messages.info(request, "This offer has already been answered")
        return redirect(award)
    form = forms.DeclineForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.award_decline(award=award, actor=request.user, reason=form.cleaned_data["reason"])
        except services.AwardError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "You have declined the offer")
            return redirect(award)
    return form_page(request, award=award, form=form, title="Decline the offer")


def attach_files(request: HttpRequest, form, **parent) -> bool:
    """Store the files chosen on the form (for a milestone or a return) before anything else, so
    a form sent back with other errors keeps them. A refusal goes on the form, everything typed
    is kept, and nothing else is saved."""
    uploads = request.FILES.getlist("evidence_files")
    if not uploads:
        return True
    try:
        services.evidence_add(actor=request.user, uploads=uploads, **parent)
    except services.AwardError as exc:
        form_error(form, exc)
        return False
    return True


@login_required
def milestone_update(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_edit)
    milestone = get_object_or_404(Milestone, pk=mid, award=award)
    form = forms.MilestoneUpdateForm(
        posted(request), initial={"status": milestone.status, "evidence": milestone.evidence}
    )
    if request.method == "POST" and attach_files(request, form, milestone=milestone) and form.is_valid():
        try:
            services.milestone_update(
                milestone=milestone,
                actor=request.user,
                status=form.cleaned_data["status"],
                evidence=form.cleaned_data["evidence"],
            )
        except services.AwardError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Milestone updated")
            return redirect(award)
    return render(
        request,
        "awards/milestone_update.html",
        {
            "award": award,
            "form": form,
            "title": f"Milestone: {milestone.description}",
            "evidence_files": list(milestone.evidence_files.all()),
        },
    )


@login_required
def return_detail(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    """A return: the council fills it in (when due or sent back); the manager reviews it."""
    award = award_or_404(request, pk)
    mreturn = get_object_or_404(MonitoringReturn.objects.select_related("period", "submitted_by"), pk=rid, award=award)
    outputs = list(award.round.outputs.all())
    can_submit = (
        perms.can_edit(request.user, award) and mreturn.status in MonitoringReturn.OPEN and award.status in Award.LIVE
    )
    can_review = perms.can_manage(request.user, award) and mreturn.status == ReturnStatus.SUBMITTED
    values = selectors.return_values(mreturn=mreturn, outputs=outputs)
    form = review = None
    if can_submit:
        initial = {"rag": mreturn.rag, "commentary": mreturn.commentary, "evidence": mreturn.evidence}
        initial.update({f"output_{o.pk}": v for o, v, _ in values if v is not None})
        form = forms.ReturnForm(posted(request), outputs=outputs, initial=initial)
        if request.method == "POST" and attach_files(request, form, mreturn=mreturn) and form.is_valid():
            try:
                services.return_submit(
                    mreturn=mreturn,
                    actor=request.user,
                    rag=form.cleaned_data["rag"],
                    commentary=form.cleaned_data["commentary"],
                    evidence=form.cleaned_data["evidence"],
                    values=form.output_values(),
                )
            except services.AwardError as exc:
                form_error(form, exc)
            else:
                messages.success(request, f"Return sent: {mreturn.period.title}")
                return redirect(award)
    elif can_review:
        review = forms.ReviewForm(posted(request))
        if request.method == "POST" and review.is_valid():
            try:
                if review.cleaned_data["decision"] == "approve":
                    services.return_approve(mreturn=mreturn, actor=request.user)
                else:
                    services.return_request_changes(
                        mreturn=mreturn, actor=request.user, reason=review.cleaned_data["reason"]
                    )
            except services.AwardError as exc:
                form_error(review, exc)
            else:
                messages.success(request, "Decision saved")
                return redirect(award)
    elif request.method == "POST":
        get_or_404(False)
    can_see_files = perms.can_see_evidence(request.user, award)
    return render(
        request,
        "awards/return.html",
        {
            "award": award,
            "mreturn": mreturn,
            "values": values,
            "form": form,
            "review": review,
            "today": timezone.localdate(),
            "evidence_files": list(mreturn.evidence_files.all()) if can_see_files else [],
            "can_see_files": can_see_files,
        },
    )


@login_required
def variation_new(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_edit)
    form = forms.VariationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.variation_request(award=award, actor=request.user, **form.cleaned_data)
        except services.AwardError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Variation request sent to the programme manager")
            return redirect(award)
    return form_page(request, award=award, form=form, title="Ask for a variation")


@login_required
def closure(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_edit)
    form = forms.ClosureForm(
        posted(request), initial={"closure_report": award.closure_report, "case_study": award.case_study}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_submit(award=award, actor=request.user, **form.cleaned_data)
        except services.AwardError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "End-of-project report sent")
            return redirect(award)
    return form_page(request, award=award, form=form, title="End-of-project report and case study")
