"""Award pages for councils (and the shared award page). Thin: check, call a service, render.

Every award page first finds the award and checks `permissions.can_view`; a user who may not
see it gets 404. Acting needs the narrower check of the service (which raises AwardError).
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from grants.awards.models import Award, AwardStatus, Milestone, MonitoringReturn, ReturnStatus
from grants.awards.models.monitoring import SPEND_FIELDS
from grants.awards.spend_selectors import award_position, spend_to_date
from grants.core.audit import COUNCIL, actions_for
from grants.core.forms import errors_onto_form, save_with_form
from grants.models import AuditEvent
from grants.people_selectors import council_signatories
from grants.permissions import get_or_404

from . import benefits_selectors, forms, notes_views, pdf, selectors, services
from . import outputs as output_rules
from . import permissions as perms
from . import terms as offer_terms
from .spend_fields import spend_data

# Statuses in which money may have been paid, so may come back.
HAS_PAYMENTS = (*Award.LIVE, AwardStatus.COMPLETED, AwardStatus.TERMINATED)


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


def save_form(request: HttpRequest, form, action: Callable[[dict], object], *, success: str, to) -> HttpResponse | None:
    """`save_with_form` as nearly every award page uses it: a valid POST runs the service with the
    form's data, then says so and goes back to `to` (the award, or the page a change came from).
    None means show the page again, with any refusal on the form."""

    def save(data: dict) -> HttpResponse:
        action(data)
        messages.success(request, success)
        return redirect(to)

    return save_with_form(request, form, save)


def service_form_view(form_class, service, *, check, success: str, title: str, initial=None):
    """The plainest award page, declared rather than written out again: whoever passes `check`
    fills in the form, whose data go as they are to `service` for the award, then back to the
    award. `initial` gives the form's first values from the award."""

    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        award = award_or_404(request, pk, check=check)
        form = form_class(posted(request), initial=initial(award) if initial else None)
        done = save_form(
            request, form, lambda data: service(award=award, actor=request.user, **data), success=success, to=award
        )
        return done or form_page(request, award=award, form=form, title=title)

    return view


def act(request: HttpRequest, action: Callable[[], object], *, success: str) -> bool:
    """A button with no form (confirm, close, remove): the outcome, or the refusal, is the message
    on the page it leads to. True when the service did it."""
    try:
        action()
    except services.AwardError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    awards = list(selectors.awards_for_council(user=request.user).order_by("-award_date", "reference"))
    return render(
        request,
        "awards/dashboard.html",
        {"awards": awards, "due": selectors.due_next(awards=awards, user=request.user), "today": timezone.localdate()},
    )


@login_required
def detail(request: HttpRequest, pk: int, note_form=None) -> HttpResponse:
    """The award. Programme staff also read its internal notes and contact log (issue 16);
    `note_form` is a refused note, shown again."""
    award_or_404(request, pk)
    award = selectors.award_detail(pk=pk)
    user = request.user
    can_manage = perms.can_manage(user, award)
    can_see_files = perms.can_see_evidence(user, award)
    history = AuditEvent.objects.filter(target_type="awards.award", target_id=str(award.pk)).order_by("-at")
    if not can_see_files:  # a partner council reads the award, not the names of the lead's files
        history = history.filter(action__in=actions_for(audience=COUNCIL))
    is_lead = perms.can_edit(user, award)
    can_accept = perms.can_accept(user, award) and award.status == AwardStatus.OFFERED
    # An officer who cannot accept is sent to the signatory; a council without one is told how to get one.
    waits_for_signatory = is_lead and not can_accept and award.status == AwardStatus.OFFERED
    has_signatory = waits_for_signatory and council_signatories(organisation_ids=[award.lead_id]).exists()
    return render(
        request,
        "awards/detail.html",
        {
            "award": award,
            "figures": (figures := selectors.figures(award)),
            "spend": award_position(award, figures),
            "today": timezone.localdate(),
            "is_lead": is_lead,
            "can_accept": can_accept,
            "has_signatory": has_signatory,
            "acceptance_overdue": services.acceptance_overdue(award),
            "can_manage": can_manage,
            "can_set_terms": can_manage and award.status == AwardStatus.OFFERED,
            "can_pay": perms.can_pay(user) and award.status in Award.LIVE,
            "can_record_returned": (perms.can_pay(user) or can_manage) and award.status in HAS_PAYMENTS,
            "is_live": award.status in Award.LIVE,
            "can_see_files": can_see_files,
            "outputs": output_rules.standings(award.output_targets.all()),  # issue 17, outputs
            "may_forecast": services.may_forecast(user, award) and award.status in Award.LIVE,
            "history": history[:50],
            # Issue 17, benefits after closure
            "benefits": benefits_selectors.award_benefits(award=award),
            "can_project": can_manage and award.round.benefits_years > 0 and award.status in services.PROJECTABLE,
            **notes_views.notes_context(
                user, award, None, note_form, reverse("awards:award_note_add", args=[award.pk])
            ),
            **notes_views.contacts_context(user, award),
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


def _already_answered(request: HttpRequest, award: Award) -> HttpResponse | None:
    """An offer is answered once: a second answer (an old tab, a second click) goes back to the
    award with a note rather than to a form that would only be refused."""
    if award.status == AwardStatus.OFFERED:
        return None
    messages.info(request, "This offer has already been answered")
    return redirect(award)


@login_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_accept)
    if answered := _already_answered(request, award):
        return answered
    context = _letter_context(award)
    form = forms.AcceptForm(posted(request), initial={"terms_digest": context["terms_digest"]})
    overdue = services.acceptance_overdue(award)
    done = not overdue and save_form(
        request,
        form,
        lambda data: services.award_accept(award=award, actor=request.user, **data),
        success=f"You have accepted the offer for {award.reference}",
        to=award,
    )
    return done or render(request, "awards/accept.html", {"form": form, "overdue": overdue, **context})


@login_required
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_accept)
    if answered := _already_answered(request, award):
        return answered
    form = forms.DeclineForm(posted(request))
    done = save_form(
        request,
        form,
        lambda data: services.award_decline(award=award, actor=request.user, reason=data["reason"]),
        success="You have declined the offer",
        to=award,
    )
    return done or form_page(request, award=award, form=form, title="Decline the offer")


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
        errors_onto_form(form, exc)
        return False
    return True


