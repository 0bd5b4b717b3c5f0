"""The outbox: one row per message per channel, and each user's notification preferences.

A row is written inside the caller's transaction, so a rolled-back change leaves no message;
the dedupe key (unique per recipient and channel) makes a reminder go once however often the
scheduler runs.
"""

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    IN_APP = "in_app", "In the service"


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    DIGEST = "digest", "Waiting for the daily digest"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class NotificationQuerySet(models.QuerySet):
    def in_app(self):
        return self.filter(channel=Channel.IN_APP)

    def unread(self):
        return self.in_app().filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    event = models.CharField(max_length=50)
    # Text, not a 255-character field: a subject naming a long bid title and a partner is kept whole.
    subject = models.TextField(help_text="Rendered when written, so lists never render templates")
    context = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Path of the page to act on, e.g. /bids/12/")
    programme = models.ForeignKey(
        "grants.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The programme the message is about, so its managers can see and resend failed emails",
    )
    dedupe_key = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="When a queued email is next due a try")
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "channel", "dedupe_key"], name="notification_dedupe"),
        ]
        indexes = [
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox"),
            models.Index(fields=["channel", "status"], name="notification_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.recipient_id}: {self.subject}"


class Preference(models.Model):
    """A user's choices. No row means the defaults: every email, no digest, no round alerts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    emails_off = models.JSONField(default=list, blank=True, help_text="Names of non-essential events not to email")
    daily_digest = models.BooleanField(default=False, help_text="Staff and panel members: one email a day instead")
    round_opening_alerts = models.BooleanField(default=False, help_text="Email me when a round I may bid for opens")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"
