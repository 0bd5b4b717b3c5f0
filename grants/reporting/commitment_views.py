"""Pages for a programme's commitments and deliverables: its managers change them, staff who may
view the programme read them, and everyone else gets 404 (the programme's existence is not told)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grants import permissions as gperms
from grants.core.forms import save_with_form
from grants.models import Programme

from . import commitment_selectors as selectors
from . import commitment_services as services
from .commitment_forms import CommitmentForm, DeliverableForm, DeliverableRagForm
from .commitments import Commitment, Deliverable


def _programme(request: HttpRequest, slug: str, *, manage: bool = False) -> Programme:
    programme = get_object_or_404(Programme, slug=slug)
    check = gperms.can_manage_programme if manage else gperms.can_view_programme
    gperms.get_or_404(check(request.user, programme))
    return programme


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _form_page(request, programme, form, title: str, *, back: str, extra: dict | None = None) -> HttpResponse:
    context = {"programme": programme, "form": form, "title": title, "back": back, **(extra or {})}
    return render(request, "reporting/commitment_form.html", context)


@login_required
def commitments(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    progress, years = selectors.programme_page(programme)
    return render(
        request,
        "reporting/commitments.html",
        {
            "programme": programme,
            "progress": progress,
            "years": years,
            "can_manage": gperms.can_manage_programme(request.user, programme),
            "this_year": _financial_year(timezone.localdate()),
        },
    )


def _financial_year(day) -> int:
    return day.year if day.month >= 4 else day.year - 1


@login_required
def commitment_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, manage=True)
    form = CommitmentForm(_posted(request), submit="Add commitment")
    back = reverse("reporting:commitments", args=[programme.slug])

    def save(data: dict) -> HttpResponse:
        obj = services.commitment_save(user=request.user, programme=programme, data=data)
        messages.success(request, f"Commitment added: {obj.text}")
        return redirect(back)

    return save_with_form(request, form, save) or _form_page(request, programme, form, "Add a commitment", back=back)


@login_required
def commitment_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(request, slug, manage=True)
    commitment = get_object_or_404(Commitment, pk=pk, programme=programme)
    initial = {k: getattr(commitment, k) for k in services.FIELDS}
    form = CommitmentForm(_posted(request), initial=initial)
    back = reverse("reporting:commitments", args=[programme.slug])

    def save(data: dict) -> HttpResponse:
        services.commitment_save(user=request.user, programme=programme, data=data, commitment=commitment)
        messages.success(request, f"Commitment changed: {commitment.text}")
        return redirect(back)

    return save_with_form(request, form, save) or _form_page(
        request, programme, form, "Change a commitment", back=back, extra={"commitment": commitment}
    )


@require_POST
@login_required
def commitment_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = _programme(request, slug, manage=True)
    commitment = get_object_or_404(Commitment, pk=pk, programme=programme)
    services.commitment_remove(user=request.user, commitment=commitment)
    messages.success(request, f"Commitment removed: {commitment.text}")
    return redirect("reporting:commitments", slug=programme.slug)


@login_required
def deliverables(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    programme = _programme(request, slug)
    found = selectors.deliverable_years(programme.deliverables.filter(financial_year=year))
    label = f"{year}/{(year + 1) % 100:02d}"
    return render(
        request,
        "reporting/deliverables.html",
        {
            "programme": programme,
            "year": year,
            "label": label,
            "found": found[0] if found else None,
            "can_manage": gperms.can_manage_programme(request.user, programme),
        },
    )


@login_required
def deliverable_add(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    programme = _programme(request, slug, manage=True)
    form = DeliverableForm(_posted(request), programme=programme)
    back = reverse("reporting:deliverables", args=[programme.slug, year])

    def save(data: dict) -> HttpResponse:
        obj = services.deliverable_add(
            user=request.user, programme=programme, financial_year=year, title=data["title"], round=data["round"]
        )
        messages.success(request, f"Deliverable {obj.number} added")
        return redirect(back)

    title = f"Add a deliverable for {year}/{(year + 1) % 100:02d}"
    return save_with_form(request, form, save) or _form_page(request, programme, form, title, back=back)


@login_required
def deliverable(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A deliverable, its RAG computed and set, and the history of its settings; its managers
    set the RAG here (a POST from anyone else answers 404)."""
    programme = _programme(request, slug)
    item = get_object_or_404(Deliverable.objects.select_related("round"), pk=pk, programme=programme)
    can_manage = gperms.can_manage_programme(request.user, programme)
    if request.method == "POST":
        gperms.get_or_404(can_manage)
    form = DeliverableRagForm(_posted(request), initial={"rag": item.rag}) if can_manage else None
    back = reverse("reporting:deliverables", args=[programme.slug, item.financial_year])

    def save(data: dict) -> HttpResponse:
        services.deliverable_rag_set(user=request.user, deliverable=item, rag=data["rag"], reason=data["reason"])
        messages.success(request, f"RAG status set for deliverable {item.number}")
        return redirect(back)

    done = save_with_form(request, form, save) if form is not None else None
    return done or render(
        request,
        "reporting/deliverable.html",
        {
            "programme": programme,
            "item": item,
            "computed": selectors.computed_rags([item])[item.pk],
            "history": item.rag_changes.select_related("set_by"),
            "form": form,
            "back": back,
        },
    )
