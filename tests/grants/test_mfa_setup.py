"""Two-factor set-up at sign-in: staff and panel members without it go from the password straight
to set-up (no second password prompt), see their recovery codes on the page, and Continue to the
page they asked for. Everything else that needs proof still asks for it."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from grants.entrances import SET_UP_KEY
from tests import factories as f
from tests.conftest import enable_mfa
from tests.totp import current_code

pytestmark = pytest.mark.django_db

WANTED = reverse("grants:staff_organisations") + "?q=Kent&page=2"


def _manager():
    return f.StaffRoleFactory(role="programme_manager", programme=f.ProgrammeFactory()).user


def _sign_in(client, user, next_url: str | None = WANTED):
    data = {"login": user.email, "password": f.PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("account_login"), data)


def _set_up(client) -> None:
    """Fill in the set-up page as someone would: the secret it shows, a code from it."""
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page.get("Location")
    secret = re.search(r'id="setup-key">([A-Z2-7]+)<', page.content.decode()).group(1)
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302 and response.url == reverse("mfa_view_recovery_codes")


def _continue_href(page) -> str:
    match = re.search(r'<a class="govuk-button[^"]*"[^>]*href="([^"]*)"[^>]*>Continue</a>', page.content.decode())
    assert match, "no Continue button"
    return unescape(match.group(1))


def _codes(user) -> list[str]:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()


def test_sign_in_sets_up_two_factor_without_a_second_password_and_continues_to_next(client):
    user = _manager()
    response = _sign_in(client, user)
    assert response.status_code == 302
    location = urlsplit(response.url)
    assert location.path == reverse("mfa_activate_totp")
    assert parse_qs(location.query)["next"] == [WANTED]

    page = client.get(response.url)
    assert page.status_code == 200  # the set-up form itself, not "Confirm access"
    assert "Set up two-factor authentication" in page.content.decode()
    _set_up(client)

    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    assert codes_page.status_code == 200
    html = codes_page.content.decode()
    codes = _codes(user)
    assert len(codes) == 10 and all(f"<code>{code}</code>" in html for code in codes)

    target = _continue_href(codes_page)
    assert target == WANTED
    assert client.get(target).status_code == 200
    assert SET_UP_KEY not in client.session  # set-up is over: its grant ends with it


def test_a_panel_member_goes_home_when_no_page_was_asked_for(client):
    member = f.PanelMemberFactory().user
    response = _sign_in(client, member, next_url=None)
    assert parse_qs(urlsplit(response.url).query)["next"] == [reverse("home")]
    _set_up(client)
    assert _continue_href(client.get(reverse("mfa_view_recovery_codes"))) == reverse("home")


@pytest.mark.parametrize("unsafe", ["https://evil.example/phish", "//evil.example/phish", "http://testserver.evil/"])
def test_an_address_off_the_service_is_never_where_continue_goes(client, unsafe):
    user = _manager()
    response = _sign_in(client, user, next_url=unsafe)
    assert "evil" not in response.url
    # Nor when the set-up page itself is opened with it.
    client.get(f"{reverse('mfa_activate_totp')}?next={unsafe}")
    _set_up(client)
    target = _continue_href(client.get(reverse("mfa_view_recovery_codes")))
    assert "evil" not in target and target == reverse("home")


def test_the_codes_download_as_a_text_file(client):
    user = _manager()
    _sign_in(client, user)
    _set_up(client)
    response = client.get(reverse("mfa_download_recovery_codes"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert all(code in body.split() for code in _codes(user))


def test_someone_with_two_factor_is_still_asked_for_a_code_at_sign_in(client):
    user = _manager()
    enable_mfa(user)
    response = _sign_in(client, user)
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_authenticate"))
    assert client.get(reverse("grants:staff_home")).status_code == 302  # not signed in yet
    assert SET_UP_KEY not in client.session


def test_turning_two_factor_off_or_new_codes_still_need_proof_during_set_up(client):
    user = _manager()
    _sign_in(client, user)
    _set_up(client)
    for sensitive in ("mfa_deactivate_totp", "mfa_generate_recovery_codes"):
        response = client.get(reverse(sensitive))
        assert response.status_code == 302 and response.url.startswith(reverse("mfa_reauthenticate")), sensitive
    # Once they continue, seeing the codes again asks for a code too.
    client.get(_continue_href(client.get(reverse("mfa_view_recovery_codes"))))
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_reauthenticate"))


def test_the_sign_in_stands_in_for_the_password_only_for_a_while(client):
    user = _manager()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, user)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        response = client.get(reverse("mfa_activate_totp"))
        assert response.status_code == 302 and response.url.startswith(reverse("account_reauthenticate"))


def test_an_earlier_sign_in_still_confirms_the_password_before_set_up(client_for):
    """A session that did not start set-up at sign-in (signed in before the role was given) is
    sent to set-up by the middleware and asked for the password, as before."""
    client = client_for(_manager())
    response = client.get(reverse("grants:staff_home"))
    assert response.url.startswith(reverse("mfa_activate_totp"))
    response = client.get(response.url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_reauthenticate"))


def test_a_council_officer_signs_in_to_the_page_they_asked_for(client):
    officer = f.CouncilOfficerFactory()
    response = _sign_in(client, officer, next_url=reverse("applications:bid_dashboard"))
    assert response.status_code == 302 and response.url == reverse("applications:bid_dashboard")


def test_account_pages_use_labels_plain_english_and_an_error_summary(client):
    """Sentence case, labels (never placeholders), and GOV.UK messages linked from the summary."""
    page = client.get(reverse("account_login")).content.decode()
    assert "placeholder=" not in page and "Sign In" not in page and "Remember Me" not in page
    assert '<label class="govuk-label" for="id_login">Email address</label>' in page
    page = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()
    assert "This field is required" not in page
    assert '<a href="#id_login">Enter your email address</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page


def test_confirming_access_is_in_plain_english(client_for):
    page = client_for(f.CouncilOfficerFactory()).get(reverse("account_reauthenticate")).content.decode()
    assert '<h1 class="govuk-heading-l">Confirm access</h1>' in page
    assert "Please reauthenticate" not in page and "placeholder=" not in page


@pytest.mark.django_db(transaction=True)  # allauth adds these messages once the change commits
def test_turning_two_factor_on_is_one_banner_and_new_codes_later_are_announced(client):
    _sign_in(client, _manager())
    _set_up(client)
    html = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert html.count("govuk-notification-banner--success") == 1
    assert "Two-factor authentication is on." in html and "new recovery codes" not in html

    cache.clear()  # the set-up code counts as used for its 30 seconds
    secret = decrypt(Authenticator.objects.get(type=Authenticator.Type.TOTP).data["secret"])
    assert client.post(reverse("mfa_reauthenticate"), {"code": current_code(secret)}).status_code == 302
    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302 and response.url == reverse("mfa_view_recovery_codes")
    assert "You have new recovery codes." in client.get(response.url).content.decode()
