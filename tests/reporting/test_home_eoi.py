"""The manager's home counts expressions of interest to triage once they close (two-stage rounds),
and never as bids waiting for assignment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import BidStage
from grants.models import Round
from tests import factories as f
from tests.scoring.factories import SubmittedBidFactory

pytestmark = pytest.mark.django_db


def _items(client_for, user):
    return {(i.label, i.detail): i for i in client_for(user).get("/").context["home"].manager}


def test_eois_to_triage_after_they_close(client_for, personas):
    rnd = personas.round
    now = timezone.now()
    Round.objects.filter(pk=rnd.pk).update(
        opens_at=now - timedelta(days=40), eoi_closes_at=now + timedelta(days=1), closes_at=now + timedelta(days=30)
    )
    for _ in range(2):
        SubmittedBidFactory(round=rnd, lead=f.OrganisationFactory(), stage=BidStage.EOI)
    items = _items(client_for, personas.programme_manager)
    assert ("Expressions of interest to triage", rnd.name) not in items  # still open to councils
    assert ("Bids waiting for assignment", rnd.name) not in items
    Round.objects.filter(pk=rnd.pk).update(eoi_closes_at=now - timedelta(hours=1))
    item = _items(client_for, personas.programme_manager)[("Expressions of interest to triage", rnd.name)]
    assert item.count == 2 and client_for(personas.programme_manager).get(item.url).status_code == 200


def test_home_counts_what_the_owners_list(client_for, personas):
    """One owner per rule (issue 17): the home's triage count is the triage page's list
    (scoring.selectors.submitted_eois), its waiting-for-assignment count reads live_bids, so an
    expression of interest is never a bid waiting for assignment nor a full bid one to triage."""
    from applications.models import BidStatus
    from scoring.selectors import live_bids, submitted_eois

    rnd = personas.round
    now = timezone.now()
    Round.objects.filter(pk=rnd.pk).update(
        opens_at=now - timedelta(days=40), eoi_closes_at=now - timedelta(hours=1), closes_at=now + timedelta(days=30)
    )
    for stage in (BidStage.EOI, BidStage.EOI, BidStage.FULL):
        SubmittedBidFactory(round=rnd, lead=f.OrganisationFactory(), stage=stage)
    SubmittedBidFactory(round=rnd, lead=f.OrganisationFactory(), stage=BidStage.EOI, status=BidStatus.WITHDRAWN)
    manager = client_for(personas.programme_manager)
    item = _items(client_for, personas.programme_manager)[("Expressions of interest to triage", rnd.name)]
    listed = manager.get(item.url).context["bids"]
    assert item.count == len(listed) == submitted_eois(round_ids=[rnd.pk]).count() == 2
    waiting = _items(client_for, personas.programme_manager)[("Bids waiting for assignment", rnd.name)]
    assert waiting.count == live_bids(rnd).count() == 1
    with pytest.raises(TypeError):
        live_bids()
