"""The outcome letters councils receive when decisions are confirmed: one £ sign, and a
reserve told it is on the reserve list, not that it failed."""

from decimal import Decimal

import pytest
from django.core import mail

from scoring import services

from .factories import SubmittedBidFactory

pytestmark = pytest.mark.django_db


def _confirm(personas, outcomes, capture):
    rnd, pm = personas.round, personas.programme_manager
    leads = (personas.lead_org, personas.other_org, personas.partner_org)
    bids = []
    for lead, (outcome, amount) in zip(leads, outcomes, strict=False):
        bid = SubmittedBidFactory(round=rnd, lead=lead, amount_requested=Decimal("30000.00"))
        services.decision_propose(
            bid=bid,
            actor=pm,
            outcome=outcome,
            amount=amount,
            feedback=f"Feedback {outcome}",
            assessments_override="Assessed on paper by the panel",  # no assessments recorded here
        )
        bids.append(bid)
    mail.outbox.clear()
    with capture(execute=True):
        services.decisions_confirm(round=rnd, bid_ids=[b.pk for b in bids], actor=pm)
    return bids


def _letters(to: str) -> list:
    return [m for m in mail.outbox if to in m.to and m.subject.startswith("Decision on bid")]


def test_funded_letter_shows_the_amount_once_with_one_pound_sign(personas, django_capture_on_commit_callbacks):
    _confirm(personas, [("funded", Decimal("25000.00"))], django_capture_on_commit_callbacks)
    (letter,) = _letters(personas.lead_officer.email)
    assert "we intend to offer a grant of £25,000." in letter.body
    assert "££" not in letter.body
    html = letter.alternatives[0][0]
    assert "£25,000" in html and "£25,000.00" not in html and "££" not in html


def test_reserve_letter_says_reserve_and_not_funded_says_sorry(personas, django_capture_on_commit_callbacks):
    _confirm(personas, [("reserve", None), ("not_funded", None)], django_capture_on_commit_callbacks)
    (reserve,) = _letters(personas.lead_officer.email)
    assert "placed on the reserve list; we will tell you if funding becomes available" in reserve.body
    assert "not been successful" not in reserve.body
    assert "reserve list" in reserve.alternatives[0][0]
    (refusal,) = _letters(personas.other_officer.email)
    assert "We are sorry, your bid has not been successful this time." in refusal.body
    assert "reserve" not in refusal.body and "Feedback not_funded" in refusal.body
