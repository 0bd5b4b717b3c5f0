"""Public round pages and staff pages for programmes, rounds and organisations."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from grants.core import datacache
from grants.core import metrics as core_metrics
from grants.core.forms import save_with_form

from . import permissions as perms
from . import selectors, services
from .contacts import contact_for
from .decorators import role_required, staff_required
from .forms import OrganisationForm, OrganisationSearchForm, ProgrammeForm, RoundForm
from .models import AuditEvent, Organisation, Programme, Round
from .models.organisations import COUNCIL_KINDS
from .people_selectors import programme_manager_roles


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus scrapes with GRANTBENCH_METRICS_TOKEN; staff may look. Anyone else: no such page."""
    if not (core_metrics.token_matches(request) or perms.is_staff_user(request.user)):
        raise Http404
    body, content_type = core_metrics.exposition()
    return HttpResponse(body, content_type=content_type)


def round_list(request: HttpRequest, home=None) -> HttpResponse:
    """The open rounds; on the home page of someone with no role yet, `home` also says where
    their request to join a council stands (grants.reporting.home)."""
    html, _ = datacache.cached("public_rounds", (), _rounds_table, until=lambda kept: kept[1])
    return render(request, "grants/round_list.html", {"rounds_table": html, "home": home})


def _rounds_table() -> tuple[str, datetime | None]:
    """The table of open and upcoming rounds, and the moment the clock next changes it (a round
    opens or closes). It is the same for everyone, so it is kept until then or until the data
    changes: the public list cost four times the anonymous page to work out (issue 19)."""
    now = timezone.now()
    rounds = list(selectors.rounds_public(now=now))
    changes = [r.opens_at if r.opens_at > now else r.closes_at for r in rounds]
    return render_to_string("grants/_round_table.html", {"rounds": rounds}), min(changes, default=None)


def _round_visible(request: HttpRequest, slug: str) -> Round:
    visible = selectors.rounds_for_user(user=request.user).select_related("programme", "programme__funder")
    return get_object_or_404(visible, slug=slug)


