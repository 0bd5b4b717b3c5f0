"""Bearer tokens and the per-token rate limit for the API (ninja's auth and throttle hooks)."""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from .models import ApiToken
from .services import token_for_secret


class TokenAuth(HttpBearer):
    """`Authorization: Bearer gb_...`. The request then acts as the token's owner, with the roles
    they hold now; a missing, wrong, expired or revoked token, or one of a deactivated person,
    answers 401. Sessions are never read: a browser's cookie opens no API call."""

    openapi_description = "A personal API token from your account's API tokens page, as `Bearer gb_...`."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_for_secret(token)
        if found is None:
            return None
        request.user = found.user
        return found


class TokenThrottle(AuthRateThrottle):
    """API_RATE_LIMIT requests per token (one bucket per token, in the default cache); read on
    each request so a settings change needs no restart of the throttle."""

    scope = "api-token"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
