"""The contact log: monitoring calls and meetings programme staff hold with an award's council.

Staff-only, like internal notes: no council page, export, PDF or message shows an entry.
"""

from django.conf import settings
from django.db import models


class ContactKind(models.TextChoices):
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    MEETING = "meeting", "Meeting"
    EMAIL = "email", "Email"
    SITE_VISIT = "site_visit", "Site visit"


class ContactLogEntry(models.Model):
    award = models.ForeignKey("awards.Award", on_delete=models.CASCADE, related_name="contacts")
    held_on = models.DateField()
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    participants = models.CharField(max_length=500)
    agreed = models.TextField()
    follow_up_by = models.DateField(null=True, blank=True)
    # When the follow-up was done (issue 17): a follow-up is due from `follow_up_by` until then.
    followed_up_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "contact log entry"
        verbose_name_plural = "contact log entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%Y-%m-%d}"
