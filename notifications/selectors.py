"""Reads for the notification centre and the failed-email page, at a fixed number of queries."""

from django.db.models import QuerySet

from grants.models import Programme

from .models import Channel, Notification, Status
from .permissions import failed_scope


def inbox(*, user) -> QuerySet[Notification]:
    return (
        Notification.objects.in_app()
        .filter(recipient=user)
        .only("pk", "subject", "url", "event", "created_at", "read_at", "recipient_id")
    )


def emails_for_staff(*, user) -> QuerySet[Notification]:
    """Every email row `user` may act on: all for administrators, their programmes' for managers."""
    qs = Notification.objects.filter(channel=Channel.EMAIL)
    scope = failed_scope(user)
    return qs if scope is None else qs.filter(programme_id__in=scope)


def failed_emails(*, user, event: str = "", programme: Programme | None = None) -> QuerySet[Notification]:
    qs = emails_for_staff(user=user).filter(status=Status.FAILED)
    if event:
        qs = qs.filter(event=event)
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.select_related("recipient", "recipient__organisation", "programme").order_by("-created_at", "-pk")


def failed_programmes(*, user) -> QuerySet[Programme]:
    """The programmes `user` may filter the failed emails by."""
    qs = Programme.objects.order_by("name")
    scope = failed_scope(user)
    return qs if scope is None else qs.filter(pk__in=scope)
