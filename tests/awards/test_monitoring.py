"""Returns (RAG, commentary, outputs, the change-request loop), milestones and variations."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.awards import services as m
from grants.awards import services as s
from grants.awards.models import (
    AwardStatus,
    MilestoneStatus,
    MonitoringReturn,
    Rag,
    ReturnStatus,
    TrancheStatus,
    VariationKind,
    VariationStatus,
)
from grants.awards.selectors import latest_rag
from notifications.models import Notification

from .factories import AwardFactory, MilestoneFactory, ReturnPeriodFactory, RoundOutputFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def live(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    ReturnPeriodFactory(round=personas.round, title="Quarter 1")
    s.returns_create(award=award)
    return award


@pytest.fixture
def mreturn(live):
    return live.returns.get()


def _submit(personas, mreturn, rag=Rag.GREEN, commentary="", values=None, actor=None):
    return m.return_submit(
        mreturn=mreturn, actor=actor or personas.lead_officer, rag=rag, commentary=commentary, values=values or {}
    )


@pytest.mark.parametrize("rag", [Rag.AMBER, Rag.RED])
def test_amber_and_red_need_commentary(personas, mreturn, rag):
    with pytest.raises(s.AwardError) as exc:
        _submit(personas, mreturn, rag=rag, commentary="  ")
    assert "commentary" in exc.value.message_dict
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.DUE
    _submit(personas, mreturn, rag=rag, commentary="Supplier late; second supplier engaged")
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.SUBMITTED and mreturn.rag == rag


def test_green_without_commentary_and_rag_required(personas, mreturn):
    with pytest.raises(s.AwardError):
        _submit(personas, mreturn, rag="")
    _submit(personas, mreturn, rag=Rag.GREEN)
    assert latest_rag(award=mreturn.award) == Rag.GREEN


def test_output_values_saved_and_validated(personas, mreturn):
    savings = RoundOutputFactory(round=personas.round, kind="savings", unit="pounds")
    jobs = RoundOutputFactory(round=personas.round, kind="jobs_created", unit="count")
    with pytest.raises(s.AwardError, match="Savings"):
        _submit(personas, mreturn, values={savings.pk: "lots"})
    with pytest.raises(s.AwardError):
        _submit(personas, mreturn, values={savings.pk: "-5"})
    _submit(personas, mreturn, values={savings.pk: "£8,500", jobs.pk: "3"})
    assert {v.output_id: v.value for v in mreturn.values.all()} == {savings.pk: D("8500"), jobs.pk: D("3")}


def test_change_request_loop(personas, mreturn):
    _submit(personas, mreturn, rag=Rag.AMBER, commentary="Delayed")
    with pytest.raises(s.AwardError):
        m.return_request_changes(mreturn=mreturn, actor=personas.programme_manager, reason="")
    with pytest.raises(s.AwardError):
        m.return_request_changes(mreturn=mreturn, actor=personas.lead_officer, reason="self-review")
    m.return_request_changes(mreturn=mreturn, actor=personas.programme_manager, reason="Say what the mitigation is")
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.CHANGES_REQUESTED
    n = Notification.objects.get(event="return_changes_requested", recipient=personas.lead_officer, channel="in_app")
    assert n.context["reason"] == "Say what the mitigation is"
    # Cannot approve until resubmitted
    with pytest.raises(s.AwardError):
        m.return_approve(mreturn=mreturn, actor=personas.programme_manager)
    _submit(personas, mreturn, rag=Rag.AMBER, commentary="Delayed; a second supplier starts in May")
    m.return_approve(mreturn=mreturn, actor=personas.programme_manager)
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.APPROVED and mreturn.submission_count == 2
    with pytest.raises(s.AwardError):
        _submit(personas, mreturn)


@pytest.mark.parametrize(
    ("start", "action", "allowed"),
    [
        (ReturnStatus.DUE, "submit", True),
        (ReturnStatus.DUE, "approve", False),
        (ReturnStatus.DUE, "changes", False),
        (ReturnStatus.SUBMITTED, "submit", False),
        (ReturnStatus.SUBMITTED, "approve", True),
        (ReturnStatus.SUBMITTED, "changes", True),
        (ReturnStatus.CHANGES_REQUESTED, "submit", True),
        (ReturnStatus.CHANGES_REQUESTED, "approve", False),
        (ReturnStatus.CHANGES_REQUESTED, "changes", False),
        (ReturnStatus.APPROVED, "submit", False),
        (ReturnStatus.APPROVED, "approve", False),
        (ReturnStatus.APPROVED, "changes", False),
    ],
)
def test_return_transitions(personas, mreturn, start, action, allowed):
    MonitoringReturn.objects.filter(pk=mreturn.pk).update(status=start)
    mreturn.refresh_from_db()
    run = {
        "submit": lambda: _submit(personas, mreturn),
        "approve": lambda: m.return_approve(mreturn=mreturn, actor=personas.programme_manager),
        "changes": lambda: m.return_request_changes(mreturn=mreturn, actor=personas.programme_manager, reason="r"),
    }[action]
    if allowed:
        run()
    else:
        with pytest.raises(s.AwardError):
            run()
        mreturn.refresh_from_db()
        assert mreturn.status == start


def test_partner_cannot_submit(personas, live, mreturn):
    live.partners.add(personas.partner_org)
    with pytest.raises(s.AwardError):
        _submit(personas, mreturn, actor=personas.partner_officer)


def test_milestone_update_and_confirm(personas, live):
    ms = MilestoneFactory(award=live)
    with pytest.raises(s.AwardError, match="evidence"):
        m.milestone_update(milestone=ms, actor=personas.lead_officer, status=MilestoneStatus.COMPLETE)
    with pytest.raises(s.AwardError):
        m.milestone_confirm(milestone=ms, actor=personas.programme_manager)
    m.milestone_update(milestone=ms, actor=personas.lead_officer, status=MilestoneStatus.COMPLETE, evidence="Link")
    with pytest.raises(s.AwardError):
        m.milestone_confirm(milestone=ms, actor=personas.lead_officer)
    m.milestone_confirm(milestone=ms, actor=personas.programme_manager)
    ms.refresh_from_db()
    assert ms.is_done
    with pytest.raises(s.AwardError, match="confirmed"):
        m.milestone_update(milestone=ms, actor=personas.lead_officer, status=MilestoneStatus.MISSED, evidence="x")


def test_variation_dates_approved_changes_award(personas, live):
    new_end = timezone.localdate() + timedelta(days=500)
    v = m.variation_request(
        award=live, actor=personas.lead_officer, kind=VariationKind.DATES, reason="Supplier", new_planned_end=new_end
    )
    m.variation_decide(variation=v, actor=personas.programme_manager, approve=True)
    live.refresh_from_db()
    v.refresh_from_db()
    assert live.planned_end == new_end and v.status == VariationStatus.APPROVED and v.previous["planned_end"]
    assert Notification.objects.filter(event="variation_decided", recipient=personas.lead_officer).exists()
    with pytest.raises(s.AwardError, match="already"):
        m.variation_decide(variation=v, actor=personas.programme_manager, approve=False, reason="x")


def test_variation_amount_keeps_tranches_adding_up(personas, live):
    v = m.variation_request(
        award=live, actor=personas.lead_officer, kind=VariationKind.AMOUNT, reason="More", new_amount=D("35000")
    )
    m.variation_decide(variation=v, actor=personas.programme_manager, approve=True)
    live.refresh_from_db()
    assert live.amount == D("35000")
    assert sum(t.amount for t in live.tranches.exclude(status=TrancheStatus.PAID)) == D("35000")


def test_variation_refused_needs_reason_and_keeps_award(personas, live):
    v = m.variation_request(
        award=live, actor=personas.lead_officer, kind=VariationKind.SCOPE, reason="Pivot", new_scope="Something else"
    )
    with pytest.raises(s.AwardError):
        m.variation_decide(variation=v, actor=personas.programme_manager, approve=False)
    m.variation_decide(variation=v, actor=personas.programme_manager, approve=False, reason="Out of scope")
    live.refresh_from_db()
    assert live.scope != "Something else"
    assert live.variations.get().status == VariationStatus.REFUSED


@pytest.mark.parametrize(
    ("kind", "extra"),
    [(VariationKind.DATES, {}), (VariationKind.AMOUNT, {"new_amount": D("0")}), (VariationKind.SCOPE, {})],
)
def test_variation_needs_the_new_value(personas, live, kind, extra):
    with pytest.raises(s.AwardError):
        m.variation_request(award=live, actor=personas.lead_officer, kind=kind, reason="r", **extra)
