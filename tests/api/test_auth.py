"""Who the API lets in: a live token of an active person, and nothing else (401 with JSON)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from grants.api.models import ApiToken
from grants.api.services import revoke_token
from tests import factories as f

from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


def _refused(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_live_token_reads_who_it_acts_for():
    user = f.UserFactory(email="someone@example.com")
    answer = ApiClient(token_for(user)).get("/api/v1/me")
    assert answer.status_code == 200
    assert answer.json()["email"] == "someone@example.com"


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/awards", "/api/v1/bids/1"])
def test_no_token_or_a_wrong_one_is_refused(path):
    user = f.UserFactory()
    secret = token_for(user)
    _refused(ApiClient(None).get(path))
    _refused(ApiClient(secret[:-1] + ("A" if secret[-1] != "A" else "B")).get(path))
    _refused(ApiClient("not-a-token").get(path))


def test_a_session_opens_no_api_call(client):
    client.force_login(f.UserFactory())
    _refused(client.get("/api/v1/me"))


def test_an_expired_token_is_refused():
    secret = token_for(f.UserFactory(), days=30)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        _refused(ApiClient(secret).get("/api/v1/me"))


def test_a_revoked_token_is_refused_at_once():
    user = f.UserFactory()
    secret = token_for(user)
    api = ApiClient(secret)
    assert api.get("/api/v1/me").status_code == 200
    revoke_token(token=ApiToken.objects.get(user=user), by=user)
    _refused(api.get("/api/v1/me"))


def test_a_deactivated_persons_token_is_refused():
    user = f.UserFactory()
    api = ApiClient(token_for(user))
    user.is_active = False
    user.save()
    _refused(api.get("/api/v1/me"))


def test_use_is_recorded():
    user = f.UserFactory()
    ApiClient(token_for(user)).get("/api/v1/me")
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_the_rate_limit_answers_429_with_retry_after(settings):
    settings.API_RATE_LIMIT = "3/m"
    api = ApiClient(token_for(f.UserFactory()))
    assert [api.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    answer = api.get("/api/v1/me")
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) >= 1
    assert answer.json()["detail"]
    # Another token of the same limit is not held back by this one's.
    assert ApiClient(token_for(f.UserFactory())).get("/api/v1/me").status_code == 200


def test_the_schema_and_docs_are_public(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    text = docs.content.decode()
    for needle in ("/api/v1/awards", "updated_since", "Retry-After", "Bearer", "page_size"):
        assert needle in text
    # Every operation lists the fields it answers with, read from the schema (never an empty list).
    operations = docs.context["operations"]
    assert operations and all(op["fields"] for op in operations), [op["path"] for op in operations if not op["fields"]]
    awards = next(op for op in operations if op["path"] == "/api/v1/awards")
    assert "results[].reference" in awards["fields"] and "<code>results[].amount</code>" in text
