"""seed_demo gives Behavioural Insights phase 4 a panel, criteria, scores and the eight selected bids."""

import pytest
from django.core.management import call_command

from grants.models import Round
from scoring import selectors
from scoring.demo import SELECTED
from scoring.models import Assessment, Criterion, PanelMember

pytestmark = pytest.mark.django_db


def test_demo_assessment_of_bi_phase_4_is_idempotent_and_ranks_the_eight_selected_first():
    call_command("seed_demo")
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
