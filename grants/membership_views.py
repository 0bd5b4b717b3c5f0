"""Pages for joining an organisation: asking to join, deciding requests, and an organisation's
email domains. Every write goes through grants.membership, which checks who may do it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from grants.core.forms import save_with_form

from . import membership
from . import permissions as perms
from .decorators import role_required
from .membership_forms import DecisionForm, DomainsForm, JoinSearchForm
from .models import MembershipRequest, Organisation, OrgRole
from .models.organisations import COUNCIL_KINDS
from .selectors import organisation_search

admin_required = role_required(perms.can_manage_people)


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Ask to join a council: the one that owns your email domain, or one chosen from a search
    (which the programme team checks, since the address proves nothing)."""
    user = request.user
    if request.method == "POST":
        organisation = get_object_or_404(Organisation.objects.current(), pk=_int(request.POST.get("organisation")))
        try:
            created = membership.request_join(user=user, organisation=organisation)
        except membership.MembershipError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("grants:join")
        messages.success(request, f"Your request to join {created.organisation.name} has been sent")
        return redirect("home")
    pending = membership.pending_request(user) if user.organisation_id is None else None
    form = JoinSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    # Councils only, filtered before the first 20 are taken, so police forces or fire services
    # matching the same words never push a council off the list.
    found = organisation_search(query=query, include_former=False, limit=None) if query and not pending else None
    results = list(found.filter(kind__in=COUNCIL_KINDS)[:20]) if found is not None else []
    match = membership.domain_match(user.email) if user.organisation_id is None else None
    return render(
        request,
        "grants/join.html",
        {
            "pending": pending,
            "to_signatory": pending is not None and membership.goes_to_signatory(pending),
            "match": match,
            "form": form,
            "query": query,
            "results": results,
        },
    )


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


def _list(request: HttpRequest, *, staff: bool) -> HttpResponse:
    rows = list(membership.requests_to_decide(user=request.user))
    return render(request, "grants/join_requests.html", {"rows": rows, "staff": staff})


@login_required
def join_requests(request: HttpRequest) -> HttpResponse:
    """A council's signatories: people asking to join their council from an address at its domain."""
    if not membership.may_decide_requests(request.user):
        raise Http404
    return _list(request, staff=False)


@admin_required
def staff_join_requests(request: HttpRequest) -> HttpResponse:
    """Administrators: every request waiting, those chosen from a search first to check."""
    return _list(request, staff=True)


@login_required
@require_http_methods(["GET", "POST"])
def join_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or decline one request. Anyone who may not decide it gets 404."""
    join = get_object_or_404(membership.requests_to_decide(user=request.user), pk=pk)
    form = DecisionForm(request.POST or None)

    def save(data):
        approve = data["decision"] in ("approve", "approve_certifier")
        role = OrgRole.CERTIFIER if data["decision"] == "approve_certifier" else OrgRole.OFFICER
        membership.decide(actor=request.user, request=join, approve=approve, reason=data["reason"], org_role=role)
        person = join.user.get_full_name()
        if approve:
            what = "section 151 officer or delegate" if role == OrgRole.CERTIFIER else "council officer"
            messages.success(request, f"{person} is now a {what} of {join.organisation.short_name}")
        else:
            messages.success(request, f"Request from {person} declined: we have emailed them the reason")
        return redirect(_back(request))

    return save_with_form(request, form, save) or render(
        request,
        "grants/join_request.html",
        {
            "join": join,
            "form": form,
            "to_signatory": membership.goes_to_signatory(join),
            "history": _history(join),
            "back": _back(request),
        },
    )


def _back(request: HttpRequest) -> str:
    return reverse("grants:staff_join_requests" if perms.is_administrator(request.user) else "grants:join_requests")


def _history(join: MembershipRequest) -> list[MembershipRequest]:
    """The person's earlier requests, so a decider sees a decline before."""
    return list(
        MembershipRequest.objects.filter(user_id=join.user_id).exclude(pk=join.pk).select_related("organisation")
    )


@admin_required
@require_http_methods(["GET", "POST"])
def organisation_domains(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The email domains an organisation owns (councils included: this is not register data)."""
    org = get_object_or_404(Organisation, pk=org_pk)
    initial = {"domains": "\n".join(org.domains.values_list("domain", flat=True))}
    form = DomainsForm(request.POST or None, initial=initial)

    def save(data):
        membership.organisation_domains_set(actor=request.user, organisation=org, domains=data["domains"])
        messages.success(request, f"Email domains of {org.short_name} saved")
        return redirect(reverse("grants:staff_organisations") + f"?q={org.code or org.short_name}")

    return save_with_form(request, form, save) or render(
        request, "grants/form_page.html", {"form": form, "title": f"Email domains of {org.name}"}
    )
