"""The API tokens page: two-factor first, the secret shown once and kept only as a hash, revoke."""

import hashlib

import pytest

from grants.api.models import ApiToken
from grants.models import AuditEvent
from tests import factories as f
from tests.conftest import enable_mfa

from .conftest import ApiClient

pytestmark = pytest.mark.django_db
URL = "/account/api-tokens/"


def test_without_two_factor_the_page_explains_and_makes_nothing(client):
    user = f.UserFactory()
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "Set up two-factor authentication" in page
    client.post(URL, {"name": "Export", "days": "90"})
    assert not ApiToken.objects.exists()


def test_a_token_is_shown_once_and_stored_hashed(client):
    user = f.UserFactory()
    enable_mfa(user)
    client.force_login(user)
    answer = client.post(URL, {"name": "Finance export", "days": "30"})
    assert answer.status_code == 200
    secret = answer.context["secret"]
    assert secret.startswith("gb_") and secret in answer.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.name == "Finance export"
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix)
    # The database holds no secret: no column of the row contains it.
    assert all(secret not in str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values())
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    again = client.get(URL).content.decode()
    assert secret not in again and token.prefix in again
    assert AuditEvent.objects.filter(action="api_token.create", target_id=str(token.pk)).exists()
    assert ApiClient(secret).get("/api/v1/me").status_code == 200


def test_errors_keep_what_was_typed(client):
    user = f.UserFactory()
    enable_mfa(user)
    client.force_login(user)
    answer = client.post(URL, {"name": "Kept", "days": "999"})
    assert answer.status_code == 200 and "There is a problem" in answer.content.decode()
    assert 'value="Kept"' in answer.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_stops_the_token_and_another_persons_token_is_404(client):
    user, other = f.UserFactory(), f.UserFactory()
    enable_mfa(user)
    client.force_login(user)
    secret = client.post(URL, {"name": "Mine", "days": "90"}).context["secret"]
    token = ApiToken.objects.get(user=user)
    client.force_login(other)
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 404
    assert ApiClient(secret).get("/api/v1/me").status_code == 200
    client.force_login(user)
    assert client.get(f"{URL}{token.pk}/revoke/").status_code == 405
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 302
    assert ApiClient(secret).get("/api/v1/me").status_code == 401
    assert "Revoked" in client.get(URL).content.decode()
    assert AuditEvent.objects.filter(action="api_token.revoke", target_id=str(token.pk)).exists()


def test_the_security_page_links_to_the_tokens(client):
    client.force_login(f.UserFactory())
    assert URL in client.get("/accounts/2fa/").content.decode()
