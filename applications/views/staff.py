"""Staff pages for a round's bids: the list with filters and figures, exports, return,
ineligible and extensions. Staff of other programmes get 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from grants import permissions as gperms
from grants.core import exports as reporting_exports
from grants.core.downloads import download_links
from grants.core.forms import save_with_form
from grants.core.rows import id_url
from grants.models import Round
from grants.models.organisations import COUNCIL_KINDS, REGIONS, OrgKind

from .. import exports, services, staff_selectors
from .. import permissions as perms
from ..forms import ExtensionForm, ReasonForm
from ..models import BidStage, BidStatus, Extension
from . import bid_list_rows
from .common import bid_for

PAGE_SIZE = 50


def staff_round(request, slug, manage: bool = False) -> Round:
    return perms.staff_round_or_404(request.user, slug, manage=manage)


@login_required
def staff_bid_list(request, slug):
    round = staff_round(request, slug)
    filters, sort = exports.staff_filters(request.GET)
    bids = staff_selectors.staff_bid_list_rows(staff_selectors.staff_bids(round=round, sort=sort, **filters))
    bids, barred_count = perms.without_barred(bids, request.user, round=round)
    figures = staff_selectors.round_bid_figures(round=round)  # barred bids still count here
    paginator = Paginator(bids, PAGE_SIZE)
    if not any(filters.values()):
        # Unfiltered, the list is the round's bids less those this person is barred from, both
        # counted already: no second pass over the round to count them again.
        paginator.count = figures["total"] - barred_count
    page = paginator.get_page(request.GET.get("page"))
    detail_url = id_url("applications:bid_detail")
    partners = staff_selectors.partner_names([row[0] for row in page])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/staff_bid_list.html",
        {
            "round": round,
            "page": page,
            "rows": [bid_list_rows.row_html(r, detail_url=detail_url, partners=partners.get(r[0], [])) for r in page],
            "filters": filters,
            "sort": sort,
            "query": query.urlencode(),
            "figures": figures,
            "barred_count": barred_count,
            "open_clarifications": staff_selectors.round_open_clarifications(round=round, user=request.user),
            "statuses": BidStatus.choices,
            "stages": BidStage.choices,
            "regions": REGIONS,
            "kinds": [(k, OrgKind(k).label) for k in COUNCIL_KINDS],
            "sorts": list(staff_selectors.STAFF_SORT_LABELS.items()),
            "can_manage": gperms.can_manage_programme(request.user, round.programme),
            "downloads": download_links(request, "round-bids", round=round.slug),
        },
    )


@login_required
def staff_bid_export(request, slug, fmt):
    """The older download address: the same registered table, with any filters it was given."""
    round = staff_round(request, slug)
    if fmt not in reporting_exports.FORMATS:
        raise Http404
    params = request.GET.copy()
    params["round"] = round.slug
    response = reporting_exports.response(
        "round-bids", fmt, reporting_exports.build("round-bids", request.user, params)
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{round.slug}-bids-{stamp}.{fmt}"'
    return response


def _reason_action(request, slug, pk, service, label, submit, done):
    round = staff_round(request, slug, manage=True)
    bid = bid_for(request, pk, perms.can_manage_bid)
    if bid.round_id != round.pk:
        raise Http404
    form = ReasonForm(request.POST or None, label=label, submit=submit)

    def act(data):
        service(bid=bid, actor=request.user, reason=data["reason"])
        messages.success(request, done)
        return redirect(bid)

    return save_with_form(request, form, act) or render(
        request, "applications/form_page.html", {"bid": bid, "round": bid.round, "form": form, "title": submit}
    )


@login_required
def staff_bid_return(request, slug, pk):
    return _reason_action(
        request,
        slug,
        pk,
        services.return_bid,
        "What must the council change?",
        "Return bid for changes",
        "Bid returned to the council",
    )


@login_required
def staff_bid_ineligible(request, slug, pk):
    return _reason_action(
        request,
        slug,
        pk,
        services.mark_ineligible,
        "Why is this bid ineligible? The council will see this",
        "Mark bid ineligible",
        "Bid marked ineligible",
    )


@login_required
def staff_extensions(request, slug):
    round = staff_round(request, slug, manage=True)
    form = ExtensionForm(request.POST or None)

    def grant(data):
        services.grant_extension(round=round, actor=request.user, **data)
        messages.success(request, f"Extension granted to {data['organisation'].short_name}")
        return redirect("applications:staff_extensions", slug=round.slug)

    extensions = Extension.objects.filter(round=round).select_related("organisation", "granted_by")
    return save_with_form(request, form, grant) or render(
        request, "applications/staff_extensions.html", {"round": round, "form": form, "extensions": extensions}
    )
