"""The award status table, acceptance, decline, withdrawal and closure."""

from decimal import Decimal
from itertools import product

import pytest

from grants.awards import services as s
from grants.awards.models import Award, AwardStatus, MonitoringReturn
from notifications.models import Notification

from .factories import AwardFactory, ReturnPeriodFactory

pytestmark = pytest.mark.django_db
A = AwardStatus


@pytest.mark.parametrize(("start", "to"), list(product(A.values, A.values)))
def test_every_transition_allowed_or_refused_by_the_table(personas, start, to):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=start)
    allowed = to in Award.TRANSITIONS[start]
    if allowed:
        s.award_transition(award=award, to=to, actor=personas.programme_manager)
        award.refresh_from_db()
        assert award.status == to
    else:
        with pytest.raises(s.AwardError):
            s.award_transition(award=award, to=to, actor=personas.programme_manager)
        award.refresh_from_db()
        assert award.status == start


def test_terminal_states_have_no_moves():
    for terminal in (A.DECLINED, A.COMPLETED, A.WITHDRAWN, A.TERMINATED):
        assert Award.TRANSITIONS[terminal] == ()
    assert set(Award.TRANSITIONS) == set(A.values)


def test_signatory_accepts_and_gets_returns_for_the_schedule(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org)
    ReturnPeriodFactory(round=personas.round, title="Q1")
    ReturnPeriodFactory(round=personas.round, title="Q2")
    s.award_accept(award=award, actor=personas.signatory, name="Sam Sign", role="Chief Executive", confirm_terms=True)
    award.refresh_from_db()
    assert award.status == A.ACCEPTED
    assert award.accepted_by == personas.signatory and award.accepted_name == "Sam Sign"
    assert MonitoringReturn.objects.filter(award=award).count() == 2
    assert Notification.objects.filter(event="award_accepted", recipient=personas.programme_manager).exists()


@pytest.mark.parametrize("who", ["lead_officer", "partner_officer", "other_officer", "programme_manager"])
def test_only_the_lead_signatory_may_accept(personas, who):
    award = AwardFactory(round=personas.round, lead=personas.lead_org)
    with pytest.raises(s.AwardError):
        s.award_accept(award=award, actor=getattr(personas, who), name="X", role="Y", confirm_terms=True)
    award.refresh_from_db()
    assert award.status == A.OFFERED


def test_accept_needs_terms_confirmed_and_name(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org)
    with pytest.raises(s.AwardError):
        s.award_accept(award=award, actor=personas.signatory, name="X", role="Y", confirm_terms=False)
    with pytest.raises(s.AwardError):
        s.award_accept(award=award, actor=personas.signatory, name=" ", role="Y", confirm_terms=True)


def test_accept_twice_refused(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=A.ACCEPTED)
    with pytest.raises(s.AwardError):
        s.award_accept(award=award, actor=personas.signatory, name="X", role="Y", confirm_terms=True)


def test_decline_needs_reason(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org)
    with pytest.raises(s.AwardError):
        s.award_decline(award=award, actor=personas.signatory, reason="")
    s.award_decline(award=award, actor=personas.signatory, reason="No capacity")
    award.refresh_from_db()
    assert award.status == A.DECLINED


def test_withdraw_by_manager_only(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org)
    with pytest.raises(s.AwardError):
        s.award_end(award=award, actor=personas.other_programme_manager, to=A.WITHDRAWN, reason="x")
    s.award_end(award=award, actor=personas.programme_manager, to=A.WITHDRAWN, reason="Council reorganised")
    award.refresh_from_db()
    assert award.status == A.WITHDRAWN


def test_closure_report_then_close(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=A.ACTIVE)
    with pytest.raises(s.AwardError):
        s.award_close(award=award, actor=personas.programme_manager)
    with pytest.raises(s.AwardError):
        s.closure_submit(award=award, actor=personas.partner_officer, closure_report="r", case_study="c")
    s.closure_submit(award=award, actor=personas.lead_officer, closure_report="We did it", case_study="Story")
    with pytest.raises(s.AwardError):
        s.award_close(award=award, actor=personas.lead_officer)
    s.award_close(award=award, actor=personas.programme_manager)
    award.refresh_from_db()
    assert award.status == A.COMPLETED and award.closed_at and award.case_study == "Story"


def test_historic_award_has_no_bid_and_a_reference(personas):
    award = s.award_create_historic(
        round=personas.round,
        lead=personas.lead_org,
        title="Old project",
        amount=Decimal("50000"),
        award_date=personas.round.opens_at.date(),
        actor=None,
        partners=[personas.partner_org],
    )
    assert award.bid is None and award.is_historic
    assert award.reference.startswith("AWD-")
    assert award.tranches.get().amount == Decimal("50000.00")
