"""The load test's people can do what the locustfile has them do: every officer at a different
current English council with a bid whose file question is asked; every panel member and manager
let through to their pages with the session made for them (staff need MFA, so a missing
authenticator would send them all to set one up and the run would measure redirects)."""

import pytest
from django.test import Client

from bench.loadtest_seed import close_round, english_councils, seed
from bench.loadtest_seed_panel import BIDS_PER_MEMBER, seed_panel

pytestmark = pytest.mark.django_db


def _client(session: str) -> Client:
    client = Client()
    client.cookies["sessionid"] = session
    return client


def test_officers_are_one_per_english_council_each_asked_for_a_file():
    councils = english_councils(3)
    data = seed(users=3, login_users=1, password="load-test-password", evidence=True)
    from applications.models import Bid

    bids = Bid.objects.filter(pk__in=[u["bid"] for u in data["users"]])
    assert sorted(b.lead_id for b in bids) == sorted(c.pk for c in councils)
    assert all(c.nation == "England" and c.end_date is None for c in councils)
    kinds = [kind for section in data["users"][0]["sections"] for _, kind in section["questions"]]
    assert kinds.count("file_upload") == 1
    assert sum(1 for u in data["users"] if u["session"] is None) == 1  # signs in through the form
    with_session = next(u for u in data["users"] if u["session"])
    assert _client(with_session["session"]).get(f"/bids/{with_session['bid']}/").status_code == 200
    assert close_round(round_id=data["round_id"], seconds=30) > 0


def test_panel_members_and_managers_reach_their_pages():
    officers = seed(users=2, login_users=0, password="load-test-password")
    panel = seed_panel(programme_id=officers["programme_id"], panel=2, managers=1)
    from scoring.models import Assessment, Assignment

    member = panel["panel"][0]
    assert len(member["bids"]) == BIDS_PER_MEMBER
    assert Assignment.objects.filter(bid_id=member["bids"][0]).count() == 3
    assert Assessment.objects.filter(bid_id=member["bids"][0], submitted_at__isnull=False).count() == 2
    slug = panel["round_slug"]
    client = _client(member["session"])
    response = client.get(f"/assess/{slug}/declaration/")
    assert response.status_code == 200
    response = client.post(f"/assess/{slug}/declaration/", {"action": "confirm"})
    assert response.status_code == 302 and response["Location"].endswith(f"/assess/{slug}/")
    assert client.get(f"/assess/{slug}/bids/{member['bids'][0]}/").status_code == 200
    manager = _client(panel["managers"][0]["session"])
    assert manager.get(f"/staff/rounds/{slug}/ranking/").status_code == 200
    assert manager.get("/staff/dashboard/").status_code == 200
