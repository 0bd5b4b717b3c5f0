"""Keep pages and files that depend on who asks out of every cache.

A shared computer's browser cache, a proxy or a CDN would otherwise keep a signed-in person's bid,
offer letter or export after they sign out, and could hand one visitor's CSRF or session cookie to
the next. Static files never reach this middleware (whitenoise answers them first, with their own
long caching), and an anonymous answer that sets no cookie and does not vary on one (an open data
file, the health check) is the same for everyone, so it keeps whatever caching its view chose.
"""

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import has_vary_header

PRIVATE = "private, no-store"


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_personal(request, response):
            # Replaces whatever the view set: `no-store` alone is not enough for old proxies, and
            # `max-age` or `public` beside it would contradict it.
            response["Cache-Control"] = PRIVATE
        return response


def is_personal(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the answer belongs to one person: asked by a signed-in user (the user is read
    after the view, so a sign-out's own response counts by its cookie), setting a cookie, or
    depending on the cookies the request carried (Django marks that with `Vary: Cookie`)."""
    user = getattr(request, "user", None)
    return bool((user is not None and user.is_authenticated) or response.cookies or has_vary_header(response, "Cookie"))
