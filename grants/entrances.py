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

Staff and panel members must have two-factor on (grants.middleware). Someone who signs in without
it goes straight to set-up, with where they were going remembered, and is not asked for the
password they typed a moment ago: for a short while after that sign-in, and only on the set-up
pages (the authenticator form, and the recovery codes that set-up made), the sign-in stands in for
allauth's reauthentication. Every other sensitive action (turning two-factor off, new codes,
codes seen later) still asks for proof.
"""

import time
from datetime import UTC, datetime

from allauth.account import forms as account_forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from allauth.core.internal.httpkit import add_query_params
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from .core.links import ServiceSite, service_url
from .permissions import mfa_enabled, requires_mfa

# The session's record of a two-factor set-up in progress: whose, where to go afterwards, and when
# the password was given (0 when set-up did not start at sign-in).
SET_UP_KEY = "grantbench_mfa_set_up"
SET_UP_PAGE = "mfa_activate_totp"
CODES_PAGES = ("mfa_view_recovery_codes", "mfa_download_recovery_codes")


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


def safe_next(request: HttpRequest, url: str | None) -> str | None:
    """`url` if it stays on this service (same host, same scheme or better), else None."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def _set_up(request: HttpRequest) -> dict:
    state = request.session.get(SET_UP_KEY)
    if isinstance(state, dict) and state.get("user") == str(request.user.pk):
        return state
    return {}


def remember_set_up_destination(request: HttpRequest, url: str | None) -> None:
    """Keep where the person was going, if it is on this service, for the Continue button after
    set-up; allauth's own set-up pages drop `next` between the form and the codes."""
    url = safe_next(request, url)
    if url:
        request.session[SET_UP_KEY] = {**_set_up(request), "user": str(request.user.pk), "next": url}


def set_up_destination(request: HttpRequest) -> str:
    """Where Continue goes once the codes are saved: the page asked for, else the two-factor page
    (someone who came from there to look at their codes)."""
    return safe_next(request, _set_up(request).get("next")) or reverse("mfa_index")


def end_set_up(request: HttpRequest) -> None:
    request.session.pop(SET_UP_KEY, None)


def _set_up_window() -> int:
    return settings.GRANTBENCH_MFA_SET_UP_SECONDS


def signed_in_for_set_up(request: HttpRequest) -> bool:
    """True on the set-up pages shortly after a password sign-in that started set-up: the
    password then is the proof allauth's reauthentication would ask for again.

    The authenticator form counts while two-factor is still off; the recovery codes pages while
    the codes are the ones made after that sign-in, and freshly made."""
    user = request.user
    signed_in_at = _set_up(request).get("signed_in_at") or 0
    now = time.time()
    if not user.is_authenticated or now - signed_in_at > _set_up_window():
        return False
    page = request.resolver_match.url_name if request.resolver_match else None
    if page == SET_UP_PAGE:
        return not mfa_enabled(user)
    if page in CODES_PAGES:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(
            user=user,
            type=Authenticator.Type.RECOVERY_CODES,
            created_at__gte=datetime.fromtimestamp(max(signed_in_at, now - _set_up_window()), tz=UTC),
        ).exists()
    return False


class AccountAdapter(DefaultAccountAdapter):
    def get_reauthentication_methods(self, user) -> list[dict]:
        """With two-factor on, the password is no longer offered, and allauth's password
        reauthentication page sends the person to the code page instead."""
        methods = super().get_reauthentication_methods(user)
        if user.is_authenticated and mfa_enabled(user):
            methods = [m for m in methods if m["id"] != "reauthenticate"]
        return methods

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = self.request
        if required and app == "allauth.mfa" and request is not None and signed_in_for_set_up(request):
            return False
        return required

    def post_login(self, request: HttpRequest, user, **kwargs) -> HttpResponse:
        """Someone whose role needs two-factor and who has none goes from the password straight to
        setting it up, and on to the page they asked for (allauth's checked `next`, else home)."""
        response = super().post_login(request, user, **kwargs)
        if not (requires_mfa(user) and not mfa_enabled(user) and isinstance(response, HttpResponseRedirect)):
            return response
        destination = safe_next(request, response.url) or resolve_url(settings.LOGIN_REDIRECT_URL)
        request.session[SET_UP_KEY] = {"user": str(user.pk), "next": destination, "signed_in_at": time.time()}
        return HttpResponseRedirect(add_query_params(reverse(SET_UP_PAGE), {REDIRECT_FIELD_NAME: destination}))

    def add_message(self, request: HttpRequest, level: int, message_template: str | None = None, *args, **kwargs):
        """Turning two-factor on also makes the first recovery codes: one banner says both, not a
        second one announcing "new" codes to someone who never had any."""
        if message_template == "mfa/messages/totp_activated.txt":
            request._grantbench_mfa_turned_on = True
        elif message_template == "mfa/messages/recovery_codes_generated.txt" and getattr(
            request, "_grantbench_mfa_turned_on", False
        ):
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def confirm_email(self, request: HttpRequest, email_address) -> bool:
        """Confirming an address at a domain an organisation owns asks to join it (grants.membership):
        the address is now proven, so its signatory can trust where the request came from."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed and email_address.email.lower() == email_address.user.email.lower():
            from .membership import request_by_domain

            request_by_domain(user=email_address.user)
        return confirmed

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "Enter the email address and password of your account: they do not match",
        "enter_current_password": "Enter your current password",
        "incorrect_password": "The password is not right: try again",
        "email_taken": "An account already uses this email address: sign in instead",
        "rate_limited": "You have done this too many times. Wait a few minutes and try again",
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth builds its links (confirm your address, reset your password, sign up) from the
        request's host; every link in an email goes through `service_url` instead, so it opens on
        the service's public address (GRANTBENCH_BASE_URL) like the notification emails."""
        context = {
            key: service_url(value) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        super().send_mail(template_prefix, email, {"current_site": ServiceSite(), **context})


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "The code is not right: enter the code your app shows now",
    }


# What each empty field says, in the words GOV.UK uses ("Enter ..."), whichever allauth form it is on.
REQUIRED = {
    "login": "Enter your email address",
    "email": "Enter your email address",
    "password": "Enter your password",
    "oldpassword": "Enter your current password",
    "password1": "Enter a password",
    "password2": "Enter the password again",
    "code": "Enter the code from your authenticator app",
}


def _plain(form_class):
    """allauth's form with the service's messages for empty fields."""

    class Plain(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name, field in self.fields.items():
                if name in REQUIRED:
                    field.error_messages["required"] = REQUIRED[name]

    Plain.__name__ = Plain.__qualname__ = form_class.__name__
    return Plain


LoginForm = _plain(account_forms.LoginForm)
SignupForm = _plain(account_forms.SignupForm)
AddEmailForm = _plain(account_forms.AddEmailForm)
ChangePasswordForm = _plain(account_forms.ChangePasswordForm)
SetPasswordForm = _plain(account_forms.SetPasswordForm)
ResetPasswordForm = _plain(account_forms.ResetPasswordForm)
ResetPasswordKeyForm = _plain(account_forms.ResetPasswordKeyForm)
ReauthenticateForm = _plain(account_forms.ReauthenticateForm)
AuthenticateForm = _plain(mfa_forms.AuthenticateForm)
MFAReauthenticateForm = _plain(mfa_forms.ReauthenticateForm)
ActivateTOTPForm = _plain(totp_forms.ActivateTOTPForm)
