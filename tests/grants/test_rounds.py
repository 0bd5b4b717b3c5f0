from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.models import OrgKind, RoundStatus
from grants.selectors import round_eligibility, rounds_public
from tests import factories as f

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def test_closing_must_follow_opening():
    rnd = f.RoundFactory.build(programme=f.ProgrammeFactory())
    rnd.closes_at = rnd.opens_at - timedelta(minutes=1)
    with pytest.raises(ValidationError) as exc:
        rnd.full_clean()
    assert "The closing date must be after the opening date" in exc.value.message_dict["closes_at"]


@pytest.mark.parametrize(
    "min_award, max_award, budget, field",
    [("60000", "50000", "500000", "min_award"), ("10000", "600000", "500000", "max_award")],
)
def test_minimum_le_maximum_le_budget(min_award, max_award, budget, field):
    rnd = f.RoundFactory.build(
        programme=f.ProgrammeFactory(),
        min_award=Decimal(min_award),
        max_award=Decimal(max_award),
        budget=Decimal(budget),
    )
    with pytest.raises(ValidationError) as exc:
        rnd.full_clean()
    assert field in exc.value.message_dict


def test_joint_bids_need_room_for_a_partner():
    rnd = f.RoundFactory.build(programme=f.ProgrammeFactory(), joint_bids_allowed=True, max_partners=0)
    with pytest.raises(ValidationError) as exc:
        rnd.full_clean()
    assert "max_partners" in exc.value.message_dict


def test_database_refuses_a_round_closing_before_it_opens():
    from django.db import IntegrityError, transaction

    rnd = f.RoundFactory()
    rnd.closes_at = rnd.opens_at - timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        rnd.save()


def test_status_derives_from_dates_and_decisions():
    opens = datetime(2026, 3, 1, 9, tzinfo=LONDON)
    closes = datetime(2026, 3, 29, 12, tzinfo=LONDON)  # the morning the clocks go forward
    rnd = f.RoundFactory(opens_at=opens, closes_at=closes, published=False)
    assert rnd.status_at(opens) == RoundStatus.DRAFT
    rnd.published = True
    assert rnd.status_at(opens - timedelta(seconds=1)) == RoundStatus.SCHEDULED
    assert rnd.status_at(opens) == RoundStatus.OPEN
    assert rnd.status_at(closes - timedelta(seconds=1)) == RoundStatus.OPEN
    assert rnd.status_at(closes) == RoundStatus.CLOSED
    rnd.assessment_started_at = closes + timedelta(days=1)
    assert rnd.status_at(closes + timedelta(days=2)) == RoundStatus.IN_ASSESSMENT
    rnd.decided_at = closes + timedelta(days=30)
    assert rnd.status_at(closes + timedelta(days=31)) == RoundStatus.DECIDED


def test_a_round_still_open_for_bids_shows_open_even_if_scoring_started_early():
    opens = datetime(2026, 3, 1, 9, tzinfo=LONDON)
    closes = datetime(2026, 3, 29, 12, tzinfo=LONDON)
    rnd = f.RoundFactory(opens_at=opens, closes_at=closes, assessment_started_at=opens + timedelta(days=3))
    assert rnd.status_at(opens + timedelta(days=4)) == RoundStatus.OPEN
    assert rnd.status_at(closes) == RoundStatus.IN_ASSESSMENT
    rnd.decided_at = opens + timedelta(days=5)  # even a decision recorded early waits for the deadline
    assert rnd.status_at(closes - timedelta(seconds=1)) == RoundStatus.OPEN
    assert rnd.status_at(closes) == RoundStatus.DECIDED


def test_public_list_shows_open_and_upcoming_only():
    open_round = f.RoundFactory()
    upcoming = f.RoundFactory(
        opens_at=datetime(2099, 1, 1, tzinfo=LONDON), closes_at=datetime(2099, 2, 1, tzinfo=LONDON)
    )
    closed = f.RoundFactory(opens_at=datetime(2019, 1, 1, tzinfo=LONDON), closes_at=datetime(2019, 2, 1, tzinfo=LONDON))
    draft = f.RoundFactory(published=False)
    listed = set(rounds_public())
    assert {open_round, upcoming} <= listed
    assert closed not in listed and draft not in listed


def test_public_list_says_when_an_upcoming_round_opens(client):
    f.RoundFactory(name="Open one")
    f.RoundFactory(
        name="Upcoming one",
        opens_at=datetime(2099, 6, 1, 9, tzinfo=LONDON),
        closes_at=datetime(2099, 7, 1, 17, tzinfo=LONDON),
    )
    html = client.get("/rounds/").content.decode()
    row = html[html.index("Upcoming one") :]
    assert "1 June 2099, 9am" in row[: row.index("</tr>")]
    row = html[html.index("Open one") :]
    assert "Open now" in row[: row.index("</tr>")]


