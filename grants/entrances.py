"""Every way in is allauth's, with its two-factor stage and its rate limits.

The Django admin used to have a sign-in of its own that took a password alone and counted no
failures, so it was a second, weaker front door. Now it has none: `/admin/login/` only sends people
on, and the admin opens to active superusers (`is_staff` too, Django's "may use the admin") who have
two-factor on. A superuser without two-factor is sent to set it up; anyone else signed in is
refused. The login view never reads a posted password, so a signed-in person cannot use it to
become someone else with a password alone.

Reauthentication, which allauth asks for before turning two-factor off or showing recovery codes,
takes a code from a person with two-factor on: a stolen session plus a password must not be
enough to switch the second factor off.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from allauth.core.internal.httpkit import add_query_params
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.views.decorators.cache import never_cache

from .core.links import ServiceSite, service_url
from .permissions import mfa_enabled


def admin_may_enter(request: HttpRequest) -> bool:
    """The admin site's `has_permission`: every admin page asks it."""
    user = request.user
    return user.is_active and user.is_staff and user.is_superuser and mfa_enabled(user)


@never_cache
def admin_login(request: HttpRequest, extra_context=None) -> HttpResponseRedirect:
    """Stands in for `AdminSite.login`: sends people to allauth's sign-in (then back), to two-factor
    set-up, or refuses them. Unlike allauth's `secure_admin_login`, it never hands a signed-in
    person to Django's password form."""
    user = request.user
    next_url = get_next_redirect_url(request) or reverse("admin:index")
    if not user.is_authenticated:
        return HttpResponseRedirect(add_query_params(resolve_url(settings.LOGIN_URL), {REDIRECT_FIELD_NAME: next_url}))
    if admin_may_enter(request):
        return HttpResponseRedirect(next_url)
    if user.is_active and user.is_staff and user.is_superuser:
        return HttpResponseRedirect(add_query_params(reverse("mfa_activate_totp"), {REDIRECT_FIELD_NAME: next_url}))
    raise PermissionDenied("The admin is for superusers")


class AccountAdapter(DefaultAccountAdapter):
    def get_reauthentication_methods(self, user) -> list[dict]:
        """With two-factor on, the password is no longer offered, and allauth's password
        reauthentication page sends the person to the code page instead."""
        methods = super().get_reauthentication_methods(user)
        if user.is_authenticated and mfa_enabled(user):
            methods = [m for m in methods if m["id"] != "reauthenticate"]
        return methods

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth builds its links (confirm your address, reset your password, sign up) from the
        request's host; every link in an email goes through `service_url` instead, so it opens on
        the service's public address (GRANTBENCH_BASE_URL) like the notification emails."""
        context = {
            key: service_url(value) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        super().send_mail(template_prefix, email, {"current_site": ServiceSite(), **context})
