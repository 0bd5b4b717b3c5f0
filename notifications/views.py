"""The notification centre, preferences and the staff page of failed emails. Thin: services do the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from grants.core.downloads import download_links
from grants.core.words import counted
from grants.decorators import role_required
from grants.permissions import is_panel_member, is_staff_user

from . import selectors, services
from .forms import FailedFilterForm, PreferencesForm
from .permissions import can_see_failed


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/centre.html", {"page": page, "can_see_failed": can_see_failed(request.user)})


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read; another person's notification is a 404."""
    n = get_object_or_404(selectors.inbox(user=request.user), pk=pk)
    services.mark_read(user=request.user, notification_id=n.pk)
    if n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts={request.get_host()}):
        return redirect(n.url)
    return redirect("notifications:centre")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is not None and not selectors.inbox(user=request.user).filter(pk=pk).exists():
        raise Http404
    count = services.mark_read(user=request.user, notification_id=pk)
    if pk is None:
        messages.success(request, f"{counted(count, 'notification')} marked as read")
    return redirect("notifications:centre")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    digest_allowed = is_staff_user(request.user) or is_panel_member(request.user)
    pref = services.preference_for(request.user)
    form = PreferencesForm(request.POST or None, preference=pref, digest_allowed=digest_allowed)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=request.user,
            emails_off=form.emails_off(),
            daily_digest=form.cleaned_data.get("daily_digest") == "yes",
            round_opening_alerts=form.cleaned_data["round_opening_alerts"] == "yes",
        )
        messages.success(request, "Your notification settings have been saved")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@role_required(can_see_failed)
def failed_list(request: HttpRequest) -> HttpResponse:
    """Administrators see every failed email; programme managers those about their programmes."""
    form = FailedFilterForm(request.GET or None, user=request.user)
    emails = selectors.failed_emails(user=request.user, **form.filters())
    page = Paginator(emails, 50).get_page(request.GET.get("page"))
    downloads = download_links(request, "failed-emails", params=form.applied())
    return render(request, "notifications/failed_list.html", {"page": page, "form": form, "downloads": downloads})


@role_required(can_see_failed)
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    n = get_object_or_404(selectors.emails_for_staff(user=request.user).select_related("recipient"), pk=pk)
    try:
        services.resend(actor=request.user, notification=n)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Email to {n.recipient.email} queued again")
    return redirect("notifications:failed_list")
