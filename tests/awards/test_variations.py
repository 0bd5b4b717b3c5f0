"""Variations that would break something are refused with a reason: passing the round's budget,
an award no longer live, a cut bigger than the last unpaid tranche. Start dates can change too."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.awards import services as m
from grants.awards import services as s
from grants.awards.models import (
    AwardStatus,
    FundReturn,
    PaymentTranche,
    TrancheStatus,
    VariationKind,
    VariationStatus,
)
from grants.awards.selectors import round_committed

from .factories import AwardFactory, MilestoneFactory

pytestmark = pytest.mark.django_db
D = Decimal
A = AwardStatus


@pytest.fixture
def live(personas):
    # The round's budget is £500,000; this award holds £30,000 of it.
    return AwardFactory(round=personas.round, lead=personas.lead_org, status=A.ACTIVE)


def _ask(personas, award, **kwargs):
    kind = kwargs.pop("kind", VariationKind.AMOUNT)
    return m.variation_request(award=award, actor=personas.lead_officer, kind=kind, reason="Because", **kwargs)


def _pay(tranche: PaymentTranche) -> None:
    tranche.status, tranche.paid_on, tranche.payment_reference = TrancheStatus.PAID, timezone.localdate(), "P"
    tranche.save()


def test_round_committed_counts_standing_awards_and_what_ended_ones_kept(personas, live):
    AwardFactory(round=personas.round, status=A.DECLINED, amount=D("99999"))
    AwardFactory(round=personas.round, status=A.WITHDRAWN, amount=D("99999"))
    ended = AwardFactory(round=personas.round, status=A.TERMINATED, amount=D("50000"))
    _pay(ended.tranches.get())
    FundReturn.objects.create(award=ended, amount=D("45000"), returned_on=date(2025, 1, 1), reason="Returned")
    assert round_committed(round=personas.round) == D("30000") + D("5000")


def test_an_increase_past_the_round_budget_is_refused(personas, live):
    AwardFactory(round=personas.round, status=A.ACCEPTED, amount=D("460000"))  # £490,000 committed
    too_much = _ask(personas, live, new_amount=D("40000.01"))
    with pytest.raises(s.AwardError, match="more than its budget of £500,000 "):
        m.variation_decide(variation=too_much, actor=personas.programme_manager, approve=True)
    live.refresh_from_db()
    too_much.refresh_from_db()
    assert live.amount == D("30000") and too_much.status == VariationStatus.PENDING
    fits = _ask(personas, live, new_amount=D("40000"))  # exactly the budget
    m.variation_decide(variation=fits, actor=personas.programme_manager, approve=True)
    live.refresh_from_db()
    assert live.amount == D("40000")


def test_a_cut_is_allowed_even_when_the_round_is_over_budget(personas, live):
    AwardFactory(round=personas.round, status=A.COMPLETED, amount=D("600000"))  # history over budget
    v = _ask(personas, live, new_amount=D("25000"))
    m.variation_decide(variation=v, actor=personas.programme_manager, approve=True)
    live.refresh_from_db()
    assert live.amount == D("25000") and live.tranches.get().amount == D("25000")


@pytest.mark.parametrize("ended", [A.COMPLETED, A.TERMINATED])
def test_no_decision_once_the_award_is_no_longer_live(personas, live, ended):
    v = _ask(personas, live, kind=VariationKind.SCOPE, new_scope="Bigger")
    type(live).objects.filter(pk=live.pk).update(status=ended)
    for approve, reason in ((True, ""), (False, "No")):
        with pytest.raises(s.AwardError, match="can no longer change"):
            m.variation_decide(variation=v, actor=personas.programme_manager, approve=approve, reason=reason)
    live.refresh_from_db()
    assert live.scope != "Bigger"


def test_ending_an_award_refuses_its_pending_variations(personas, live):
    v = _ask(personas, live, new_amount=D("35000"))
    s.award_end(award=live, actor=personas.programme_manager, to=A.TERMINATED, reason="Breach")
    v.refresh_from_db()
    assert v.status == VariationStatus.REFUSED and "terminated" in v.decision_reason


def test_start_date_can_change(personas, live, client_for):
    new_start = live.planned_start + timedelta(days=30)
    c = client_for(personas.lead_officer)
    response = c.post(
        reverse("awards:variation_new", args=[live.pk]),
        {"kind": "dates", "reason": "Late supplier", "new_planned_start": new_start.isoformat()},
    )
    assert response.status_code == 302
    v = live.variations.get()
    assert v.new_planned_start == new_start and v.new_planned_end is None
    m.variation_decide(variation=v, actor=personas.programme_manager, approve=True)
    live.refresh_from_db()
    v.refresh_from_db()
    assert live.planned_start == new_start and v.previous["planned_start"]
    # A start after the end is refused at the request, against the field.
    body = c.post(
        reverse("awards:variation_new", args=[live.pk]),
        {"kind": "dates", "reason": "x", "new_planned_start": (live.planned_end + timedelta(days=1)).isoformat()},
    ).content.decode()
    assert "The project must end on or after the day it starts" in body


def test_a_cut_bigger_than_the_last_unpaid_tranche_is_refused_and_keeps_the_plan(personas, live, client_for):
    milestone = MilestoneFactory(award=live)
    live.tranches.all().delete()
    first = live.tranches.create(number=1, amount=D("10000"), due_on=timezone.localdate())
    _pay(first)
    live.tranches.create(number=2, amount=D("15000"), due_on=timezone.localdate())
    live.tranches.create(number=3, amount=D("5000"), milestone=milestone)
    v = _ask(personas, live, new_amount=D("22000"))  # a cut of £8,000, more than tranche 3's £5,000
    with pytest.raises(s.AwardError) as refused:
        m.variation_decide(variation=v, actor=personas.programme_manager, approve=True)
    message = " ".join(refused.value.messages)
    assert "more than the last unpaid tranche (tranche 3, £5,000)" in message and "Plan payments" in message
    assert [(t.number, t.amount, t.milestone_id) for t in live.tranches.order_by("number")] == [
        (1, D("10000"), None),
        (2, D("15000"), None),
        (3, D("5000"), milestone.pk),
    ]
    # The page shows the refusal and a link to the payment plan.
    body = (
        client_for(personas.programme_manager)
        .post(reverse("awards:variation_decide", args=[live.pk, v.pk]), {"decision": "approve", "decision_reason": ""})
        .content.decode()
    )
    assert "more than the last unpaid tranche" in body and reverse("awards:tranches", args=[live.pk]) in body


def test_a_cut_to_what_is_paid_removes_the_unpaid_tranches_on_the_record(personas, live):
    live.tranches.all().delete()
    _pay(live.tranches.create(number=1, amount=D("10000"), due_on=timezone.localdate()))
    live.tranches.create(number=2, amount=D("20000"), due_on=timezone.localdate())
    v = _ask(personas, live, new_amount=D("10000"))
    m.variation_decide(variation=v, actor=personas.programme_manager, approve=True)
    v.refresh_from_db()
    assert list(live.tranches.values_list("number", flat=True)) == [1]
    assert v.previous["removed_tranches"][0][:2] == [2, "20000.00"]
