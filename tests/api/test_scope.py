"""A token never sees more than its owner: every object each persona's token lists passes the
owner's own permission check (the one the pages use), and the world's probes are seen by exactly
the people whose pages show them."""

import pytest

from applications.models import Bid
from applications.permissions import can_read_answers
from grants import permissions as gperms
from grants.awards import permissions as award_perms
from grants.awards.models import Award, MonitoringReturn, PaymentTranche
from grants.models import Programme, Round, StaffRole
from tests import factories as f
from tests.security.observe import people
from tests.security.world import build_world

from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db

OWNER_MAY_SEE = {
    "/api/v1/programmes": (Programme, gperms.can_view_programme),
    "/api/v1/rounds": (Round, lambda u, r: r.published or gperms.can_view_programme(u, r.programme)),
    # The council's bids as its dashboard lists them, which a council asked to partner reads too.
    "/api/v1/bids": (Bid, can_read_answers),
    "/api/v1/awards": (Award, award_perms.can_view),
    "/api/v1/payments": (PaymentTranche, lambda u, t: award_perms.can_view(u, t.award)),
    "/api/v1/returns": (MonitoringReturn, lambda u, r: award_perms.can_view(u, r.award)),
}


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_every_listed_object_passes_the_owners_own_check(personas, world):
    problems = []
    for who, user in people(personas).items():
        if user is None:
            continue
        api = ApiClient(token_for(user))
        for path, (model, may_see) in OWNER_MAY_SEE.items():
            for obj in model.objects.filter(pk__in=api.all_ids(path)):
                if not may_see(user, obj):
                    problems.append(f"{who} lists {model.__name__} {obj.pk} at {path}")
                if api.get(f"{path}/{obj.pk}").status_code != 200:
                    problems.append(f"{who} lists {model.__name__} {obj.pk} but its detail is not 200")
    assert not problems, "\n".join(problems)


def _sees(user, path, pk) -> bool:
    api = ApiClient(token_for(user))
    listed = pk in api.all_ids(path)
    detail = api.get(f"{path}/{pk}").status_code
    assert detail == (200 if listed else 404), (user.email, path, detail)
    return listed


def test_each_persona_sees_what_its_pages_show(personas, world):
    who = people(personas)
    bid, award = world.bid.pk, world.award.pk
    # Council side: the lead council and its partner; not another council, nor anyone barred.
    assert _sees(who["lead_officer"], "/api/v1/bids", bid)
    assert _sees(who["lead_officer"], "/api/v1/awards", award)
    assert _sees(who["lead_officer"], "/api/v1/payments", world.tranche.pk)
    assert _sees(who["lead_officer"], "/api/v1/returns", world.mreturn.pk)
    assert _sees(who["partner_officer"], "/api/v1/awards", award)
    for outsider in ("other_officer", "lead_no_role", "conflicted_lead_officer", "conflicted_partner_officer"):
        assert not _sees(who[outsider], "/api/v1/bids", bid), outsider
        assert not _sees(who[outsider], "/api/v1/awards", award), outsider
        assert not _sees(who[outsider], "/api/v1/returns", world.mreturn.pk), outsider
    # Staff: their programmes; global viewers everything; another programme's manager nothing.
    programme = world.round.programme_id
    for staff in ("programme_manager", "administrator", "finance_officer", "board_viewer"):
        assert _sees(who[staff], "/api/v1/awards", award), staff
        assert _sees(who[staff], "/api/v1/programmes", programme), staff
    assert not _sees(who["other_programme_manager"], "/api/v1/awards", award)
    assert not _sees(who["other_programme_manager"], "/api/v1/programmes", programme)
    assert not _sees(who["other_programme_manager"], "/api/v1/payments", world.tranche.pk)
    # An unpublished round is the programme's staff's alone; a published one everyone's.
    unpublished = f.RoundFactory(programme=world.round.programme, slug="unpublished", published=False)
    assert _sees(who["programme_manager"], "/api/v1/rounds", unpublished.pk)
    assert not _sees(who["lead_officer"], "/api/v1/rounds", unpublished.pk)
    assert not _sees(who["other_programme_manager"], "/api/v1/rounds", unpublished.pk)
    assert _sees(who["lead_officer"], "/api/v1/rounds", world.round.pk)


def test_a_lost_role_narrows_the_same_token_at_once(personas, world):
    manager = personas.programme_manager
    api = ApiClient(token_for(manager))
    assert world.award.pk in api.all_ids("/api/v1/awards")
    StaffRole.objects.filter(user=manager).delete()
    assert api.all_ids("/api/v1/awards") == set()
    assert api.get(f"/api/v1/awards/{world.award.pk}").status_code == 404
    officer = personas.lead_officer
    api = ApiClient(token_for(officer))
    assert world.bid.pk in api.all_ids("/api/v1/bids")
    officer.org_role = ""
    officer.save()
    assert api.all_ids("/api/v1/bids") == set()
