"""Fixtures shared by the scoring tests."""

from decimal import Decimal

import pytest

from grants.models import Round
from scoring.models import Scale
from tests import factories as f

from .factories import CriterionFactory, close_round, declare


@pytest.fixture
def personas(personas):
    """The shared personas, with their round closed: assessment starts after the round closes
    (`scoring.services.common.assessment_open`), so the assessment tests score a closed round."""
    close_round(personas.round)
    return personas


@pytest.fixture
def gated_round(personas):
    """The persona round with a £100,000 budget (£60,000 at most a bid), criteria Quality (0-4,
    weight 3) and Eligible (gateway), and a second declared assessor: (round, quality, gate, second)."""
    rnd = personas.round
    Round.objects.filter(pk=rnd.pk).update(budget=Decimal("100000.00"), max_award=Decimal("60000.00"))
    rnd.refresh_from_db()
    quality = CriterionFactory(round=rnd, name="Quality", weight=3, scale=Scale.ZERO_FOUR)
    gate = CriterionFactory(round=rnd, name="Eligible", scale=Scale.GATEWAY)
    second = f.UserFactory()
    f.PanelMemberFactory(panel=rnd.panel, user=second)
    declare(second, rnd)
    return rnd, quality, gate, second
