"""Authenticator-app codes for tests: one owner, so no test types a code that expires on the way.

A code is computed for the current 30-second step; a browser journey can take a second or two to
post it, so near the end of a step we wait for the next one rather than race the boundary."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

_MARGIN_SECONDS = 3


def current_code(secret: str) -> str:
    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < _MARGIN_SECONDS:
        time.sleep(period - time.time() % period + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def user_code(user) -> str:
    """The current code for a user whose two-factor is on."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return current_code(decrypt(auth.data["secret"]))
