"""The demo's two-stage round: open for expressions of interest, five sent and waiting for the
programme's triage, and Kent's officer can still send one."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications import services
from applications.models import Bid, BidStage, BidStatus
from grants.models import Round, User

pytestmark = pytest.mark.django_db


def test_demo_has_a_two_stage_round_with_eois_waiting_and_kent_free_to_send_one():
    call_command("seed_demo")
    rnd = Round.objects.get(slug__startswith="productivity-experts-eoi-")
    now = timezone.now()
    assert rnd.name.endswith(": expressions of interest") and rnd.programme.slug == "productivity-experts"
    assert rnd.opens_at < now < rnd.eoi_closes_at < rnd.closes_at
    sent = Bid.objects.filter(round=rnd, stage=BidStage.EOI, status=BidStatus.SUBMITTED).order_by("reference")
    assert [b.lead.short_name for b in sent] == ["Birmingham", "Manchester", "Sheffield", "York", "Gravesham"]
    assert all(b.eoi_submitted_at and b.answers.count() == 3 for b in sent)
    assert rnd.sections.filter(stage=BidStage.EOI).get().questions.count() == 3
    kent = User.objects.get(email="council.officer@kent.example.com")
    assert services.start_eligibility(round=rnd, user=kent) == []