def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public round page. A targeted round's named list is confidential: only programme staff
    see it; a council's officers are told whether their own council is invited, everyone else
    only that invited councils may apply."""
    round = _round_visible(request, slug)
    staff_view = perms.can_view_programme(request.user, round.programme)
    # Staff read the round's rules ("Who can apply"), not a council's answer about itself.
    organisation = None if staff_view else selectors.acting_council(request.user)
    reasons = selectors.council_eligibility(round=round, organisation=organisation) if organisation else None
    try:  # the bidding app, when installed, offers the start page
        apply_url = reverse("applications:bid_start", args=[round.slug])
        questions_url = reverse("applications:round_questions", args=[round.slug])
    except NoReverseMatch:
        apply_url = questions_url = None
    return render(
        request,
        "grants/round_detail.html",
        {
            "round": round,
            "organisation": organisation,
            "reasons": reasons,
            "targeted": selectors.round_is_targeted(round),
            "invited": selectors.round_invites(round=round, organisation=organisation),
            "named": selectors.round_named_list(round=round, user=request.user),
            "apply_url": apply_url,
            "questions_url": questions_url,
            "contact": contact_for(round=round),
            "staff_view": staff_view,
            "can_manage": perms.can_manage_programme(request.user, round.programme),
        },
    )


def round_prospectus(request: HttpRequest, slug: str) -> FileResponse:
    round = _round_visible(request, slug)
    document = round.prospectus_document
    # A file lost from storage (a restore without media, a bucket tidied by hand) is not found,
    # not a server error.
    if not document or not document.storage.exists(document.name):
        raise Http404
    try:
        handle = document.open("rb")
    except OSError:
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=document.name.rsplit("/", 1)[-1])


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programmes_for_user(user=request.user).annotate(
        round_count=Count("rounds"), budget_total=Sum("rounds__budget")
    )
    return render(
        request,
        "grants/staff_home.html",
        {
            "programmes": programmes,
            "can_create": perms.can_create_programme(request.user),
            "can_manage_people": perms.can_manage_people(request.user),
        },
    )


def _programme_for(request: HttpRequest, slug: str) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("funder"), slug=slug)
    if not perms.can_view_programme(request.user, programme):
        raise Http404
    return programme


@staff_required
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return programme_detail_page(request, _programme_for(request, slug))


def programme_detail_page(request: HttpRequest, programme: Programme, manager_form=None) -> HttpResponse:
    """The programme page; also re-shown with errors when adding a manager fails."""
    from .people_forms import ManagerAddForm

    rounds = programme.rounds.order_by("-opens_at")
    roles = programme_manager_roles(programme_id=programme.pk).select_related("user").order_by("user")
    managers = [r.user for r in roles]
    history = AuditEvent.objects.filter(target_type="grants.programme", target_id=str(programme.pk)).select_related(
        "actor"
    )[:20]
    can_manage_people = perms.can_manage_people(request.user)
    if can_manage_people and manager_form is None:
        manager_form = ManagerAddForm()
    if manager_form is not None:
        manager_form.helper.form_action = reverse("grants:staff_programme_manager_add", args=[programme.slug])
    return render(
        request,
        "grants/programme_detail.html",
        {
            "programme": programme,
            "partners": list(programme.partner_bodies.order_by("short_name")),
            "co_funders": list(programme.co_funders.order_by("short_name")),
            "rounds": rounds,
            "managers": managers,
            "history": history,
            "can_manage": perms.can_manage_programme(request.user, programme),
            "can_manage_people": can_manage_people,
            "manager_form": manager_form,
        },
    )


@role_required(perms.can_create_programme)
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)

    def save(data):
        partners, co_funders = data.pop("partner_bodies"), data.pop("co_funders")
        programme = services.programme_save(actor=request.user, partner_bodies=partners, co_funders=co_funders, **data)
        messages.success(request, f"Programme {programme.name} created")
        return redirect(programme)

    return save_with_form(request, form, save) or render(
        request, "grants/form_page.html", {"form": form, "title": "Create a programme"}
    )


@staff_required
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme_for(request, slug)
    if not perms.can_manage_programme(request.user, programme):
        raise Http404
    form = ProgrammeForm(request.POST or None, instance=programme)

    def save(data):
        partners, co_funders = data.pop("partner_bodies"), data.pop("co_funders")
        services.programme_save(
            actor=request.user,
            programme=Programme.objects.get(pk=programme.pk),
            partner_bodies=partners,
            co_funders=co_funders,
            **data,
        )
        messages.success(request, "Programme saved")
        return redirect("grants:staff_programme_detail", slug=data["slug"])

    return save_with_form(request, form, save) or render(
        request, "grants/form_page.html", {"form": form, "title": f"Change {programme.name}", "back": programme}
    )


def _round_fields(data: dict) -> tuple[dict, list]:
    data = dict(data)
    named = data.pop("eligible_codes")
    return data, named


@staff_required
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme_for(request, slug)
    if not perms.can_manage_programme(request.user, programme):
        raise Http404
    form = RoundForm(request.POST or None, request.FILES or None, programme=programme)

    def save(data):
        fields, named = _round_fields(data)
        round = services.round_save(actor=request.user, programme=programme, eligible_organisations=named, **fields)
        messages.success(request, f"Round {round.name} created")
        return redirect("grants:staff_programme_detail", slug=programme.slug)

    return save_with_form(request, form, save) or render(
        request, "grants/form_page.html", {"form": form, "title": f"Add a round to {programme.name}", "back": programme}
    )


@staff_required
def round_edit(request: HttpRequest, slug: str) -> HttpResponse:
    round = get_object_or_404(Round.objects.select_related("programme"), slug=slug)
    if not perms.can_manage_programme(request.user, round.programme):
        raise Http404
    form = RoundForm(request.POST or None, request.FILES or None, instance=round, programme=round.programme)

    def save(data):
        fields, named = _round_fields(data)
        fresh = Round.objects.get(pk=round.pk)
        services.round_save(actor=request.user, round=fresh, eligible_organisations=named, **fields)
        messages.success(request, "Round saved")
        return redirect("grants:staff_programme_detail", slug=round.programme.slug)

    return save_with_form(request, form, save) or render(
        request,
        "grants/form_page.html",
        {"form": form, "title": f"Change {round.name}", "back": round.programme, "round": round},
    )


@staff_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    if query:
        results = list(selectors.organisation_search(query=query, limit=100))
        page = None
    else:
        page = Paginator(Organisation.objects.order_by("short_name"), 50).get_page(request.GET.get("page"))
        results = list(page)
    return render(
        request,
        "grants/organisation_list.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "page": page,
            "can_add": perms.can_add_organisation(request.user),
            "can_domains": perms.can_manage_people(request.user),
        },
    )


def _organisation_fields(data: dict) -> tuple[dict, list[str]]:
    data = dict(data)
    return data, data.pop("aliases")


@role_required(perms.can_add_organisation)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)

    def save(data):
        fields, aliases = _organisation_fields(data)
        org = services.organisation_create(actor=request.user, aliases=aliases, **fields)
        messages.success(request, f"{org.name} added")
        return redirect("grants:staff_organisations")

    return save_with_form(request, form, save) or render(
        request, "grants/form_page.html", {"form": form, "title": "Add a public body"}
    )


@role_required(perms.can_add_organisation)
def organisation_edit(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Change a public body other than a council (councils change only with the register)."""
    org = get_object_or_404(Organisation.objects.exclude(kind__in=COUNCIL_KINDS), pk=org_pk)
    form = OrganisationForm(request.POST or None, instance=org)

    def save(data):
        fields, aliases = _organisation_fields(data)
        services.organisation_update(
            actor=request.user, organisation=Organisation.objects.get(pk=org.pk), aliases=aliases, **fields
        )
        messages.success(request, "Organisation saved")
        return redirect(reverse("grants:staff_organisations") + "?" + urlencode({"q": data["name"][:100]}))

    return save_with_form(request, form, save) or render(
        request, "grants/form_page.html", {"form": form, "title": f"Change {org.name}"}
    )


@login_required
@require_GET
def organisation_search_json(request: HttpRequest) -> JsonResponse:
    """Backs the searchable organisation picker."""
    results = selectors.organisation_search(query=request.GET.get("q", "")[:100], include_former=False)
    return JsonResponse(
        {
            "results": [
                {"id": o.pk, "name": o.short_name, "code": o.code or "", "kind": o.get_kind_display()} for o in results
            ]
        }
    )