@login_required
def milestone_update(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_edit)
    milestone = get_object_or_404(Milestone, pk=mid, award=award)
    form = forms.MilestoneUpdateForm(
        posted(request), initial={"status": milestone.status, "evidence": milestone.evidence}
    )
    done = attach_files(request, form, milestone=milestone) and save_form(
        request,
        form,
        lambda data: services.milestone_update(
            milestone=milestone, actor=request.user, status=data["status"], evidence=data["evidence"]
        ),
        success="Milestone updated",
        to=award,
    )
    return done or render(
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
def return_detail(request: HttpRequest, pk: int, rid: int, note_form=None) -> HttpResponse:
    """A return: the council fills it in (when due or sent back); the manager reviews it.
    `note_form` is a refused internal note, shown again (its POST is not this page's)."""
    data = posted(request) if note_form is None else None
    award = award_or_404(request, pk)
    mreturn = get_object_or_404(MonitoringReturn.objects.select_related("period", "submitted_by"), pk=rid, award=award)
    outputs = list(award.round.outputs.all())
    can_submit = (
        perms.can_edit(request.user, award) and mreturn.status in MonitoringReturn.OPEN and award.status in Award.LIVE
    )
    can_review = perms.can_manage(request.user, award) and mreturn.status == ReturnStatus.SUBMITTED
    values = selectors.return_values(mreturn=mreturn, outputs=outputs)
    form = review = done = None
    not_yet = services.return_send_refusal(period=mreturn.period) if can_submit else ""
    certifying = award.round.returns_need_certifying
    if can_submit:
        initial = {"rag": mreturn.rag, "commentary": mreturn.commentary, "evidence": mreturn.evidence}
        initial.update({f"output_{o.pk}": v for o, v, _ in values if v is not None})
        initial.update({f: getattr(mreturn, f) for f in SPEND_FIELDS if getattr(mreturn, f) is not None})
        can_draft = mreturn.status == ReturnStatus.DUE
        draft = can_draft and data is not None and "save_draft" in data
        form = forms.ReturnForm(
            data,
            outputs=outputs,
            initial=initial,
            can_send=not not_yet,
            can_draft=can_draft,
            draft=draft,
            spend_required=services.spend_required_fields(award),
            send_label="Send for certification" if certifying else "",
        )
        sent = (
            f"Return sent for certification: {mreturn.period.title}"
            if certifying
            else f"Return sent: {mreturn.period.title}"
        )
        service = services.return_save_draft if draft else services.return_submit
        done = attach_files(request, form, mreturn=mreturn) and save_form(
            request,
            form,
            lambda data: service(
                mreturn=mreturn,
                actor=request.user,
                rag=data["rag"],
                commentary=data["commentary"],
                evidence=data["evidence"],
                values=form.output_values(),
                spend=spend_data(form),
            ),
            success=f"Draft saved: {mreturn.period.title}" if draft else sent,
            to=request.path if draft else award,
        )
    elif can_review:
        review = forms.ReviewForm(data)

        def decide(data: dict):
            if data["decision"] == "approve":
                return services.return_approve(mreturn=mreturn, actor=request.user)
            return services.return_request_changes(mreturn=mreturn, actor=request.user, reason=data["reason"])

        done = save_form(request, review, decide, success="Decision saved", to=award)
    elif data is not None:
        get_or_404(False)
    if done:
        return done
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
            "not_yet": not_yet,
            "today": timezone.localdate(),
            "evidence_files": list(mreturn.evidence_files.all()) if can_see_files else [],
            "can_see_files": can_see_files,
            "spend_to_date": spend_to_date(mreturn),
            "can_certify": perms.can_certify(request.user, award) and mreturn.status == ReturnStatus.TO_CERTIFY,
            **notes_views.notes_context(
                request.user, award, mreturn, note_form, reverse("awards:return_note_add", args=[award.pk, mreturn.pk])
            ),
        },
    )


variation_new = service_form_view(
    forms.VariationForm,
    services.variation_request,
    check=perms.can_edit,
    success="Variation request sent to the programme manager",
    title="Ask for a variation",
)


@login_required
def closure(request: HttpRequest, pk: int) -> HttpResponse:
    """The end-of-project report and case study; in a round that asks for benefits returns, the
    council's expected benefits too (issue 17)."""
    award = award_or_404(request, pk, check=perms.can_edit)
    initial = {"closure_report": award.closure_report, "case_study": award.case_study}
    years = award.round.benefits_years
    if years:
        from .benefits_forms import BenefitsClosureForm
        from .benefits_selectors import award_benefits

        if (b := award_benefits(award=award)).has_projection:
            initial.update(b.projected)
        form = BenefitsClosureForm(posted(request), initial=initial, years=years)
    else:
        form = forms.ClosureForm(posted(request), initial=initial)
    done = save_form(
        request,
        form,
        lambda data: services.closure_submit(
            award=award,
            actor=request.user,
            closure_report=data["closure_report"],
            case_study=data["case_study"],
            projected=form.projected() if years else None,
        ),
        success="End-of-project report sent",
        to=award,
    )
    return done or form_page(request, award=award, form=form, title="End-of-project report and case study")
