"""API tests: a token per person and a client that sends it."""

from datetime import timedelta

import pytest
from django.test import Client

from grants.api.services import create_token


def token_for(user, days: int = 90) -> str:
    _, secret = create_token(user=user, name="Test", lifetime=timedelta(days=days))
    return secret


class ApiClient:
    """GETs with `Authorization: Bearer <secret>`; `.json()` of every answer."""

    def __init__(self, secret: str | None):
        self.client = Client(raise_request_exception=False)
        self.secret = secret

    def get(self, path: str, **params):
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        return self.client.get(path, params, headers=headers)

    def all_ids(self, path: str, **params) -> set[int]:
        """Every id of a list, page after page."""
        ids, page = [], 1
        while True:
            body = self.get(path, page=page, page_size=100, **params).json()
            ids += [row["id"] for row in body["results"]]
            if len(ids) >= body["count"] or not body["results"]:
                return set(ids)
            page += 1


@pytest.fixture
def api_for(db):
    """api_for(user) -> an ApiClient with a new token of that user (None: no token)."""

    def make(user) -> ApiClient:
        return ApiClient(token_for(user) if user is not None else None)

    return make
