"""seed_demo gives Behavioural Insights phase 4 a panel, criteria, scores and the eight selected bids."""

import pytest
from django.core.management import call_command

from grants.models import Round
from scoring import selectors
from scoring.demo import SELECTED
from scoring.models import Assessment, Criterion, PanelMember

# The module's seed (`demo_once`, seeded once for the module) is the first run; each test seeds a
# second time, so what it checks is the demo after two runs, as before.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


def test_demo_assessment_of_bi_phase_4_is_idempotent_and_ranks_the_eight_selected_first():
    call_command("seed_demo")
    rnd = Round.objects.get(slug="bi-phase-4")
    assert Criterion.objects.filter(round=rnd).count() == 5
    assert PanelMember.objects.filter(panel__round=rnd).count() == 4
    assert Assessment.objects.filter(bid__round=rnd, submitted_version=1).count() == 16 * 2
    result = selectors.ranking_for_round(rnd)
    assert len(result.rows) == 16
    top = [r.bid.lead.short_name for r in result.rows[:8]]
    assert sorted(top) == sorted(s for s, *_ in SELECTED)
    assert result.line_after == 8 and all(r.above_line for r in result.rows[:8])
    assert any(r.bid.gateway_failed for r in result.rows)
    assert list(selectors.moderation_queue(rnd, rnd.panel.moderation_threshold))


def test_demo_cyber_round_has_full_bid_criteria_and_a_panel_and_leaves_its_eois_for_triage():
    """Issue 16: the two-stage Cyber Security round can take an invited full bid to a decision."""
    from applications.models import Bid, BidStage, BidStatus
    from scoring.demo_cyber_eoi import CRITERIA

    call_command("seed_demo")
    rnd = Round.objects.get(name__startswith="Cyber Security", eoi_closes_at__isnull=False)
    criteria = list(Criterion.objects.filter(round=rnd))
    assert [c.name for c in criteria] == [name for name, *_ in CRITERIA]
    assert sum(c.weight for c in criteria) == 100 and not any(c.is_gateway for c in criteria)
    members = PanelMember.objects.filter(panel__round=rnd).select_related("user")
    assert sorted((m.user.email, m.is_chair) for m in members) == [
        ("panel.chair@lga.example.com", True),
        ("panel.member@lga.example.com", False),
    ]
    assert not rnd.interest_declarations.exists()  # each member declares before scoring
    eois = Bid.objects.filter(round=rnd)
    assert eois.count() == 4 and all(b.stage == BidStage.EOI and b.status == BidStatus.SUBMITTED for b in eois)
