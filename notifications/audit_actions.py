"""The audit actions notifications records: found at start-up by autodiscover_modules("audit_actions")."""

from grants.core.audit import STAFF, declare_many

declare_many(
    {
        "notification.resend": "Failed email sent again",
        "notifications.preferences": "Notification preferences changed",
    },
    audience=STAFF,
)
