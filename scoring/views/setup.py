"""Programme managers' set-up pages: panel settings, criteria, assignments, register of interests."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from applications.permissions import barred_bid_ids
from grants.core import exports as reporting_exports
from grants.core.forms import errors_onto_form, save_with_form
from grants.core.words import counted
from grants.models import User

from .. import exports, selectors, services
from ..forms import AssignForm, CriterionForm, PanelMemberForm, PanelSettingsForm
from ..models import Assignment, Criterion, PanelMember
from ..permissions import panel_for
from ..register import interests_register
from .common import bid_in_round_or_404, downloads_for, managed_round, say_outcome


@login_required
def panel_overview(request: HttpRequest, slug: str) -> HttpResponse:
    round = managed_round(request, slug)
    panel = panel_for(round)
    members = list(PanelMember.objects.filter(panel=panel).select_related("user", "user__organisation"))
    declared = set(round.interest_declarations.values_list("user_id", flat=True))
    with_mfa = set(
        Authenticator.objects.filter(
            user_id__in=[m.user_id for m in members], type=Authenticator.Type.TOTP
        ).values_list("user_id", flat=True)
    )
    for m in members:
        m.declared = m.user_id in declared
        m.mfa = m.user_id in with_mfa
    criteria = list(Criterion.objects.filter(round=round))
    return render(
        request,
        "scoring/panel_overview.html",
        {
            "round": round,
            "panel": panel,
            "members": members,
            "criteria": criteria,
            "locked": services.criteria_locked(round),
        },
    )


@login_required
def panel_members(request: HttpRequest, slug: str) -> HttpResponse:
    round = managed_round(request, slug)
    form = PanelMemberForm(request.POST or None)

    def add(data):
        member = services.panel_member_add(round=round, actor=request.user, **data)
        messages.success(request, f"{member.user} added to the panel")
        return redirect("scoring:panel", slug=round.slug)

    return save_with_form(request, form, add) or render(
        request, "grants/form_page.html", {"round": round, "form": form, "title": f"Add a panel member to {round.name}"}
    )


def _member(request: HttpRequest, slug: str, pk: int):
    round = managed_round(request, slug)
    return round, get_object_or_404(
        PanelMember.objects.select_related("user", "panel__round"), pk=pk, panel__round=round
    )


@login_required
@require_POST
def panel_member_chair(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round, member = _member(request, slug, pk)
    services.panel_chair_set(member=member, actor=request.user)
    messages.success(request, f"{member.user} is now the chair")
    return redirect("scoring:panel", slug=round.slug)


@login_required
@require_POST
def panel_member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round, member = _member(request, slug, pk)
    try:
        services.panel_member_remove(member=member, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member.user} removed from the panel")
    return redirect("scoring:panel", slug=round.slug)


@login_required
def panel_settings(request: HttpRequest, slug: str) -> HttpResponse:
    round = managed_round(request, slug)
    panel = panel_for(round)
    form = PanelSettingsForm(request.POST or None, instance=panel)
    if request.method == "POST" and form.is_valid():
        services.panel_settings_save(panel=panel, actor=request.user, **form.cleaned_data)
        messages.success(request, "Panel settings saved")
        return redirect("scoring:panel", slug=round.slug)
    return render(
        request,
        "grants/form_page.html",
        {"round": round, "form": form, "title": f"Assessment settings for {round.name}"},
    )


@login_required
def criterion_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    round = managed_round(request, slug)
    criterion = get_object_or_404(Criterion, pk=pk, round=round) if pk else None
    form = CriterionForm(request.POST or None, instance=criterion)
    if services.criteria_locked(round):
        form.full_clean()  # add_error needs cleaned_data, which an unbound (GET) form never gets
        form.cleaned_data = getattr(form, "cleaned_data", {})
        form.add_error(None, "Scoring has started, so the criteria can no longer be changed")
    elif request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(round=round, actor=request.user, criterion=criterion, **form.service_fields())
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            messages.success(request, "Criterion saved")
            return redirect("scoring:panel", slug=round.slug)
    title = f"Change {criterion.name}" if criterion else "Add a criterion"
    return render(request, "grants/form_page.html", {"round": round, "form": form, "title": title})


@login_required
@require_POST
def criterion_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = managed_round(request, slug)
    criterion = get_object_or_404(Criterion, pk=pk, round=round)
    say_outcome(
        request, lambda: services.criterion_delete(criterion=criterion, actor=request.user), f"{criterion.name} removed"
    )
    return redirect("scoring:panel", slug=round.slug)


@login_required
def assignments(request: HttpRequest, slug: str) -> HttpResponse:
    round = managed_round(request, slug)
    page = _AssignmentsPage(request, round)
    form = page.form
    action = request.POST.get("action")
    if request.method == "POST" and action == "auto":
        try:
            created = services.assignment_auto(round=round, actor=request.user)
        except ValidationError as exc:  # no criteria yet: the page says so, with the way to add them
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"{counted(len(created), 'assignment')} made")
        return redirect("scoring:assignments", slug=round.slug)
    if request.method == "POST" and action == "assign" and form.is_valid():
        chosen = [b for b in page.bids if str(b.pk) in form.cleaned_data["bids"]]
        try:
            created, skipped = services.assignments_bulk(
                bids=chosen, assessor=form.cleaned_data["assessor"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("scoring:assignments", slug=round.slug)
        for message in skipped:
            messages.warning(request, message)
        if created:
            messages.success(request, f"{counted(len(created), 'bid')} assigned to {form.cleaned_data['assessor']}")
        return redirect("scoring:assignments", slug=round.slug)
    return page.render()


class _AssignmentsPage:
    """The assignments table, the bulk-assign form and the withdraw buttons: shown again with
    what was chosen and typed after a validation error."""

    def __init__(self, request: HttpRequest, round, *, bound: bool = True):
        self.request, self.round = request, round
        self.panel = panel_for(round)
        # Loads count every bid; the table leaves out any the viewer is barred from (so can't assign).
        self.all_bids = selectors.assignment_table(round)
        self.bids, self.barred_count = selectors.leave_out(self.all_bids, barred_bid_ids(request.user))
        self.members = list(User.objects.filter(panel_memberships__panel=self.panel).order_by("full_name", "email"))
        data = request.POST if bound and request.method == "POST" else None
        self.form = AssignForm(data, members=self.members, bids=self.bids)

    def render(self, *, withdraw_error: tuple[int, str] | None = None) -> HttpResponse:
        loads = {m.pk: 0 for m in self.members}
        for bid in self.all_bids:
            for a in bid.active_assignments:
                loads[a.assessor_id] = loads.get(a.assessor_id, 0) + 1
        for m in self.members:
            m.load = loads.get(m.pk, 0)
        post = self.request.POST if self.request.method == "POST" else {}
        context = {
            "round": self.round,
            "panel": self.panel,
            "bids": self.bids,
            "barred_count": self.barred_count,
            "members": self.members,
            "form": self.form,
            "chosen_assessor": post.get("assessor", ""),
            "chosen_bids": set(post.getlist("bids")) if post else set(),
            "withdraw_error": withdraw_error,
            "downloads": downloads_for(self.request, "assessment-assignments", self.round),
            "has_criteria": services.has_criteria(self.round),
        }
        return render(self.request, "scoring/assignments.html", context)


@login_required
@require_POST
def assignment_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The reason comes from the box beside the Withdraw button (reason_<pk>); without one the
    page is shown again with the error on that box."""
    round = managed_round(request, slug)
    row = get_object_or_404(Assignment.objects.select_related("assessor", "bid"), pk=pk, bid__round=round)
    reason = (request.POST.get(f"reason_{row.pk}") or request.POST.get("reason") or "").strip()
    if not reason:
        message = f"Enter a reason for withdrawing {row.assessor.get_full_name()} from {row.bid.reference}"
        return _AssignmentsPage(request, round, bound=False).render(withdraw_error=(row.pk, message))
    say_outcome(
        request,
        lambda: services.assignment_withdraw(assignment=row, actor=request.user, reason=reason),
        f"{row.assessor} taken off {row.bid}",
    )
    return redirect("scoring:assignments", slug=round.slug)


