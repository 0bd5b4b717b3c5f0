"""Reads for the notification centre and the failed-email page, at a fixed number of queries."""

from django.db.models import QuerySet

from .models import Channel, Notification, Status


def inbox(*, user) -> QuerySet[Notification]:
    return (
        Notification.objects.in_app()
        .filter(recipient=user)
        .only("pk", "subject", "url", "event", "created_at", "read_at", "recipient_id")
    )


def failed_emails() -> QuerySet[Notification]:
    return (
        Notification.objects.filter(channel=Channel.EMAIL, status=Status.FAILED)
        .select_related("recipient", "recipient__organisation")
        .order_by("-created_at", "-pk")
    )
