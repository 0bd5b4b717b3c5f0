"""Emails about requests to join an organisation (grants.membership decides them; this layer tells
the person). Registered as grants.membership's decided hook in NotificationsConfig.ready."""

from django.urls import reverse

from grants.membership import goes_to_signatory
from grants.models import MembershipRequest, MembershipStatus, StaffRole, User
from grants.people_selectors import council_signatories

from .services import notify


def membership_decided(request: MembershipRequest) -> None:
    """Approval or decline, sent once per request, inside the deciding transaction."""
    approved = request.status == MembershipStatus.APPROVED
    context = {"organisation_name": request.organisation.name}
    if approved:
        if request.decided_by is not None:
            context["decided_by"] = request.decided_by.get_full_name()
    elif request.reason:
        context["reason"] = request.reason
    notify(
        recipient=request.user,
        event="membership_approved" if approved else "membership_declined",
        context=context,
        dedupe_key=f"membership:{request.pk}:{request.status}",
        url=reverse("home") if approved else reverse("grants:join"),
    )


def membership_requested(request: MembershipRequest) -> None:
    """Tell whoever decides a new request: the council's signatories when it came from an address
    at its domain, else the administrators."""
    if goes_to_signatory(request):
        deciders = council_signatories(organisation_ids=[request.organisation_id])
    else:
        deciders = User.objects.filter(is_active=True, staff_roles__role=StaffRole.Role.ADMINISTRATOR)
    url = reverse("grants:join_request", args=[request.pk])
    context = {"person": request.user.get_full_name(), "organisation_name": request.organisation.name}
    if request.matched_domain:
        context["matched_domain"] = request.matched_domain
    for decider in deciders.order_by("pk"):
        notify(
            recipient=decider,
            event="membership_requested",
            context=context,
            dedupe_key=f"membership:{request.pk}:requested",
            url=url,
        )
