"""Issue 18, the JSON API at 10,000 awards: a page of GET /api/v1/awards (100 awards with their
payments summary) with a programme manager's token, against GET /api/v1/me with the same token
(authentication, throttle and JSON alone), at both sizes. A new token per size (the database is
flushed between them); a page's nine requests stay well inside the token's rate limit.

Their persona is "api_token": the programme manager's token, with no session, so its baseline is
api_me (BASELINES), not the signed-in statement the manager's pages are compared with."""

from datetime import timedelta

from django.test import Client

from bench.dataset import Dataset
from bench.pages import Page


def token_client(ds: Dataset, persona: str) -> Client:
    """A client sending a new token of the programme manager's (every API persona is theirs)."""
    from grants.api.services import create_token

    _, secret = create_token(user=ds.people["programme_manager"], name="bench", lifetime=timedelta(days=1))
    return Client(headers={"Authorization": f"Bearer {secret}"})


API_ME = Page("api_me", "api_token", lambda ds: "/api/v1/me", lambda ds: 1, client=token_client)
BASELINES = {"api_token": API_ME}

PAGES = [
    API_ME,
    Page(
        "api_awards_10k",
        "api_token",
        lambda ds: "/api/v1/awards?page_size=100",
        lambda ds: ds.counts["awards"],
        client=token_client,
    ),
]
