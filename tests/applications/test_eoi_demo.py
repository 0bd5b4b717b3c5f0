"""The demo's Productivity Experts two-stage round: expressions of interest closed five days ago;
six sent in time; the programme has invited two, declined two with reasons, and has two still to
decide (one proposed, one not looked at). Full bids are open to the invited councils only. And the
demo's Digital Inclusion bids, added once however often the demo is seeded.

The module's tests share one seed (`demo_once`, seeded once for the module)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications import services
from applications.models import Bid, BidStage, BidStatus
from grants.models import Round, User
from scoring.models import EoiTriage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


def test_demo_two_stage_round_has_eois_invited_declined_and_waiting():
    rnd = Round.objects.get(slug__startswith="productivity-experts-eoi-")
    now = timezone.now()
    assert rnd.name.endswith(": expressions of interest") and rnd.programme.slug == "productivity-experts"
    assert rnd.opens_at < rnd.eoi_closes_at < now < rnd.closes_at
    assert "up to £50,000 each for about 19 councils" in rnd.prospectus
    sent = Bid.objects.filter(round=rnd, eoi_submitted_at__isnull=False).order_by("reference")
    assert [b.lead.short_name for b in sent] == ["Birmingham", "Manchester", "Sheffield", "York", "Gravesham", "Leeds"]
    assert all(b.eoi_submitted_at < rnd.eoi_closes_at for b in sent)
    assert rnd.sections.filter(stage=BidStage.EOI).get().questions.count() == 3
    by_lead = {b.lead.code: b for b in sent}
    invited = {c for c, b in by_lead.items() if b.stage == BidStage.FULL and b.status == BidStatus.DRAFT}
    declined = {c for c, b in by_lead.items() if b.status == BidStatus.NOT_INVITED}
    waiting = {c for c, b in by_lead.items() if b.stage == BidStage.EOI and b.status == BidStatus.SUBMITTED}
    assert (invited, declined, waiting) == ({"BIR", "MAN"}, {"LDS", "GRA"}, {"SHF", "YOR"})
    assert all(by_lead[c].status_reason for c in declined)
    assert all(by_lead[c].invited_at and by_lead[c].eoi_feedback for c in invited)
    # York's invitation is proposed, not confirmed; Sheffield's not looked at yet.
    pending = EoiTriage.objects.filter(bid__round=rnd, confirmed_at__isnull=True)
    assert [t.bid.lead.code for t in pending] == ["YOR"]
    assert not EoiTriage.objects.filter(bid=by_lead["SHF"]).exists()
    # Full bids are by invitation now: Kent, which sent none, cannot start one.
    kent = User.objects.get(email="council.officer@kent.example.com")
    assert services.start_eligibility(round=rnd, user=kent)


def test_seed_demo_adds_bids_idempotently():
    call_command("seed_demo")  # the second run: the module's seed was the first
    bids = Bid.objects.filter(round=Round.objects.get(name__startswith="Digital Inclusion"))
    assert bids.count() == 3 and not bids.filter(lead__code="KEN").exists()  # Kent has one to start
    joint = bids.get(lead__code="GRA")
    assert joint.status == BidStatus.DRAFT and joint.partners.get().organisation.code == "MDW"
    assert bids.filter(status=BidStatus.SUBMITTED).exists()
