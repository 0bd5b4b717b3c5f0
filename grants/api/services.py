"""Making, revoking and checking API tokens (issue 18). Writes audit records; the secret is
returned once to be shown once, and only its SHA-256 is stored."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from grants.core.audit import audit_record
from grants.models import User

from .models import MAX_LIFETIME, PREFIX_LENGTH, ApiToken

SECRET_START = "gb_"  # noqa: S105 (the start every token shares, not a secret)
# last_used_at is written at most this often per token, so a busy client costs no write per request.
LAST_USED_EVERY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(*, user: User, name: str, lifetime: timedelta) -> tuple[ApiToken, str]:
    """A new token for `user`, and its secret (show it once: it cannot be read again)."""
    if not timedelta(days=1) <= lifetime <= MAX_LIFETIME:
        raise ValueError("A token lasts between 1 day and 1 year")
    secret = SECRET_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(SECRET_START) + PREFIX_LENGTH],
        secret_hash=hash_secret(secret),
        expires_at=timezone.now() + lifetime,
    )
    audit_record(actor=user, action="api_token.create", target=token, summary=f"{token.name} ({token.prefix})")
    return token, secret


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User) -> None:
    """Revoked at once: the next request with it answers 401. Revoking twice changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=by, action="api_token.revoke", target=token, summary=f"{token.name} ({token.prefix})")


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token with this secret whose owner is active, or None (one query). Marks it used."""
    if not secret.startswith(SECRET_START) or len(secret) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.live(now)
        .select_related("user")
        .filter(secret_hash=hash_secret(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
