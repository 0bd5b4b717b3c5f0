"""Header data for the notification centre: the unread count, counted only if a page shows it."""

from .models import Notification


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}

    def unread_notification_count() -> int:
        # Templates call this lazily, so pages without the header pay nothing; one COUNT otherwise.
        if not hasattr(request, "_unread_notification_count"):
            request._unread_notification_count = Notification.objects.unread().filter(recipient=user).count()
        return request._unread_notification_count

    return {"unread_notification_count": unread_notification_count}
