"""Tranche plans add up to the award; payments need a finance officer, a TOTP code, and never pass the award."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from grants.awards import services as m
from grants.awards import services as p
from grants.awards import services as s
from grants.awards.models import AwardStatus, FundReturn, MilestoneStatus, PaymentTranche, TrancheStatus
from grants.awards.selectors import award_totals, programme_totals, round_totals
from notifications.models import Notification

from .factories import AwardFactory, MilestoneFactory, signed_in_request, totp_code

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def award(personas):
    return AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACCEPTED, amount=D("30000"))


def test_tranches_must_add_up(personas, award):
    today = timezone.localdate()
    with pytest.raises(s.AwardError, match="add up"):
        p.tranches_set(
            award=award, actor=personas.programme_manager, tranches=[{"amount": D("10000"), "due_on": today}]
        )
    rows = p.tranches_set(
        award=award,
        actor=personas.programme_manager,
        tranches=[{"amount": D("10000"), "due_on": today}, {"amount": D("20000"), "due_on": today}],
    )
    assert [t.number for t in rows] == [1, 2]
    assert sum(t.amount for t in award.tranches.all()) == award.amount


def test_tranche_needs_date_or_milestone_of_this_award(personas, award):
    other = MilestoneFactory()
    with pytest.raises(s.AwardError, match="due date"):
        p.tranches_set(award=award, actor=personas.programme_manager, tranches=[{"amount": D("30000")}])
    with pytest.raises(s.AwardError, match="another award"):
        p.tranches_set(
            award=award, actor=personas.programme_manager, tranches=[{"amount": D("30000"), "milestone": other}]
        )


def test_only_manager_plans(personas, award):
    with pytest.raises(s.AwardError):
        p.tranches_set(
            award=award,
            actor=personas.finance_officer,
            tranches=[{"amount": D("30000"), "due_on": timezone.localdate()}],
        )


def _pay(personas, tranche, code=None, **kw):
    actor = kw.pop("actor", personas.finance_officer)
    if code is None:
        cache.clear()  # forget used codes: each call here stands for a new 30-second window
    return p.payment_record(
        tranche=tranche,
        actor=actor,
        paid_on=kw.pop("paid_on", timezone.localdate()),
        payment_reference=kw.pop("payment_reference", "BACS-1"),
        totp_code=code if code is not None else totp_code(personas.finance_officer),
        request=signed_in_request(actor),
    )


def test_payment_records_activates_and_notifies(personas, award):
    tranche = award.tranches.get()
    _pay(personas, tranche)
    tranche.refresh_from_db()
    award.refresh_from_db()
    assert tranche.status == TrancheStatus.PAID and tranche.approved_by == personas.finance_officer
    assert award.status == AwardStatus.ACTIVE
    assert Notification.objects.filter(event="payment_made", recipient=personas.lead_officer).exists()


def test_payment_refuses_wrong_code_and_non_finance(personas, award):
    tranche = award.tranches.get()
    with pytest.raises(s.AwardError, match="authenticator"):
        _pay(personas, tranche, code="000000")
    with pytest.raises(s.AwardError, match="finance"):
        _pay(personas, tranche, actor=personas.programme_manager, code=totp_code(personas.programme_manager))
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.PLANNED


def test_code_works_once(personas, award):
    p.tranches_set(
        award=award,
        actor=personas.programme_manager,
        tranches=[
            {"amount": D("10000"), "due_on": timezone.localdate()},
            {"amount": D("20000"), "due_on": timezone.localdate()},
        ],
    )
    first, second = award.tranches.all()
    code = totp_code(personas.finance_officer)
    _pay(personas, first, code=code)
    with pytest.raises(s.AwardError):
        _pay(personas, second, code=code)


def test_paid_twice_and_ceiling_refused(personas, award):
    tranche = award.tranches.get()
    # A stray extra tranche (e.g. written outside the services) must still not pass the award.
    extra = PaymentTranche.objects.create(award=award, number=9, amount=D("1.00"), due_on=timezone.localdate())
    _pay(personas, tranche)
    with pytest.raises(s.AwardError, match="already"):
        _pay(personas, tranche)
    with pytest.raises(s.AwardError, match="more than the award"):
        _pay(personas, extra)
    assert award_totals(award=award)["paid"] == D("30000.00")


def test_payment_waits_for_confirmed_milestone(personas, award):
    milestone = MilestoneFactory(award=award)
    p.tranches_set(
        award=award, actor=personas.programme_manager, tranches=[{"amount": D("30000"), "milestone": milestone}]
    )
    tranche = award.tranches.get()
    with pytest.raises(s.AwardError, match="milestone"):
        _pay(personas, tranche)
    m.milestone_update(
        milestone=milestone, actor=personas.lead_officer, status=MilestoneStatus.COMPLETE, evidence="Live"
    )
    m.milestone_confirm(milestone=milestone, actor=personas.programme_manager)
    _pay(personas, tranche)


def test_offered_award_cannot_be_paid_and_future_date_refused(personas):
    offered = AwardFactory(round=personas.round, lead=personas.lead_org)
    with pytest.raises(s.AwardError):
        _pay(personas, offered.tranches.get())
    accepted = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACCEPTED)
    with pytest.raises(s.AwardError, match="future"):
        _pay(personas, accepted.tranches.get(), paid_on=timezone.localdate() + timedelta(days=1))


def test_returned_funds_net_off_in_award_round_and_programme_totals(personas, award):
    other = AwardFactory(round=personas.round, lead=personas.other_org, status=AwardStatus.ACCEPTED, amount=D("20000"))
    _pay(personas, award.tranches.get())
    with pytest.raises(s.AwardError, match="paid"):
        p.fund_return_record(
            award=other, actor=personas.finance_officer, amount=D("1"), returned_on=timezone.localdate(), reason="x"
        )
    p.fund_return_record(
        award=award,
        actor=personas.finance_officer,
        amount=D("30000"),
        returned_on=timezone.localdate(),
        reason="Could not proceed",
    )
    with pytest.raises(s.AwardError):
        p.fund_return_record(
            award=award, actor=personas.finance_officer, amount=D("0.01"), returned_on=timezone.localdate(), reason="x"
        )
    award.refresh_from_db()
    assert award_totals(award=award) == {
        "awarded": D("30000.00"),
        "paid": D("30000.00"),
        "returned": D("30000.00"),
        "net": D("0.00"),
        "outstanding": D("0.00"),
    }
    rt = round_totals(round=personas.round)
    assert rt["awarded"] == D("50000.00") and rt["paid"] == D("30000.00") and rt["net"] == D("0.00")
    assert rt["outstanding"] == D("20000.00")
    assert programme_totals(programme=personas.programme) == rt
    assert FundReturn.objects.count() == 1


def test_lead_officer_cannot_record_returned_funds(personas, award):
    with pytest.raises(s.AwardError):
        p.fund_return_record(
            award=award, actor=personas.lead_officer, amount=D("1"), returned_on=timezone.localdate(), reason="x"
        )
