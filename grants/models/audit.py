"""One audit trail for every state change in every app."""

from django.conf import settings
from django.db import models

from grants.core.audit import action_label


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=80)
    # A string reference keeps every app free to audit without importing the others.
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    @property
    def label(self) -> str:
        """The action as people read it (grants.core.audit), for a history row with no summary."""
        return action_label(self.action)
