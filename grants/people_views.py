"""Administrators' pages for people: the user list, one person's organisation and roles, and a
programme's managers. Every change goes through grants.people, which audits it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import people
from . import permissions as perms
from .decorators import role_required
from .models import AuditEvent, Programme, StaffRole, User
from .people_forms import ManagerAddForm, UserForm, UserSearchForm
from .selectors import search_term

R = StaffRole.Role
admin_required = role_required(perms.can_manage_people)


@admin_required
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserSearchForm(request.GET or None)
    query = search_term(form.cleaned_data["q"]) if form.is_valid() else ""
    users = User.objects.select_related("organisation").prefetch_related(
        Prefetch("staff_roles", queryset=StaffRole.objects.select_related("programme"))
    )
    if query:
        users = users.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    page = Paginator(users.order_by("email"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/user_list.html",
        {"form": form, "query": query, "page": page, "page_query": f"q={query}" if query else ""},
    )


def _apply_roles(actor: User, user: User, data: dict) -> None:
    have = {(r.role, r.programme_id) for r in user.staff_roles.all()}
    want = {(R.PROGRAMME_MANAGER.value, p.pk) for p in data["managed_programmes"]}
    want |= {(role, None) for role in data["global_roles"]}
    programmes = {p.pk: p for p in Programme.objects.filter(pk__in=[p for _, p in have | want if p])}
    for role, programme_id in sorted(have - want, key=str):
        people.staff_role_revoke(actor=actor, user=user, role=role, programme=programmes.get(programme_id))
    for role, programme_id in sorted(want - have, key=str):
        people.staff_role_grant(actor=actor, user=user, role=role, programme=programmes.get(programme_id))


@admin_required
def user_detail(request: HttpRequest, user_pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("organisation"), pk=user_pk)
    form = UserForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                people.user_update(
                    actor=request.user,
                    user=user,
                    organisation=data["organisation"],
                    org_role=data["org_role"],
                    full_name=data["full_name"],
                )
                _apply_roles(request.user, user, data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = {"role": "global_roles", "programme": "managed_programmes"}.get(field, field)
                form.add_error(target if target in form.fields else None, errors)
        else:
            messages.success(request, f"Changes to {user.email} saved")
            return redirect("grants:staff_user", user_pk=user.pk)
    history = AuditEvent.objects.filter(target_type="grants.user", target_id=str(user.pk)).select_related("actor")
    return render(
        request,
        "grants/user_detail.html",
        {"person": user, "form": form, "history": history[:20], "title": user.full_name or user.email},
    )


def _managed_programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(Programme, slug=slug)


@admin_required
@require_POST
def programme_manager_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _managed_programme(request, slug)
    form = ManagerAddForm(request.POST)
    if form.is_valid():
        person = form.cleaned_data["email"]
        people.staff_role_grant(actor=request.user, user=person, role=R.PROGRAMME_MANAGER, programme=programme)
        messages.success(request, f"{person.email} is now a programme manager of {programme.name}")
        return redirect(programme)
    from .views import programme_detail_page

    return programme_detail_page(request, programme, manager_form=form)


@admin_required
@require_POST
def programme_manager_remove(request: HttpRequest, slug: str, user_pk: int) -> HttpResponse:
    programme = _managed_programme(request, slug)
    person = get_object_or_404(User, pk=user_pk)
    if people.staff_role_revoke(actor=request.user, user=person, role=R.PROGRAMME_MANAGER, programme=programme):
        messages.success(request, f"{person.email} is no longer a programme manager of {programme.name}")
    return redirect(reverse("grants:staff_programme_detail", args=[programme.slug]) + "#managers")
