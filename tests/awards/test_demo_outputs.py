"""The demo carries the funder's output figures (issue 17, items 3 and 9), entered through the
services, and the board's outputs section reproduces them; seeding twice adds nothing."""

from datetime import date
from decimal import Decimal

import pytest

from grants import demo as grants_demo
from grants.awards import demo
from grants.awards import outputs as rules
from grants.awards.models import Award, OutputForecast, OutputTarget
from grants.models import Programme
from grants.reporting.board_outputs import board_outputs
from tests.conftest import seeded_for_module

pytestmark = pytest.mark.django_db
D = Decimal


def _seed_twice() -> None:
    demo.seed(context=grants_demo.seed())
    counts = (Award.objects.count(), OutputTarget.objects.count(), OutputForecast.objects.count())
    demo.seed(context=grants_demo.seed())
    assert (Award.objects.count(), OutputTarget.objects.count(), OutputForecast.objects.count()) == counts


@pytest.fixture(scope="module")
def _seeded_once_for_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both seeds run once for the module (they were nearly all of each test's time); each test
    meets the data as seeded, in a savepoint rolled back after it (tests/conftest.py)."""
    with seeded_for_module(django_db_blocker, tmp_path_factory.mktemp("media"), _seed_twice):
        yield


@pytest.fixture
def seeded(_seeded_once_for_module, db):
    pass


def _rows(slug: str, as_at: date) -> dict[str, list]:
    programme = Programme.objects.get(slug=slug)
    sections = board_outputs([programme.pk], as_at).get(programme.pk, [])
    return {row[0]: row for section in sections for row in section.rows}


def test_land_release_fund_homes_within_tolerance_of_the_inception_baseline(seeded):
    homes = _rows("land-release-fund", date(2019, 3, 31))["Homes (land released for)"]
    name, baseline, previous, latest, change, actual, tolerance, status, outside, share = homes
    assert (baseline, previous, latest, change) == (D("7280"), D("7445"), D("7253"), D("-192"))
    assert (status, outside) == ("Within tolerance", 0)
    # Before any forecast was recorded the line is the baseline alone.
    before = _rows("land-release-fund", date(2018, 6, 30))["Homes (land released for)"]
    assert before[1:5] == [D("7280"), None, D("7280"), None]
    # Each change has its reason in the history.
    latest_rows = OutputForecast.objects.filter(
        target__award__round__slug="land-release-fund-2017-18", is_baseline=False
    )
    assert latest_rows.count() == 4 and all(f.reason for f in latest_rows)


def test_percentage_outcomes_are_shown_as_reported(seeded):
    outcomes = _rows("behavioural-insights", date(2019, 3, 31))
    assert outcomes["Increase in direct-debit sign-up"][5] == D("61")
    assert outcomes["Increase in referrals"][5] == D("39")
    assert outcomes["Increase in victims taking up support"][5] == D("2.3")
    (worcestershire,) = rules.standings(OutputTarget.objects.filter(award__reference="BI3-000002"))
    assert worcestershire.show(worcestershire.actual) == "61%"


def test_warrington_savings_against_the_projections(seeded):
    by_name = {o.name: o for o in rules.standings(OutputTarget.objects.filter(award__reference="BI3-000001"))}
    savings, avoidance = by_name["Savings"], by_name["Cost avoidance"]
    assert (savings.show(savings.actual), savings.show(savings.forecast)) == ("£8,500", "£42,000")
    assert (avoidance.show(avoidance.actual), avoidance.show(avoidance.forecast)) == ("£133,000", "£380,000")
