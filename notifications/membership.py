"""Emails about requests to join an organisation (grants.membership decides them; this layer tells
the person). Registered as grants.membership's decided hook in NotificationsConfig.ready."""

from django.urls import reverse

from grants.models import MembershipRequest, MembershipStatus

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
