"""A panel member conflicted on a bid reaches nothing of it or its award, by any URL, whatever
other role they hold.

Every URL pattern that names a bid or an award is pointed at the world's submitted bid and its
award (files, sections, milestones, returns, tranches, variations of those), then asked with GET
and POST, as an attacker would, by each conflicted persona: the conftest's assessor employed by
the lead council (no council role, an interest declared), officers of the lead and the partner
council on the round's panel (automatic conflicts), the lead council's signatory on the panel,
and a programme manager of the programme on the panel with a declared interest (a staff role
does not lift the conflict either). Each answer must be 404 and change nothing. The same URLs
asked by the people who may use them (the lead council, the partner, staff) must reach
something, so the walk cannot pass by asking the wrong addresses.
"""

from datetime import timedelta

import pytest

from applications import services as bid_services
from grants.awards import services as award_services
from grants.awards.models import Award, AwardStatus
from grants.models import AuditEvent, OrgRole, StaffRole
from scoring import services as scoring_services
from tests import factories as f
from tests.conftest import enable_mfa
from tests.scoring.factories import declare

from .observe import clients, isolated, isolated_change, people
from .urlwalk import DRAFT_BID_PAGES, PK_FOR, patterns, url_for
from .world import build_world

CONFLICTED = (
    "conflicted_assessor",
    "conflicted_lead_officer",
    "conflicted_partner_officer",
    "conflicted_signatory",
    "conflicted_manager",
)
# Who may use some of these URLs: the walk is broken if none of them reaches a URL.
CONTROLS = (
    "lead_officer",
    "signatory",
    "certifier",  # issue 17: the lead council's certifier, the only one to reach the certify page
    "partner_officer",
    "assessor",
    "programme_manager",
    "finance_officer",
    "administrator",
)
# Pages that work on a draft (or an offered award) only; asked of the submitted bid (the active
# award) they answer 404 to everyone, so the controls cannot reach them there. The offered pass
# below asks the offer pages of the same award once it is offered.
OFFER_PAGES = {"awards:accept", "awards:decline", "awards:offer_terms"}
# The EOI triage page of one bid, asked of this full bid in a one-stage round, answers 404 to
# everyone; a conflicted manager's 404 on an EOI is tests/scoring/test_eoi_triage.py's.
NOBODY_REACHES = DRAFT_BID_PAGES | {"scoring:eoi_propose"}
# The doors the issue names, so the walk is known to include them: pages, files, history, PDF,
# returns, the assessor's and the staff's per-bid pages.
MUST_WALK = {
    "applications:bid_detail",
    "applications:bid_history",
    "applications:evidence_download",
    "applications:bid_submitted",
    "applications:staff_bid_return",
    "scoring:assess_bid",
    "scoring:moderate_bid",
    "scoring:decision_edit",
    "awards:detail",
    "awards:offer_letter",
    "awards:offer_pdf",
    "awards:return",
    "awards:evidence_download",
    "awards:milestone_update",
    "awards:payment",
    *OFFER_PAGES,
}


def _conflicted_people(personas, world) -> dict:
    """The matrix's conflicted personas, and two more with other roles on top of the conflict."""
    signatory = f.UserFactory(
        email="panel.signatory@example.com", organisation=personas.lead_org, org_role=OrgRole.SIGNATORY
    )
    manager = f.UserFactory(email="panel.manager@example.com")
    StaffRole.objects.create(user=manager, role=StaffRole.Role.PROGRAMME_MANAGER, programme=personas.programme)
    for user in (signatory, manager):
        f.PanelMemberFactory(panel=personas.round.panel, user=user)
        enable_mfa(user)
        declare(user, personas.round)
    scoring_services.interest_add(
        round=personas.round, user=manager, organisation=personas.lead_org, nature="I used to lead its digital team"
    )
    everyone = people(personas)
    return {
        **{who: everyone[who] for who in CONFLICTED[:3]},
        "conflicted_signatory": signatory,
        "conflicted_manager": manager,
    }


