"""A round's schedule of returns, its outputs from the catalogue, and award targets."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.awards import services as schedule
from grants.awards.models import AwardStatus, OutputTarget, RoundOutput
from grants.awards.services import AwardError

from .factories import AwardFactory

pytestmark = pytest.mark.django_db


def test_period_added_to_live_awards_only(personas):
    live = AwardFactory(round=personas.round, status=AwardStatus.ACTIVE)
    offered = AwardFactory(round=personas.round)
    today = timezone.localdate()
    schedule.return_period_add(
        round=personas.round,
        actor=personas.programme_manager,
        title="Quarter 1",
        period_start=today,
        period_end=today + timedelta(days=90),
        due_on=today + timedelta(days=110),
    )
    assert live.returns.count() == 1 and offered.returns.count() == 0


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"title": ""}, "title"),
        ({"period_end": date(2025, 12, 31)}, "period_end"),
        ({"due_on": date(2026, 3, 1)}, "due_on"),
    ],
)
def test_period_validation(personas, fields, error_field):
    args = {
        "title": "Q1",
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 3, 31),
        "due_on": date(2026, 4, 30),
    }
    with pytest.raises(AwardError) as exc:
        schedule.return_period_add(round=personas.round, actor=personas.programme_manager, **{**args, **fields})
    assert error_field in exc.value.message_dict


def test_period_needs_manager(personas):
    with pytest.raises(AwardError):
        schedule.return_period_add(
            round=personas.round,
            actor=personas.other_programme_manager,
            title="Q1",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            due_on=date(2026, 4, 30),
        )


def test_outputs_from_catalogue_and_custom(personas):
    pm = personas.programme_manager
    savings = schedule.round_output_add(round=personas.round, actor=pm, kind="savings")
    assert savings.unit == "pounds"
    with pytest.raises(AwardError):
        schedule.round_output_add(round=personas.round, actor=pm, kind="savings")
    with pytest.raises(AwardError):
        schedule.round_output_add(round=personas.round, actor=pm, kind="custom", label="")
    custom = schedule.round_output_add(
        round=personas.round, actor=pm, kind="custom", label="Trees planted", unit="count"
    )
    assert custom.name == "Trees planted"
    assert RoundOutput.objects.filter(round=personas.round).count() == 2


def test_targets(personas):
    award = AwardFactory(round=personas.round, status=AwardStatus.ACTIVE)
    out = schedule.round_output_add(round=personas.round, actor=personas.programme_manager, kind="homes")
    schedule.output_targets_set(award=award, actor=personas.programme_manager, targets={out.pk: Decimal("300")})
    assert OutputTarget.objects.get(award=award).target == Decimal("300")
    with pytest.raises(AwardError):
        schedule.output_targets_set(award=award, actor=personas.lead_officer, targets={out.pk: Decimal("1")})


def test_round_monitoring_page(personas, client_for):
    url = reverse("awards:round_monitoring", args=[personas.round.slug])
    assert client_for(personas.other_programme_manager).get(url).status_code == 404
    assert client_for(personas.lead_officer).get(url).status_code == 404
    assert client_for(personas.board_viewer).get(url).status_code == 200
    assert client_for(personas.board_viewer).post(url, {"add_output": "1", "o-kind": "savings"}).status_code == 404
    c = client_for(personas.programme_manager)
    r = c.post(
        url,
        {
            "add_period": "1",
            "p-title": "Q1",
            "p-period_start": "2026-01-01",
            "p-period_end": "2026-03-31",
            "p-due_on": "2026-02-01",
        },
    )
    assert r.status_code == 200 and "due on or after the period ends" in r.content.decode()
    r = c.post(url, {"add_output": "1", "o-kind": "jobs_created"})
    assert r.status_code == 302 and personas.round.outputs.get().kind == "jobs_created"