@login_required
def interests(request: HttpRequest, slug: str) -> HttpResponse:
    """The register: declared interests and automatic conflicts. ?format=csv|xlsx (the older
    export links) gives the same table as the download links."""
    round = managed_round(request, slug)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        table = exports.register_table(request.user, {"round": round.slug})
        return reporting_exports.response(f"{round.slug}-register-of-interests", fmt, table)
    rows, barred_count = selectors.leave_out(
        interests_register(round), barred_bid_ids(request.user), lambda row: row.bid_id
    )
    return render(
        request,
        "scoring/interests.html",
        {
            "round": round,
            "rows": rows,
            "barred_count": barred_count,
            "downloads": downloads_for(request, "assessment-register", round),
        },
    )


def bid_for_manager(request: HttpRequest, slug: str, pk: int):
    round = managed_round(request, slug)
    return round, bid_in_round_or_404(round, pk)


@login_required
def round_index(request: HttpRequest) -> HttpResponse:
    """Rounds whose assessment this person runs or may view: the way in from the header. A
    staff page: anyone without a staff role gets 404, like every other page under /staff/."""
    from grants import permissions as gperms
    from grants.models import Round

    gperms.get_or_404(gperms.is_staff_user(request.user))
    rounds = Round.objects.select_related("programme").order_by("-opens_at")
    if not gperms.has_global_staff_view(request.user):
        rounds = rounds.filter(programme_id__in=gperms.managed_programme_ids(request.user))
    rounds = list(rounds)
    for r in rounds:
        r.can_manage = gperms.can_manage_programme(request.user, r.programme)
    return render(request, "scoring/round_index.html", {"rounds": rounds})
