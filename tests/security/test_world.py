"""The shared world builds (a broken fixture would make every security test meaningless)."""

from applications.models import BidStatus

from .world import build_world


def test_world_builds_one_of_each(personas):
    world = build_world(personas)
    assert world.bid.status == BidStatus.SUBMITTED and world.bid.reference
    assert world.draft_bid.status == BidStatus.DRAFT
    assert world.assignment.assessment.status == "submitted"
    assert world.award.tranches.count() == 1 and world.mreturn.award_id == world.award.pk
    assert world.invite_bid.partners.get().status == "requested"
    assert world.export_job.status == "done" and world.export_job.file
    assert world.published_file.grants >= 1 and world.published_file.file
    assert not world.open_round.bids.exists()
