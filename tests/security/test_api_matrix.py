"""The access matrix of the JSON API (issue 18): every operation of /api/v1/, for every persona,
with a token of their own. A token never sees more than its owner: each detail answers 200 only
for the personas whose pages show the object (test_url_matrix's readers), 404 for everyone else,
401 without a token; and each list shows the object to exactly those personas.

Panel members' assigned bids are not in the API yet, so the assessor and the chair read the bid's
pages but not its API record: the API may show less than the pages, never more."""

import pytest
from django.test import Client
from django.urls import reverse

from grants.api.services import create_token

from .observe import people
from .test_url_matrix import API_OPERATIONS, AWARD_READERS, LEAD_COUNCIL, PERSONAS, VIEWERS
from .world import build_world

API_BID_READERS = LEAD_COUNCIL | {"partner_officer"} | VIEWERS
EVERYONE = set(PERSONAS) - {"anonymous"}


def _objects(world) -> dict[str, tuple[int, set[str]]]:
    """operation -> (the world's object, who may read it)."""
    return {
        "programme": (world.round.programme_id, VIEWERS),
        "round": (world.round.pk, EVERYONE),  # published: its page is public
        "bid": (world.bid.pk, API_BID_READERS),
        "award": (world.award.pk, AWARD_READERS),
        "payment": (world.tranche.pk, AWARD_READERS),
        "return": (world.mreturn.pk, AWARD_READERS),
    }


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_every_api_operation_for_every_persona(personas, world, settings):
    from datetime import timedelta

    settings.API_RATE_LIMIT = "100000/m"
    objects = _objects(world)
    assert {f"api_v1:{name}" for name in objects} | {f"api_v1:{name}s" for name in objects} | {"api_v1:me"} == set(
        API_OPERATIONS
    )
    problems = []
    for who, user in people(personas).items():
        headers = {}
        if user is not None:
            headers["Authorization"] = "Bearer " + create_token(user=user, name="m", lifetime=timedelta(days=1))[1]
        client = Client(raise_request_exception=False, headers=headers)
        me = client.get(reverse("api_v1:me")).status_code
        if me != (401 if user is None else 200):
            problems.append(f"/me as {who}: {me}")
        for name, (pk, readers) in objects.items():
            want = 401 if user is None else (200 if who in readers else 404)
            got = client.get(reverse(f"api_v1:{name}", kwargs={"pk": pk})).status_code
            if got != want:
                problems.append(f"{name} {pk} as {who}: expected {want}, got {got}")
            listed = client.get(reverse(f"api_v1:{name}s"), {"page_size": 100})
            if user is None:
                if listed.status_code != 401:
                    problems.append(f"{name}s as anonymous: {listed.status_code}")
                continue
            ids = {row["id"] for row in listed.json()["results"]}
            assert listed.json()["count"] <= 100  # the small world fits one page
            if (pk in ids) != (who in readers):
                problems.append(f"{name}s as {who}: lists {pk}: {pk in ids}, expected {who in readers}")
    assert not problems, "\n".join(problems)