class TestEligibility:
    def test_an_open_round_accepts_a_current_english_council(self):
        assert round_eligibility(round=f.RoundFactory(), organisation=f.OrganisationFactory()) == []

    def test_organisation_type(self):
        rnd = f.RoundFactory(eligible_kinds=[OrgKind.COUNTY, OrgKind.UNITARY])
        reasons = round_eligibility(round=rnd, organisation=f.OrganisationFactory(kind=OrgKind.DISTRICT))
        assert reasons == ["This round is open to these types of organisation only: county council, unitary authority."]

    def test_other_bodies_are_not_councils_by_default(self):
        reasons = round_eligibility(round=f.RoundFactory(), organisation=f.OrganisationFactory(kind=OrgKind.POLICE))
        assert any("types of organisation" in r for r in reasons)

    def test_region(self):
        rnd = f.RoundFactory(eligible_regions=["North West"])
        reasons = round_eligibility(round=rnd, organisation=f.OrganisationFactory(region="South East"))
        assert reasons == ["This round is open to organisations in North West only."]

    def test_england_only(self):
        reasons = round_eligibility(round=f.RoundFactory(), organisation=f.OrganisationFactory(nation="Wales"))
        assert "This round is for organisations in England only." in reasons

    def test_named_list(self):
        rnd = f.RoundFactory(eligibility_note="councils rated Red or Amber-Red")
        named, unnamed = f.OrganisationFactory(), f.OrganisationFactory()
        rnd.eligible_organisations.add(named)
        assert round_eligibility(round=rnd, organisation=named) == []
        [reason] = round_eligibility(round=rnd, organisation=unnamed)
        # The note says why the list exists (a confidential rating): councils never see it.
        assert reason == (
            f"This round is open only to councils the programme has invited, and {unnamed.short_name} "
            "has not been invited."
        )

    def test_former_council(self):
        from datetime import date

        reasons = round_eligibility(
            round=f.RoundFactory(), organisation=f.OrganisationFactory(end_date=date(2020, 3, 31))
        )
        assert any("no longer exists" in r for r in reasons)

    def test_round_not_open(self):
        rnd = f.RoundFactory(
            opens_at=datetime(2019, 1, 1, tzinfo=LONDON), closes_at=datetime(2019, 2, 1, tzinfo=LONDON)
        )
        assert round_eligibility(round=rnd, organisation=f.OrganisationFactory()) == [
            "This round is not open for bids."
        ]

    def test_round_not_yet_open_says_when(self):
        rnd = f.RoundFactory(
            opens_at=datetime(2099, 6, 1, 9, tzinfo=LONDON), closes_at=datetime(2099, 7, 1, tzinfo=LONDON)
        )
        [reason] = round_eligibility(round=rnd, organisation=f.OrganisationFactory())
        assert reason == "This round opens on 1 June 2099 at 9am."

    def test_eligibility_uses_server_time(self):
        rnd = f.RoundFactory(
            opens_at=datetime(2026, 3, 1, tzinfo=LONDON), closes_at=datetime(2026, 3, 29, 12, tzinfo=LONDON)
        )
        org = f.OrganisationFactory()
        with time_machine.travel(datetime(2026, 3, 29, 11, 59, 59, tzinfo=LONDON)):
            assert round_eligibility(round=rnd, organisation=org) == []
        with time_machine.travel(datetime(2026, 3, 29, 12, 0, 0, tzinfo=LONDON)):
            assert round_eligibility(round=rnd, organisation=org) == ["This round is not open for bids."]


@pytest.mark.django_db(transaction=True)
def test_the_kept_round_list_changes_when_the_clock_passes_a_rounds_opening_or_deadline(client):
    """The public list is kept until the data changes or, by the clock, until the next round
    opens or closes (issue 19): a kept list must not go on saying "Open now" after a deadline,
    nor "opens" once a round has opened, nor miss a round published since."""
    now = timezone.now()
    f.RoundFactory(name="Closing round", closes_at=now + timedelta(hours=1))
    opening = f.RoundFactory(
        name="Opening round", opens_at=now + timedelta(minutes=30), closes_at=now + timedelta(days=9)
    )
    url = reverse("grants:round_list")
    with time_machine.travel(now, tick=False):
        client.get(url)
        page = client.get(url).content.decode()  # kept
    assert "Closing round" in page and page.count("Open now") == 1
    with time_machine.travel(now + timedelta(minutes=31), tick=False):
        assert client.get(url).content.decode().count("Open now") == 2  # the opening round has opened
    with time_machine.travel(now + timedelta(minutes=61), tick=False):
        page = client.get(url).content.decode()
    assert "Closing round" not in page and opening.name in page
    f.RoundFactory(name="Published since", closes_at=now + timedelta(days=3))
    with time_machine.travel(now + timedelta(minutes=62), tick=False):
        assert "Published since" in client.get(url).content.decode()
