"""Messages are a route to a bid too: a panel member conflicted on it hears nothing about it or
its award (in-app or email, events or reminders), whatever their council role, while the
council's other officers still do.

The world's conflicted officers (tests/security/world.py) hold a council role at the lead and the
partner council and sit on the round's panel; each test makes something happen to the bid or its
award through the service that does it, then reads the outbox.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications import services as bid_services
from grants.awards import services as award_services
from grants.awards.reminders import award_reminders
from notifications.models import Notification
from scoring import services as scoring_services
from scoring.models import Outcome

from .observe import people
from .world import build_world


@pytest.fixture
def world(personas):
    return build_world(personas)


def _told(event: str) -> set[str]:
    return set(Notification.objects.filter(event=event).values_list("recipient__email", flat=True))


def _check(who, told: set[str], *, hears: tuple[str, ...], not_hears: tuple[str, ...]) -> None:
    emails = {name: who[name].email for name in (*hears, *not_hears)}
    assert {emails[name] for name in hears} <= told, told  # the message went: the test looks at the right thing
    assert not {emails[name] for name in not_hears} & told, told


def test_returning_the_bid_tells_the_lead_council_but_not_its_conflicted_officer(personas, world):
    bid_services.return_bid(bid=world.bid, actor=personas.programme_manager, reason="Add the costs")
    _check(people(personas), _told("bid_returned"), hears=("lead_officer", "signatory"), not_hears=(
        "conflicted_lead_officer", "lead_no_role"))  # fmt: skip


def test_withdrawal_tells_the_partner_council_but_not_its_conflicted_officer(personas, world):
    bid_services.withdraw_bid(bid=world.bid, actor=personas.lead_officer, reason="Funded elsewhere")
    _check(people(personas), _told("bid_withdrawn"), hears=("partner_officer",), not_hears=(
        "conflicted_partner_officer",))  # fmt: skip


def test_the_outcome_letter_skips_the_conflicted_officer(personas, world):
    pm = personas.programme_manager
    scoring_services.decision_propose(
        bid=world.bid,
        actor=pm,
        outcome=Outcome.NOT_FUNDED,
        feedback="Not this time",
        assessments_override="One is enough",
    )
    scoring_services.decisions_confirm(round=world.round, bid_ids=[world.bid.pk], actor=pm)
    _check(people(personas), _told("outcome"), hears=("lead_officer",), not_hears=("conflicted_lead_officer",))


def test_award_messages_skip_the_conflicted_officer(personas, world):
    award_services.variation_decide(
        variation=world.variation, actor=personas.programme_manager, approve=False, reason="Keep the dates"
    )
    told = set(Notification.objects.filter(url__startswith=f"/awards/{world.award.pk}/").values_list(
        "recipient__email", flat=True))  # fmt: skip
    _check(people(personas), told, hears=("lead_officer", "signatory"), not_hears=("conflicted_lead_officer",))


def test_return_reminders_skip_the_conflicted_officer(personas, world):
    due = world.mreturn.period.due_on
    now = timezone.now() + (due - timezone.localdate() - timedelta(days=14))  # 14 days before it is due
    recipients = {r.recipient.email for r in award_reminders(now) if f"return:{world.mreturn.pk}:" in r.dedupe_key}
    _check(people(personas), recipients, hears=("lead_officer", "signatory"), not_hears=("conflicted_lead_officer",))
