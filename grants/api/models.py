"""Personal API tokens: the secret is shown once and only its SHA-256 is kept.

A token opens the API as its owner, with nothing more: each request reads the owner's roles and
council afresh (grants.permissions, grants.people_selectors), so a person who is deactivated or
loses a role has a token that sees that much less at once. It always has an expiry.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

DEFAULT_LIFETIME = timedelta(days=90)
MAX_LIFETIME = timedelta(days=365)
PREFIX_LENGTH = 8  # shown on the token page so a person can tell their tokens apart


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now=None):
        """Neither revoked nor expired (the owner being active is checked by the caller)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, for example Finance system export")
    prefix = models.CharField(max_length=PREFIX_LENGTH + 3, db_index=True)
    # hex SHA-256 of the whole secret: the secret itself is never stored.
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="apitoken_expires_after_created"
            )
        ]

    def __str__(self) -> str:
        # The throttle's key (ninja hashes str(request.auth)): one bucket per token.
        return f"api-token-{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
