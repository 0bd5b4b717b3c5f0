"""Programme staff and panel members must turn on two-factor authentication before anything else."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .entrances import SET_UP_KEY, SET_UP_PAGE, end_set_up, remember_set_up_destination
from .permissions import mfa_enabled, requires_mfa

# Pages open to a signed-in user who has not yet set up MFA: public pages and account pages.
OPEN_PREFIXES = ("/accounts/", "/static/", "/rounds/", "/open-data/", "/healthz", "/readyz", "/accessibility/")
# The pages a public service owes (grants/public_views.py): help, privacy and cookies.
OPEN_PREFIXES += ("/privacy/", "/cookies/", "/help/")
# The JSON API reads no session (a token, grants/api/auth.py), so a session's MFA state is not its
# business: its docs and schema are public, and its calls answer 401 without a token.
OPEN_PREFIXES += ("/api/v1/",)


class RequireStaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path == reverse(SET_UP_PAGE):
            # The set-up page remembers the `next` it was opened with (if it is on this service)
            # for the Continue button after the recovery codes.
            if request.user.is_authenticated and request.GET.get("next"):
                remember_set_up_destination(request, request.GET["next"])
        elif (
            path != "/"
            and not path.startswith(OPEN_PREFIXES)
            and request.user.is_authenticated
            and requires_mfa(request.user)
        ):
            if not mfa_enabled(request.user):
                messages.warning(
                    request, "Set up two-factor authentication before you continue. Your role requires it."
                )
                # The whole address, query string included, so a filtered list or a link from an
                # email opens as it was asked for once MFA is set up.
                return redirect(f"{reverse(SET_UP_PAGE)}?{urlencode({'next': request.get_full_path()})}")
            if SET_UP_KEY in request.session:
                end_set_up(request)  # on to their work with two-factor on: set-up is over
        return self.get_response(request)


class StripNulMiddleware:
    """Drop NUL characters from query strings and form posts before any view sees them.

    Browsers never send them, PostgreSQL refuses them in text and JSON, and Django's form fields
    reject them one field at a time; removing them once here means a stray byte can never turn
    into a server error on a page that reads raw values (filters, answers).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = _without_nul(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _without_nul(request.POST)
        return self.get_response(request)


def _without_nul(data):
    if not any("\x00" in v for _, values in data.lists() for v in values if isinstance(v, str)):
        return data
    clean = data.copy()
    for key, values in data.lists():
        clean.setlist(key, [v.replace("\x00", "") if isinstance(v, str) else v for v in values])
    clean._mutable = False
    return clean
