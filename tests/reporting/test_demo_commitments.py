"""The demo's commitments and the 2017/18 Memorandum of Understanding: "60 deliverables: 56 Green,
4 Amber, 0 Red", as the board report shows them; entered through the services; idempotent."""

from datetime import date
from decimal import Decimal

import pytest

from grants import demo as grants_demo
from grants.awards import demo as awards_demo
from grants.awards.models import OutputValue
from grants.models import AuditEvent, Programme
from grants.reporting import demo_commitments
from grants.reporting.board_commitments import board_commitments, board_deliverables
from grants.reporting.commitments import Commitment, Deliverable, DeliverableRagChange
from grants.reporting.management.commands.seed_demo import SEEDS

pytestmark = pytest.mark.django_db


def _seed():
    context = grants_demo.seed()
    awards_demo.seed(context=context)
    demo_commitments.seed(context=context)
    return context


def test_the_demo_is_in_the_seed_chain_and_idempotent():
    assert demo_commitments in SEEDS
    _seed()
    counts = (Commitment.objects.count(), Deliverable.objects.count(), DeliverableRagChange.objects.count(),
              AuditEvent.objects.count())  # fmt: skip
    _seed()
    assert (Commitment.objects.count(), Deliverable.objects.count(), DeliverableRagChange.objects.count(),
            AuditEvent.objects.count()) == counts  # fmt: skip
    assert counts[:3] == (6, 60, 60)


@pytest.mark.parametrize("as_at", [date(2018, 3, 31), date(2019, 3, 31)])
def test_the_board_shows_sixty_deliverables_56_green_4_amber_0_red(as_at):
    context = _seed()
    pex = context["programmes"]["productivity-experts"]
    counts, not_green = board_deliverables([pex.pk], as_at)[pex.pk]
    assert counts.title == "Deliverables 2017/18: 60 deliverables: 56 Green, 4 Amber, 0 Red"
    assert [row[:2] for row in counts.rows] == [["Green", 56], ["Amber", 4], ["Red", 0], ["Not set or not computed", 0]]
    assert len(not_green.rows) == 4 and all(row[4].startswith("Partially achieved") for row in not_green.rows)
    assert not_green.rows[0][1] == "Channel Shift: the 23 funded councils' services live"
    # Before the year-end assessment nothing was set.
    [early, _] = board_deliverables([pex.pk], date(2017, 12, 31))[pex.pk]
    assert early.rows[3][:2] == ["Not set or not computed", 60]
    # The deliverables the reports do not name say they are illustrative.
    titles = list(Deliverable.objects.filter(programme=pex).values_list("title", flat=True))
    assert sum(t.startswith("(Illustrative)") for t in titles) == 52


def test_the_demo_commitments_carry_targets_and_live_progress():
    _seed()
    programmes = {p.slug: p for p in Programme.objects.all()}
    got = board_commitments([p.pk for p in programmes.values()], date(2030, 3, 31))
    ope = {row[0]: row for row in got[programmes["one-public-estate"].pk][0].rows}
    homes = sum(
        OutputValue.objects.filter(
            output__kind="homes", monitoring_return__award__round__programme=programmes["one-public-estate"]
        ).values_list("value", flat=True),
        Decimal(0),
    )
    assert homes > 0
    assert ope["Land released for at least 25,000 homes"][2:5] == ["25,000", f"{homes:,.0f}", "Not yet"]
    pex = {row[0]: row for row in got[programmes["productivity-experts"].pk][0].rows}
    assert pex["At least £25m savings or income over four years"][2:5] == ["£25,000,000", "£42,600,000", "Met"]
    cyber = {row[0] for row in got[programmes["cyber-security"].pk][0].rows}
    assert cyber == {"Grants to at least 100 councils at greatest risk", "At least £1m in grants"}
