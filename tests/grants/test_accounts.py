"""Email login, verification, password reset, rate limiting and MFA through django-allauth."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from grants.models import User
from tests import factories as f
from tests.conftest import enable_mfa
from tests.totp import current_code

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def login(client, email, password=f.PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def test_users_have_no_username_and_sign_in_by_email(client):
    user = f.CouncilOfficerFactory(email="officer@example.com")
    assert not hasattr(user, "username") or user.username is None
    response = login(client, "OFFICER@example.com")
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_wrong_password_shows_an_error_and_does_not_sign_in(client):
    f.CouncilOfficerFactory(email="officer@example.com")
    response = login(client, "officer@example.com", "not-the-password")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_signup_requires_email_verification(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new.officer@example.com", "password1": "a-long-pass-phrase-1", "password2": "a-long-pass-phrase-1"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.officer@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1 and "Confirm" in mail.outbox[0].subject
    # Until the address is confirmed, signing in leads to the verification page, not the service.
    client.logout()
    response = login(client, "new.officer@example.com", "a-long-pass-phrase-1")
    assert response.url == reverse("account_email_verification_sent")


def test_password_reset_sends_an_email(client):
    f.CouncilOfficerFactory(email="officer@example.com")
    response = client.post("/accounts/password/reset/", {"email": "officer@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_login_is_rate_limited_after_repeated_failures(client):
    f.CouncilOfficerFactory(email="officer@example.com")
    for _ in range(5):
        assert login(client, "officer@example.com", "wrong-guess-123").status_code == 200
    response = login(client, "officer@example.com", "wrong-guess-123")
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while the lockout holds.
    response = login(client, "officer@example.com")
    assert "Too many failed login attempts" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_staff_with_mfa_must_give_a_code_at_sign_in(client):
    user = f.StaffRoleFactory(role="finance_officer").user
    secret = enable_mfa(user)
    response = login(client, user.email)
    assert response.url == reverse("mfa_authenticate")
    assert not client.get(reverse("home")).context["user"].is_authenticated
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("grants:staff_home")).status_code == 200
