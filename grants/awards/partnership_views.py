"""Standing partnerships (issue 17): the list, forming one, one partnership (members over time,
awards across phases) and its members joining and leaving. Programme managers change them; the programme's
other staff, and the officers of member councils, read them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from applications.permissions import barred_bid_ids
from grants import permissions as gperms
from grants.core.forms import save_with_form
from grants.models import Partnership, PartnershipMember, Programme
from grants.permissions import get_or_404

from . import partnership_forms as forms
from . import permissions as perms
from . import services
from .selectors import STANDING
from .views import posted, save_form


def _partnership_or_404(request: HttpRequest, pk: int, *, manage: bool = False) -> Partnership:
    partnership = get_object_or_404(Partnership.objects.select_related("programme", "lead"), pk=pk)
    get_or_404(perms.can_view_partnership(request.user, partnership))
    if manage:
        get_or_404(perms.can_manage_partnership(request.user, partnership))
    return partnership


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    get_or_404(perms.can_list_partnerships(user))
    today = timezone.localdate()
    qs = Partnership.objects.select_related("programme", "lead")
    if not gperms.has_global_staff_view(user):
        qs = qs.filter(programme_id__in=gperms.managed_programme_ids(user))
    current = Q(members__joined_on__lte=today) & (Q(members__left_on__isnull=True) | Q(members__left_on__gt=today))
    qs = qs.annotate(current=Count("members", filter=current, distinct=True)).order_by("programme__name", "name")
    awards = dict(
        Partnership.objects.filter(pk__in=qs.values("pk"), awards__status__in=STANDING)
        .values_list("pk")
        .annotate(n=Count("awards"))
        .order_by()
    )
    rows = [(p, awards.get(p.pk, 0)) for p in qs]
    return render(request, "awards/partnerships.html", {"rows": rows, "can_form": perms.can_form_partnership(user)})


@login_required
def partnership_new(request: HttpRequest) -> HttpResponse:
    """Form a partnership for one of the programmes the person manages (any, for administrators)."""
    user = request.user
    get_or_404(perms.can_form_partnership(user))
    programmes = Programme.objects.order_by("name")
    if not gperms.is_administrator(user):
        programmes = programmes.filter(pk__in=gperms.managed_programme_ids(user))
    form = forms.PartnershipForm(posted(request), programmes=programmes)

    def save(data: dict) -> HttpResponse:
        partnership = services.partnership_create(actor=user, **data)
        messages.success(request, f"{partnership.name} formed")
        return redirect(partnership)

    return save_with_form(request, form, save) or render(request, "awards/partnership_new.html", {"form": form})


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership_or_404(request, pk)
    today = timezone.localdate()
    members = list(partnership.members.select_related("organisation").order_by("joined_on", "organisation__name"))
    awards = (
        partnership.awards.exclude(bid_id__in=barred_bid_ids(request.user))  # a conflict: listed nowhere
        .select_related("round")
        .annotate(partner_count=Count("partners"))
        .order_by("award_date", "reference")
    )
    total = awards.filter(status__in=STANDING).aggregate(s=Sum("amount"))["s"]
    return render(
        request,
        "awards/partnership_detail.html",
        {
            "partnership": partnership,
            "members": [(m, m.is_member_on(today)) for m in members],
            "current": sum(1 for m in members if m.is_member_on(today)),
            "awards": awards,
            "total": total,
            "can_manage": perms.can_manage_partnership(request.user, partnership),
            "can_see_awards": gperms.can_view_programme(request.user, partnership.programme),
        },
    )


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership_or_404(request, pk, manage=True)
    form = forms.MemberAddForm(posted(request))
    done = save_form(
        request,
        form,
        lambda data: services.partnership_member_add(partnership=partnership, actor=request.user, **data),
        success="Council added",
        to=partnership.get_absolute_url(),
    )
    return done or _form_page(request, partnership, form, "Add a council that joined")


@login_required
def member_leave(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    partnership = _partnership_or_404(request, pk, manage=True)
    member = get_object_or_404(
        PartnershipMember.objects.select_related("organisation"), pk=mid, partnership=partnership
    )
    form = forms.MemberLeaveForm(posted(request))
    done = save_form(
        request,
        form,
        lambda data: services.partnership_member_leave(member=member, actor=request.user, **data),
        success=f"{member.organisation} recorded as having left",
        to=partnership.get_absolute_url(),
    )
    return done or _form_page(request, partnership, form, f"Record that {member.organisation} left")


def _form_page(request, partnership, form, title: str) -> HttpResponse:
    return render(request, "awards/partnership_form.html", {"partnership": partnership, "form": form, "title": title})