def _bid_and_award_urls(world) -> dict[str, str]:
    """name -> URL for every pattern naming a bid or an award, pointed at the bid and its award."""
    bid_fixed = {"pk": world.bid.pk, "file_pk": world.evidence.pk, "section_pk": world.section.pk}
    urls = {}
    for pattern in patterns():
        if "pk" not in pattern.kwargs:
            continue
        target = PK_FOR.get(pattern.name)
        if pattern.name.startswith("awards:") and target in (None, "offered_award"):
            urls[pattern.name] = url_for(pattern, world, pk=world.award.pk)
        elif target in (None, "invite_bid"):
            urls[pattern.name] = url_for(pattern, world, **bid_fixed)
    return urls


@pytest.fixture
def world(personas):
    world = build_world(personas)
    assert world.award.bid_id == world.bid.pk  # the award is the bid's
    return world


def _walk(urls: dict[str, str], by_persona: dict, conflicted: dict) -> list[str]:
    problems = []
    for name, url in sorted(urls.items()):
        for who in conflicted:
            got = isolated(by_persona[who], "get", url).status_code
            if got not in (404, 405):  # 405: a POST-only action, asked next
                problems.append(f"GET {url} ({name}) as {who}: {got}, expected 404")
            response, changed = isolated_change(by_persona[who], "post", url, AuditEvent.objects.count)
            if response.status_code != 404 or changed:
                problems.append(
                    f"POST {url} ({name}) as {who}: {response.status_code}{' and changed something' if changed else ''}"
                )
    return problems


def _reached(urls: dict[str, str], by_persona: dict) -> set[str]:
    return {
        name
        for name, url in urls.items()
        if any(isolated(by_persona[who], "get", url).status_code != 404 for who in CONTROLS)
    }


def test_a_conflicted_panel_member_gets_404_on_every_url_of_the_bid_and_its_award(personas, world):
    conflicted = _conflicted_people(personas, world)
    by_persona = {**clients(personas), **_clients_for(conflicted)}
    urls = _bid_and_award_urls(world)
    assert MUST_WALK <= set(urls), sorted(MUST_WALK - set(urls))

    offer = {name: urls.pop(name) for name in OFFER_PAGES}
    problems = _walk(urls, by_persona, conflicted)
    unreached = set(urls) - _reached(urls, by_persona)
    assert unreached <= NOBODY_REACHES, f"URLs nobody reaches, so proving nothing: {sorted(unreached - NOBODY_REACHES)}"

    # The offer's pages, with the same award offered: the signatory's accept and decline, the
    # manager's offer terms.
    Award.objects.filter(pk=world.award.pk).update(status=AwardStatus.OFFERED)
    problems += _walk(offer, by_persona, conflicted)
    assert _reached(offer, by_persona) == OFFER_PAGES
    assert not problems, "\n".join(problems)


def _clients_for(users: dict) -> dict:
    from django.test import Client

    out = {}
    for who, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        out[who] = client
    return out


def test_the_services_refuse_them_too(personas, world):
    """Behind the pages, each service asks the same owner: a conflicted officer, signatory or
    manager cannot act on the bid or its award by calling it (a command, a task, a new page)."""
    conflicted = _conflicted_people(personas, world)
    officer, signatory, manager = (conflicted[k] for k in ("conflicted_lead_officer", "conflicted_signatory",
                                                          "conflicted_manager"))  # fmt: skip
    award = world.award
    with pytest.raises(award_services.AwardError):
        award_services.variation_request(
            award=award, actor=officer, kind="dates", reason="Later", new_planned_end=award.planned_end + timedelta(30)
        )
    with pytest.raises(award_services.AwardError):
        award_services.milestone_add(award=award, actor=manager, description="Mine", due_on=award.planned_end)
    with pytest.raises(bid_services.BidError):
        bid_services.return_bid(bid=world.bid, actor=manager, reason="Add the costs")
    Award.objects.filter(pk=award.pk).update(status=AwardStatus.OFFERED)
    with pytest.raises(award_services.AwardError):
        award_services.award_accept(award=award, actor=signatory, name="S", role="Chief Executive", confirm_terms=True)
    # The same calls by the unconflicted succeed, so the refusals above are the conflict's.
    award_services.award_accept(
        award=award, actor=personas.signatory, name="S", role="Chief Executive", confirm_terms=True
    )
    award_services.milestone_add(
        award=award, actor=personas.programme_manager, description="Ok", due_on=award.planned_end
    )
    bid_services.return_bid(bid=world.bid, actor=personas.programme_manager, reason="Add the costs")
