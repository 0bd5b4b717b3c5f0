"""Council pages: dashboard, eligibility and start, task list, details, partners, collaborators,
check your answers and submit, withdrawal, history, and answering a partner request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grants.core.arrival import arrived_at
from grants.core.fields import as_id
from grants.core.forms import errors_onto_form, save_with_form
from grants.core.words import counted
from grants.models import Organisation, Round, User
from grants.people_selectors import is_council_officer

from .. import permissions as perms
from .. import selectors, services
from ..dashboard_bids import DashboardBids
from ..forms import (
    BidDetailsForm,
    CollaboratorForm,
    DeclarationForm,
    OtherPartnerForm,
    PartnerResponseForm,
    PartnerSearchForm,
    ReasonForm,
    StartBidForm,
)
from ..models import BidPartner, BidStage, OtherPartner
from .common import after_save, bid_for, keep_return, returning_to_check
from .dashboard_rows import rows_html
from .notes import notes_context

DASHBOARD_PAGE_SIZE = 25


@login_required
def bid_dashboard(request):
    """Paged, so a council with hundreds of bids across years still gets a fast page. The rows
    are written by `dashboard_rows` (issue 19: the template loop was most of the page's cost)."""
    org_id = perms.acting_council_id(request.user)
    page = None
    bids: list = []
    if org_id:
        page = Paginator(DashboardBids(user=request.user), DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
        bids = list(page)
    now = arrived_at(request)
    for bid in bids:
        bid.next_action = selectors.next_action(bid, org_id, now)
        bid.respond = bid.next_action == selectors.PARTNER_ACTION
    rows = rows_html(bids, org_id=request.user.organisation_id)
    return render(request, "applications/dashboard.html", {"bids": bids, "page": page, "rows": rows})


@login_required
def bid_start(request, slug):
    """Eligibility first: the council sees every reason it may not apply before typing anything.
    Only a council's officers are told whether it may (in a targeted round, whether it is invited)."""
    round = get_object_or_404(Round.objects.select_related("programme"), slug=slug, published=True)
    organisation = request.user.organisation
    now = arrived_at(request)
    reasons = services.start_eligibility(round=round, user=request.user, now=now)
    if reasons:
        return render(request, "applications/ineligible.html", {"round": round, "reasons": reasons})
    deadline = services.deadline_for(round=round, organisation_id=organisation.pk)
    form = StartBidForm(request.POST or None, round=round)

    def start(cleaned):
        data = dict(cleaned)
        partners = data.pop("partners", [])
        bid = services.start_bid(round=round, actor=request.user, partners=partners, now=now, **data)
        messages.success(request, "Bid started. You can save each part and come back to it later.")
        return redirect(bid)

    return save_with_form(request, form, start) or render(
        request, "applications/start.html", {"round": round, "form": form, "deadline": deadline}
    )


@login_required
def bid_detail(request, pk, note_form=None):
    """The task list while the council can edit; otherwise a read-only summary of the bid (with
    the internal notes, for programme staff only). `note_form` is a refused note, shown again."""
    bid = bid_for(request, pk)
    context = _answers_context(bid)
    sections, partners = context["sections"], context["partners"]
    context |= {
        "can_edit": perms.can_edit_bid(request.user, bid),
        "can_withdraw": perms.can_withdraw_bid(request.user, bid),
        "can_manage": perms.can_manage_bid(request.user, bid),
        "is_lead": perms.is_lead_member(request.user, bid),
        "files": [f for s in sections for r in s.rows for f in r.files],
    }
    if context["can_edit"]:
        context.update(_partner_task(bid, partners))
        context["details_status"] = "Completed" if services.details_complete(bid) else "In progress"
        context["problems"] = _problems(context, arrived_at(request))
        # Issue 16: an invited full bid shows what its expression of interest sent, read-only.
        context["open_sections"] = [s for s in sections if s.editable]
        context["sent_sections"] = [s for s in sections if not s.editable]
        context["details_hint"] = (
            "Title, summary, indicative amount, dates"
            if bid.stage == BidStage.EOI
            else "Title, summary, amount, match funding, dates"
        )
        return render(request, "applications/task_list.html", context)
    context |= selectors.clarifications_context(request.user, bid)
    context |= notes_context(request.user, bid, note_form)
    return render(request, "applications/bid_summary.html", context)


def _answers_context(bid) -> dict:
    """What templates/applications/_answers.html reads: the bid, its sections with their answers
    and files, its partners, and its other partners (prefetched onto the bid, where the template
    and `_partner_task` read them). The task list, the read-only bid page, check your answers and
    the partner's confirmation page all show the bid through it, each reading these once."""
    prefetch_related_objects([bid], "other_partners")
    return {
        "bid": bid,
        "sections": selectors.task_list(bid=bid),
        "partners": list(bid.partners.select_related("organisation", "confirmed_by")),
    }


def _problems(context: dict, now) -> list[str]:
    """What stops the bid being submitted, judged on what `_answers_context` has read for the
    page, not read again. Only for showing a page: submit_bid judges afresh under its lock."""
    bid = context["bid"]
    return services.submission_problems(
        bid=bid,
        now=now,
        tasks=context["sections"],
        partners=context["partners"],
        other_partners=list(bid.other_partners.all()),
    )


def _partner_task(bid, partners) -> dict:
    if not bid.round.joint_bids_allowed:
        return {"partner_hint": "This round does not accept joint bids", "partner_status": "Completed"}
    others = list(bid.other_partners.all())
    if not partners and not others:
        return {
            "partner_hint": f"Optional: up to {counted(bid.round.max_partners, 'partner')}",
            "partner_status": "Completed",
        }
    waiting = [p for p in partners if p.status != "confirmed"]
    names = ", ".join(
        [f"{p.organisation.short_name} ({p.get_status_display().lower()})" for p in partners] + [o.name for o in others]
    )
    return {"partner_hint": names, "partner_status": "Waiting" if waiting else "Completed"}


@login_required
def bid_details_edit(request, pk):
    bid = bid_for(request, pk, perms.can_edit_bid)
    initial = {k: getattr(bid, k) for k in services.DETAIL_FIELDS}
    form = BidDetailsForm(request.POST or None, initial=initial, round=bid.round, eoi=bid.stage == BidStage.EOI)

    def save(data):
        services.update_bid_details(bid=bid, actor=request.user, now=arrived_at(request), **data)
        messages.success(request, "Bid details saved")
        return after_save(request, bid)

    return save_with_form(request, form, save) or render(
        request,
        "applications/form_page.html",
        {"bid": bid, "form": form, "title": "Bid details", "from_check": returning_to_check(request)},
    )


def _posted_pk(request, name: str) -> int:
    """The id a button posted; anything that could name no row finds nothing (404), never a 500."""
    return as_id(request.POST.get(name, "")) or 0


@login_required
def bid_partners(request, pk):
    """Add and remove partners. Works without JavaScript: the search runs on the server."""
    bid = bid_for(request, pk, perms.can_edit_bid)
    search = PartnerSearchForm(request.GET or None)
    results = []
    if search.is_valid() and search.cleaned_data["q"]:
        results = list(
            selectors.partner_candidates(round=bid.round, query=search.cleaned_data["q"], lead_id=bid.lead_id)
        )
    error = None
    other_form = OtherPartnerForm(request.POST if "add_other" in request.POST else None)
    if "add_other" in request.POST:

        def save(data):
            other = services.add_other_partner(bid=bid, actor=request.user, now=arrived_at(request), **data)
            messages.success(request, f"{other.name} added as a partner")
            return redirect(keep_return(request, reverse("applications:bid_partners", args=[bid.pk])))

        done = save_with_form(request, other_form, save)
        if done:
            return done
    elif request.method == "POST":
        try:
            if "remove_other" in request.POST:
                other = get_object_or_404(OtherPartner, pk=_posted_pk(request, "remove_other"), bid=bid)
                services.remove_other_partner(bid=bid, actor=request.user, other=other, now=arrived_at(request))
                messages.success(request, f"{other.name} removed")
            elif "add" in request.POST:
                org = get_object_or_404(Organisation, pk=_posted_pk(request, "add"))
                services.add_partner(bid=bid, actor=request.user, organisation=org, now=arrived_at(request))
                messages.success(request, f"{org.short_name} has been asked to confirm")
            elif "remove" in request.POST:
                partner = get_object_or_404(BidPartner, pk=_posted_pk(request, "remove"), bid=bid)
                services.remove_partner(bid=bid, actor=request.user, partner=partner, now=arrived_at(request))
                messages.success(request, f"{partner.organisation.short_name} removed")
            return redirect(keep_return(request, reverse("applications:bid_partners", args=[bid.pk])))
        except ValidationError as exc:
            error = exc.messages
    partners = list(bid.partners.select_related("organisation"))
    return render(
        request,
        "applications/partners.html",
        {
            "bid": bid,
            "search": search,
            "results": results,
            "partners": partners,
            "other_partners": list(bid.other_partners.all()),
            "other_form": other_form,
            "error": error,
            "from_check": returning_to_check(request),
        },
    )


@login_required
def partner_search_json(request, slug):
    """Backs the partner picker: only organisations that may be a partner in this round."""
    round = get_object_or_404(Round, slug=slug, published=True)
    found = selectors.partner_candidates(
        round=round, query=request.GET.get("q", "")[:100], lead_id=request.user.organisation_id
    )
    return JsonResponse(
        {
            "results": [
                {"id": o.pk, "name": o.short_name, "code": o.code or "", "kind": o.get_kind_display()} for o in found
            ]
        }
    )


@login_required
def bid_collaborators(request, pk):
    bid = bid_for(request, pk, perms.can_edit_bid)
    form = CollaboratorForm(request.POST if "email" in request.POST else None)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                user = get_object_or_404(bid.collaborators.all(), pk=_posted_pk(request, "remove"))
                services.remove_collaborator(bid=bid, actor=request.user, user=user)
                return redirect("applications:bid_collaborators", pk=bid.pk)
            if form.is_valid():
                user = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
                if user is None or not is_council_officer(user=user, organisation_id=bid.lead_id):
                    form.add_error("email", "No one with that email address works for your council on this service")
                else:
                    services.add_collaborator(bid=bid, actor=request.user, user=user)
                    messages.success(request, f"{user.email} can now edit this bid")
                    return redirect("applications:bid_collaborators", pk=bid.pk)
        except ValidationError as exc:
            errors_onto_form(form, exc)
    return render(
        request,
        "applications/collaborators.html",
        {"bid": bid, "form": form, "collaborators": list(bid.collaborators.order_by("email"))},
    )


@login_required
def bid_check(request, pk):
    """Check your answers, then the declaration and submission."""
    bid = bid_for(request, pk, perms.can_submit_bid if request.method == "POST" else perms.can_edit_bid)
    now = arrived_at(request)  # the deadline is judged when the request arrived, for the submission and the page alike
    form = DeclarationForm(
        request.POST or None,
        initial={
            "declaration_name": bid.declaration_name,
            "declaration_role": bid.declaration_role,
            "seen_submissions": bid.submission_count,
        },
    )

    def submit(data):  # submit_bid checks the problems itself, so a successful submit builds no task list
        services.submit_bid(
            bid=bid,
            actor=request.user,
            declaration_name=data["declaration_name"],
            declaration_role=data["declaration_role"],
            now=now,
            seen_submissions=data.get("seen_submissions"),
        )
        return redirect("applications:bid_submitted", pk=bid.pk)

    if submitted := save_with_form(request, form, submit):
        return submitted
    if not bid.is_editable_status:  # posted to a bid submitted already, and the form invalid
        return redirect("applications:bid_submitted", pk=bid.pk)
    if form.is_bound:  # shown again, refused: a submit from here now is for the bid as it is now
        form.data = form.data.copy()
        form.data["seen_submissions"] = bid.submission_count
    context = _answers_context(bid)
    context |= {"form": form, "problems": _problems(context, now)}
    return render(request, "applications/check.html", context)


@login_required
def bid_submitted(request, pk):
    bid = bid_for(request, pk)
    if not bid.reference or not perms.is_lead_member(request.user, bid):
        raise Http404
    return render(request, "applications/submitted.html", {"bid": bid})


@login_required
def bid_withdraw(request, pk):
    bid = bid_for(request, pk, perms.can_withdraw_bid)
    form = ReasonForm(request.POST or None, label="Why are you withdrawing this bid?", submit="Withdraw bid")

    def withdraw(data):
        services.withdraw_bid(bid=bid, actor=request.user, reason=data["reason"])
        messages.success(request, "Bid withdrawn")
        return redirect("applications:bid_dashboard")

    return save_with_form(request, form, withdraw) or render(
        request, "applications/form_page.html", {"bid": bid, "form": form, "title": "Withdraw this bid"}
    )


@login_required
def bid_history(request, pk):
    bid = bid_for(request, pk)
    events = selectors.bid_history(bid=bid, viewer=request.user)
    return render(request, "applications/history.html", {"bid": bid, "events": events})


@login_required
def partner_respond(request, pk):
    bid = bid_for(request, pk, perms.can_answer_as_partner)
    partner = perms.partner_link(request.user, bid)
    form = PartnerResponseForm(request.POST or None)

    def respond(data):
        services.respond_to_partner(
            partner=partner, actor=request.user, confirm=data["decision"] == "confirm", reason=data["reason"]
        )
        messages.success(request, "Your answer has been sent to the lead council")
        return redirect("applications:bid_dashboard")

    return save_with_form(request, form, respond) or render(
        request, "applications/partner_respond.html", {**_answers_context(bid), "partner": partner, "form": form}
    )


@require_POST
@login_required
def evidence_delete(request, pk, file_pk):
    bid = bid_for(request, pk, perms.can_edit_bid)
    evidence = get_object_or_404(bid.evidence, pk=file_pk)
    try:
        services.delete_evidence(bid=bid, actor=request.user, evidence=evidence, now=arrived_at(request))
        messages.success(request, f"{evidence.original_name} deleted")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    section = request.POST.get("section", "")
    if section.isdigit():
        url = reverse("applications:bid_section", args=[bid.pk, int(section)])
        return redirect(f"{url}?return=check" if request.POST.get("return") == "check" else url)
    return redirect(bid)
