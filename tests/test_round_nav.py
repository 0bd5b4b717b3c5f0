"""Every staff page of a round carries the round's sub-navigation (templates/includes/round_nav.html),
its own section marked current, with only the sections the viewer may use.

The walk starts from the resolver (tests/security/urlwalk.py), so a new staff round page fails
here until its section claims it (an app's round_nav.py) and its template shows the include.
"""

import re

import pytest
from django.urls import reverse

from grants.core.round_nav import SECTIONS
from tests.security.urlwalk import EOI_PAGES, patterns, url_for
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

# Round URLs that are not pages: downloads, and actions that only take a POST.
NOT_PAGES = {
    "applications:staff_bid_export",
    "scoring:export_scores",
    "scoring:panel_pack",  # the printable pack: a document, not a page to move on from
    "scoring:panel_member_chair",
    "scoring:panel_member_remove",
    "scoring:criterion_delete",
    "scoring:assignment_withdraw",
    "scoring:decisions_confirm",
    "scoring:eoi_confirm",  # Issue 16, EOI triage: POST only
    "scoring:eoi_criterion_delete",  # Issue 16, EOI criteria: POST only
}
NAV = re.compile(r'<nav class="app-round-nav[^>]*data-testid="round-nav">(.*?)</nav>', re.S)


def _section_of(name: str):
    return next((s for s in SECTIONS.values() if s.is_current(name)), None)


def _is_staff_round_page(pattern) -> bool:
    staff_round = pattern.route.startswith(("staff/rounds/", "staff/awards/rounds/"))
    return (staff_round or pattern.name in {"scoring:moderation", "scoring:moderate_bid"}) and "slug" in pattern.kwargs


@pytest.fixture
def world(personas):
    return build_world(personas)


def _nav(body: str) -> str:
    found = NAV.search(body)
    return found.group(1) if found else ""


def test_every_staff_round_page_belongs_to_a_section():
    pages = [p.name for p in patterns() if _is_staff_round_page(p) and p.name not in NOT_PAGES]
    assert len(pages) > 20
    assert [name for name in pages if _section_of(name) is None] == []


def test_every_staff_round_page_shows_the_nav_with_its_section_current(personas, world, client_for):
    client = client_for(personas.programme_manager)
    checked = []
    for pattern in patterns():
        if not _is_staff_round_page(pattern) or pattern.name in NOT_PAGES:
            continue
        url = url_for(pattern, world)
        response = client.get(url)
        assert response.status_code == 200, (pattern.name, url, response.status_code)
        nav = _nav(response.content.decode())
        assert nav, f"{pattern.name} ({url}) has no round navigation"
        section = _section_of(pattern.name)
        current = re.findall(r'href="([^"]+)" aria-current="page">([^<]+)<', nav)
        rnd = world.eoi_round if pattern.name in EOI_PAGES else world.round  # Issue 16, EOI triage
        assert current == [(section.url(rnd), section.label)], pattern.name
        checked.append(pattern.name)
    # The round's own page (staff view) and its settings carry it too.
    for name in ("grants:round_detail", "grants:staff_round_edit"):
        body = client.get(reverse(name, args=[world.round.slug])).content.decode()
        assert 'aria-current="page"' in _nav(body), name
    assert "awards:round_monitoring" in checked and "scoring:moderation" in checked


def test_the_nav_links_only_what_the_viewer_may_use(personas, world, client_for):
    url = reverse("applications:staff_bid_list", args=[world.round.slug])
    manager = _nav(client_for(personas.programme_manager).get(url).content.decode())
    viewer = _nav(client_for(personas.board_viewer).get(url).content.decode())
    for label in ("Questions", "Assignments", "Moderation", "Monitoring", "Ranking and decisions", "Awards"):
        assert f">{label}<" in manager, label
    for label in ("Bids", "Ranking and decisions", "Monitoring", "Awards"):
        assert f">{label}<" in viewer, label
    for label in ("Questions", "Settings", "Extensions", "Assignments", "Panel and criteria", "Moderation"):
        assert f">{label}<" not in viewer, label
    # A council officer on the public round page, and the panel chair on moderation (their one
    # section), get no round navigation.
    public = client_for(personas.lead_officer).get(reverse("grants:round_detail", args=[world.round.slug]))
    assert not _nav(public.content.decode())
    chair = client_for(personas.panel_chair).get(reverse("scoring:moderation", args=[world.round.slug]))
    assert chair.status_code == 200 and not _nav(chair.content.decode())
