"""A programme manager who sits on the round's panel and declared an interest in a bid finds it
on no round-wide staff page or download either: the bid list and its export, assignments,
moderation, ranking, scores, panel pack, register of interests and the council profile leave it
out, and say in one line that the list is incomplete. Round totals still count it. An
unconflicted manager of the same programme sees the bid on the same URLs, so the walk cannot pass
by asking pages that never show it."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import StaffRole
from scoring import services as scoring_services
from scoring.models import Decision, DecisionStatus
from tests import factories as f
from tests.conftest import enable_mfa
from tests.scoring.factories import SubmittedBidFactory, declare

from .observe import isolated
from .world import build_world

INSET = "not shown because you declared an interest"


@pytest.fixture
def world(personas):
    return build_world(personas)


@pytest.fixture
def manager(personas, world):
    """The conflict walk's conflicted manager: manages the programme, sits on the panel, declared
    an interest in the lead council (so in its bid)."""
    user = f.UserFactory(email="panel.manager@example.com")
    StaffRole.objects.create(user=user, role=StaffRole.Role.PROGRAMME_MANAGER, programme=personas.programme)
    f.PanelMemberFactory(panel=personas.round.panel, user=user)
    enable_mfa(user)
    declare(user, personas.round)
    scoring_services.interest_add(
        round=personas.round, user=user, organisation=personas.lead_org, nature="I used to lead its digital team"
    )
    return user


def _urls(world) -> dict[str, str]:
    slug, lead = world.round.slug, world.personas.lead_org
    dl = lambda table, fmt, q: f"{reverse('reporting:download', args=[table, fmt])}?{q}"  # noqa: E731
    urls = {
        "bid list": reverse("applications:staff_bid_list", args=[slug]),
        "bid export": reverse("applications:staff_bid_export", args=[slug, "csv"]),
        "assignments": reverse("scoring:assignments", args=[slug]),
        "moderation": reverse("scoring:moderation", args=[slug]),
        "ranking": reverse("scoring:ranking", args=[slug]),
        "scores csv": reverse("scoring:export_scores", args=[slug, "csv"]),
        "scores xlsx": reverse("scoring:export_scores", args=[slug, "xlsx"]),
        "panel pack": reverse("scoring:panel_pack", args=[slug]),
        "register": reverse("scoring:interests", args=[slug]),
        "register csv": reverse("scoring:interests", args=[slug]) + "?format=csv",
        "council profile": reverse("reporting:council_profile", args=[lead.code]),
        "council bids csv": dl("council-bids", "csv", f"council={lead.code}"),
    }
    for table in ("round-bids", "assessment-assignments", "assessment-moderation", "assessment-ranking",
                  "assessment-register"):  # fmt: skip
        for fmt in ("csv", "xlsx"):
            urls[f"{table} {fmt}"] = dl(table, fmt, f"round={slug}")
    return urls


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # XLSX: every cell of every sheet
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    return body.decode("utf-8", "replace")


# Pages that list every bid of the round whatever its state (the control must find the bid there).
# Moderation lists only bids whose scores disagree, and the register names bids only by a
# conflict, so the control may legitimately not see the bid on those.
NAMES_EVERY_BID = {
    "bid list", "bid export", "assignments", "ranking", "scores csv", "scores xlsx", "panel pack", "register",
    "register csv", "council profile", "council bids csv", "round-bids csv", "round-bids xlsx",
    "assessment-assignments csv", "assessment-assignments xlsx", "assessment-ranking csv", "assessment-ranking xlsx",
    "assessment-register csv", "assessment-register xlsx",
}  # fmt: skip
# Pages about the council itself, or naming the organisations members declared an interest in:
# the council's name is the page's subject there, not the bid's.
COUNCIL_NAMED = {"council profile", "council bids csv", "register", "register csv", "assessment-register csv",
                 "assessment-register xlsx"}  # fmt: skip
INSET_PAGES = {"bid list", "assignments", "ranking", "panel pack", "register"}


def test_round_pages_and_downloads_leave_out_the_bid_a_manager_is_conflicted_on(client, personas, world, manager):
    bid = world.bid
    other = SubmittedBidFactory(round=world.round, title="Visible bid of another council", reference_number=900)
    lead_name = personas.lead_org.short_name
    problems = []
    control = personas.programme_manager
    for who, user in (("control", control), ("conflicted", manager)):
        client.force_login(user)
        for name, url in _urls(world).items():
            response = isolated(client, "get", url)
            if response.status_code != 200:
                problems.append(f"{who} {name}: {response.status_code}")
                continue
            text = _text(response)
            shows = [v for v in (bid.title, bid.reference) if v in text]
            if name not in COUNCIL_NAMED and lead_name in text:
                shows.append(lead_name)
            if who == "control" and name in NAMES_EVERY_BID and bid.reference not in text and bid.title not in text:
                problems.append(f"control {name}: the bid is not there, so this URL proves nothing")
            if who == "conflicted" and shows:
                problems.append(f"conflicted {name}: shows {shows}")
            if who == "conflicted" and name in INSET_PAGES and INSET not in text:
                problems.append(f"conflicted {name}: no line saying a bid is not shown")
            if who == "control" and INSET in text:
                problems.append(f"control {name}: says a bid is hidden")
            if name == "bid list" and other.title not in text:
                problems.append(f"{who} bid list: the other bid is missing")
    assert not problems, "\n".join(problems)


def test_the_bid_list_figures_still_count_the_hidden_bid(client, personas, world, manager):
    client.force_login(manager)
    response = client.get(reverse("applications:staff_bid_list", args=[world.round.slug]))
    assert response.context["figures"]["total"] == 1
    assert response.context["barred_count"] == 1
    assert not response.context["page"].object_list


def test_the_ranking_funding_line_still_counts_the_hidden_bid(client, personas, world, manager):
    url = reverse("scoring:ranking", args=[world.round.slug])
    client.force_login(personas.programme_manager)
    seen = client.get(url).context["ranking"]
    client.force_login(manager)
    hidden = client.get(url).context["ranking"]
    assert [r.bid for r in seen.rows] == [world.bid] and not hidden.rows
    assert hidden.recommended_total == seen.recommended_total == seen.committed + world.bid.amount_requested
    assert hidden.line_after == seen.line_after


def test_a_batch_confirm_naming_the_hidden_bid_does_not_decide_it(client, personas, world, manager):
    scoring_services.decision_propose(
        bid=world.bid,
        actor=personas.programme_manager,
        outcome="funded",
        amount=Decimal("1000.00"),
        feedback="Good",
        assessments_override="One assessment is enough here",
    )
    client.force_login(manager)
    client.post(reverse("scoring:decisions_confirm", args=[world.round.slug]), {"bids": [world.bid.pk]})
    assert Decision.objects.get(bid=world.bid).status == DecisionStatus.PROPOSED


def test_the_moderation_queue_leaves_out_the_hidden_bid(client, personas, world, manager):
    """A moderated bid is in the queue (the walk's bid has one assessment, so it is not until now):
    the control finds it on the page and both downloads, the conflicted manager on none of them."""
    from scoring.models import Criterion

    criterion = Criterion.objects.filter(round=world.round).order_by("pk").first()
    scoring_services.moderated_score_record(
        bid=world.bid, criterion=criterion, score=criterion.max_score, reason="Assessors disagreed",
        actor=personas.programme_manager,
    )  # fmt: skip
    urls = {name: url for name, url in _urls(world).items() if "moderation" in name}
    assert len(urls) == 3
    for who, user in (("control", personas.programme_manager), ("conflicted", manager)):
        client.force_login(user)
        for name, url in urls.items():
            response = isolated(client, "get", url)
            assert response.status_code == 200, f"{who} {name}"
            text = _text(response)
            shown = world.bid.reference in text or world.bid.title in text
            assert shown == (who == "control"), f"{who} {name}: shown={shown}"
