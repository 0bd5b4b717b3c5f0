"""One status machine: every model with a status moves only through grants.core.transitions.

For each model an illegal move is refused with nothing saved and no audit row, and a legal one
is saved with exactly one audit row. A scan of the app code proves no status is set anywhere else.
"""

import ast
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

from applications.models import Bid, BidPartner, BidStatus, PartnerStatus
from grants.awards.models import (
    Award,
    AwardStatus,
    BenefitsReturn,
    Milestone,
    MilestoneStatus,
    MonitoringReturn,
    PaymentTranche,
    ReturnStatus,
    TrancheStatus,
    Variation,
    VariationStatus,
)
from grants.core.transitions import TransitionError, can_transition, transition
from grants.models import AuditEvent, MembershipRequest, MembershipStatus
from scoring.models import Assessment, AssessmentStatus, Assignment, Decision, DecisionStatus, Outcome
from tests.applications.factories import BidFactory, BidPartnerFactory
from tests.awards.factories import AwardFactory, MilestoneFactory, ReturnPeriodFactory
from tests.factories import UserFactory
from tests.scoring.factories import SubmittedBidFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _bid(p, status):
    return BidFactory(round=p.round, lead=p.lead_org, status=status)


def _partner(p, status):
    return BidPartnerFactory(bid=_bid(p, BidStatus.DRAFT), organisation=p.partner_org, status=status)


def _assessment(p, status):
    bid = SubmittedBidFactory(round=p.round, lead=p.lead_org)
    assignment = Assignment.objects.create(bid=bid, assessor=p.assessor)
    return Assessment.objects.create(assignment=assignment, bid=bid, status=status)


def _award(p, status):
    return AwardFactory(round=p.round, lead=p.lead_org, status=status)


def _return(p, status):
    award = _award(p, AwardStatus.ACTIVE)
    return MonitoringReturn.objects.create(award=award, period=ReturnPeriodFactory(round=p.round), status=status)


def _benefits(p, status):
    award = _award(p, AwardStatus.COMPLETED)
    day = date(2024, 4, 1)
    return BenefitsReturn.objects.create(
        award=award, year=1, period_start=day, period_end=date(2025, 3, 31), due_on=date(2025, 5, 26), status=status
    )


def _milestone(p, status, confirmed=False):
    return MilestoneFactory(
        award=_award(p, AwardStatus.ACTIVE), status=status, confirmed_at=timezone.now() if confirmed else None
    )


def _variation(p, status):
    return Variation.objects.create(
        award=_award(p, AwardStatus.ACTIVE), kind="scope", reason="Wider", new_scope="More", status=status
    )


def _tranche(p, status):
    tranche = _award(p, AwardStatus.ACTIVE).tranches.get()
    PaymentTranche.objects.filter(pk=tranche.pk).update(status=status)
    tranche.refresh_from_db()
    return tranche


def _join(p, status):
    user = UserFactory(email=f"joiner.{status}@example.com")
    return MembershipRequest.objects.create(user=user, organisation=p.lead_org, status=status)


def _decision(p, status, outcome=Outcome.FUNDED):
    bid = SubmittedBidFactory(round=p.round)  # a council of its own: one live bid per council per round
    return Decision.objects.create(bid=bid, round=p.round, outcome=outcome, amount=Decimal("1000"), status=status)


@dataclass
class Case:
    """A model, a move its table refuses and one it allows (each from a fresh row), and the
    action and audit target its service uses."""

    name: str
    illegal: tuple  # (make(personas), to)
    legal: tuple
    action: str
    on_award: bool = False  # audited against the award, as its service does


CASES = [
    Case(
        "bid",
        (lambda p: _bid(p, BidStatus.SUBMITTED), BidStatus.DRAFT),
        (lambda p: _bid(p, BidStatus.SUBMITTED), BidStatus.RETURNED),
        "bid.returned",
    ),
    Case(
        "bid partner",
        (lambda p: _partner(p, PartnerStatus.REQUESTED), PartnerStatus.REQUESTED),
        (lambda p: _partner(p, PartnerStatus.REQUESTED), PartnerStatus.CONFIRMED),
        "bid.partner_confirmed",
    ),
    Case(
        "assessment",
        (lambda p: _assessment(p, AssessmentStatus.SUBMITTED), AssessmentStatus.DRAFT),
        (lambda p: _assessment(p, AssessmentStatus.DRAFT), AssessmentStatus.SUBMITTED),
        "assessment.submitted",
    ),
    Case(
        "award",
        (lambda p: _award(p, AwardStatus.OFFERED), AwardStatus.ACTIVE),
        (lambda p: _award(p, AwardStatus.OFFERED), AwardStatus.ACCEPTED),
        "award.accepted",
    ),
    Case(
        "monitoring return",
        (lambda p: _return(p, ReturnStatus.DUE), ReturnStatus.APPROVED),
        (lambda p: _return(p, ReturnStatus.SUBMITTED), ReturnStatus.CHANGES_REQUESTED),
        "return.changes_requested",
        on_award=True,
    ),
    Case(
        "benefits return",
        (lambda p: _benefits(p, ReturnStatus.DUE), ReturnStatus.APPROVED),
        (lambda p: _benefits(p, ReturnStatus.SUBMITTED), ReturnStatus.APPROVED),
        "benefits.approved",
        on_award=True,
    ),
    Case(
        "milestone",
        (lambda p: _milestone(p, MilestoneStatus.COMPLETE, confirmed=True), MilestoneStatus.IN_PROGRESS),
        (lambda p: _milestone(p, MilestoneStatus.IN_PROGRESS), MilestoneStatus.COMPLETE),
        "milestone.update",
        on_award=True,
    ),
    Case(
        "variation",
        (lambda p: _variation(p, VariationStatus.REFUSED), VariationStatus.APPROVED),
        (lambda p: _variation(p, VariationStatus.PENDING), VariationStatus.APPROVED),
        "variation.approved",
        on_award=True,
    ),
    Case(
        "payment tranche",
        (lambda p: _tranche(p, TrancheStatus.PAID), TrancheStatus.PLANNED),
        (lambda p: _tranche(p, TrancheStatus.PLANNED), TrancheStatus.PAID),
        "award.payment",
        on_award=True,
    ),
    Case(
        "decision",
        (lambda p: _decision(p, DecisionStatus.CONFIRMED, Outcome.FUNDED), DecisionStatus.PROPOSED),
        (lambda p: _decision(p, DecisionStatus.PROPOSED), DecisionStatus.CONFIRMED),
        "decision.confirmed",
    ),
    # Issue 16, joining a council
    Case(
        "request to join",
        (lambda p: _join(p, MembershipStatus.DECLINED), MembershipStatus.APPROVED),
        (lambda p: _join(p, MembershipStatus.PENDING), MembershipStatus.DECLINED),
        "membership.declined",
    ),
]
MODELS = [
    Bid,
    BidPartner,
    Assessment,
    Award,
    MonitoringReturn,
    BenefitsReturn,
    Milestone,
    Variation,
    PaymentTranche,
    Decision,
    MembershipRequest,
]
# Queues, not workflows: their rows move by compare-and-set UPDATEs in the workers, and no
# person chooses the next status. Anything else that sets a status goes through transition().
QUEUES = {
    "notifications.notification": "notifications/services.py",  # the outbox: queued, sent, failed
    "reporting.exportjob": "grants/reporting/services.py",  # a download: queued, running, done, failed
    "awards.importjob": "grants/awards/imports/jobs.py",  # Issue 18: a history file checked, then saved
}


def _target(case, obj):
    return obj.award if case.on_award else obj


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_illegal_move_is_refused_and_leaves_nothing(personas, case):
    make, to = case.illegal
    obj = make(personas)
    before = (obj.status, AuditEvent.objects.count())
    called = []
    with pytest.raises(TransitionError, match="cannot become"):
        transition(
            obj,
            to=to,
            actor=personas.programme_manager,
            action=case.action,
            target=_target(case, obj),
            notify=lambda: called.append(True),
        )
    assert (type(obj).objects.get(pk=obj.pk).status, AuditEvent.objects.count()) == before
    assert called == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_legal_move_is_saved_with_one_audit_row(personas, case):
    make, to = case.legal
    obj = make(personas)
    before = AuditEvent.objects.count()
    called = []
    transition(
        obj,
        to=to,
        actor=personas.programme_manager,
        action=case.action,
        target=_target(case, obj),
        notify=lambda: called.append(type(obj).objects.get(pk=obj.pk).status),
    )
    assert type(obj).objects.get(pk=obj.pk).status == to
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    target = _target(case, obj)
    assert (event.action, event.target_type, event.target_id) == (
        case.action,
        target._meta.label_lower,
        str(target.pk),
    )
    assert event.actor == personas.programme_manager and event.data["to"] == to
    assert called == [to]  # notifications are queued after the move, in its transaction


def test_every_model_with_a_status_has_a_table_and_is_tested_here():
    with_status = {m._meta.label_lower for m in apps.get_models() if "status" in {f.name for f in m._meta.fields}}
    assert with_status - set(QUEUES) == {m._meta.label_lower for m in MODELS}
    assert all(hasattr(m, "TRANSITIONS") for m in MODELS)
    assert {c.name for c in CASES} == {str(m._meta.verbose_name) for m in MODELS}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_status_has_a_row_and_every_move_names_a_status(model):
    statuses = set(model._meta.get_field("status").get_choices(include_blank=False))
    values = {value for value, _ in statuses}
    assert values <= set(model.TRANSITIONS), f"{model.__name__}: statuses with no row"
    for row, moves in model.TRANSITIONS.items():
        assert set(moves) <= values, f"{model.__name__}.TRANSITIONS[{row!r}] names an unknown status"


def test_refusal_is_written_for_people(personas):
    bid = _bid(personas, BidStatus.SUBMITTED)
    with pytest.raises(TransitionError) as exc:
        transition(bid, to=BidStatus.DRAFT, actor=None)
    assert exc.value.messages == ["A bid that is submitted cannot become draft."]
    award = _award(personas, AwardStatus.COMPLETED)
    with pytest.raises(TransitionError) as exc:
        transition(award, to=AwardStatus.ACTIVE, actor=None)
    assert exc.value.messages == ["An award that is completed cannot become active."]


def test_a_service_error_class_is_raised_when_given(personas):
    from grants.awards.services import AwardError

    award = _award(personas, AwardStatus.COMPLETED)
    with pytest.raises(AwardError):
        transition(award, to=AwardStatus.ACTIVE, actor=None, error=AwardError)


def test_fields_status_reason_and_changed_at_are_saved_with_the_move(personas):
    bid = _bid(personas, BidStatus.SUBMITTED)
    transition(
        bid, to=BidStatus.RETURNED, actor=personas.programme_manager, reason="Add costs", fields={"title": "New"}
    )
    saved = Bid.objects.get(pk=bid.pk)
    assert (saved.status, saved.status_reason, saved.title) == (BidStatus.RETURNED, "Add costs", "New")
    assert saved.status_changed_at is not None
    event = AuditEvent.objects.get(action="bid.returned", target_id=str(bid.pk))
    assert event.summary == "Submitted to Returned for changes: Add costs"
    assert event.data == {"from": "submitted", "to": "returned", "reason": "Add costs"}


def test_fields_of_a_refused_move_are_not_saved(personas):
    bid = _bid(personas, BidStatus.FUNDED)
    with pytest.raises(TransitionError):
        transition(bid, to=BidStatus.DRAFT, actor=None, fields={"title": "Sneaked in"})
    assert Bid.objects.get(pk=bid.pk).title != "Sneaked in"


def test_a_failing_notification_rolls_the_move_and_its_audit_row_back(personas):
    award = _award(personas, AwardStatus.OFFERED)
    events = AuditEvent.objects.count()

    def broken():
        raise RuntimeError("mail queue down")

    with pytest.raises(RuntimeError):
        transition(award, to=AwardStatus.ACCEPTED, actor=personas.signatory, notify=broken)
    assert Award.objects.get(pk=award.pk).status == AwardStatus.OFFERED
    assert AuditEvent.objects.count() == events


def test_a_confirmed_reserve_may_be_proposed_again_but_no_other_confirmed_decision(personas):
    reserve = _decision(personas, DecisionStatus.CONFIRMED, Outcome.RESERVE)
    funded = _decision(personas, DecisionStatus.CONFIRMED, Outcome.FUNDED)
    assert can_transition(reserve, DecisionStatus.PROPOSED)
    assert not can_transition(funded, DecisionStatus.PROPOSED)
    transition(reserve, to=DecisionStatus.PROPOSED, actor=personas.programme_manager, action="decision.proposed")
    assert Decision.objects.get(pk=reserve.pk).status == DecisionStatus.PROPOSED


# The scan ----------------------------------------------------------------------------------------

APPS = ("applications", "grants", "scoring", "notifications", "config")
HELPER = "grants/core/transitions.py"


def _status_writes(path: Path) -> list[int]:
    """Lines that set a status: `x.status = ...` (also in a tuple), `setattr(x, "status", ...)`,
    and `.update(status=...)` on a queryset."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Attribute) and t.attr == "status" for target in targets for t in ast.walk(target)):
            lines.append(node.lineno)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "setattr" and len(node.args) > 1 and getattr(node.args[1], "value", None) == "status":
                lines.append(node.lineno)
            if name in ("update", "bulk_update") and (
                any(k.arg == "status" for k in node.keywords) or "'status'" in ast.unparse(node)
            ):
                lines.append(node.lineno)
    return lines


def _app_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or path.name.startswith("demo"):
                continue  # history, and demo seeding that creates rows with their first status
            yield relative, path


def test_no_status_is_set_outside_the_status_machine():
    found = [
        f"{relative}:{line}"
        for relative, path in _app_files()
        if relative != HELPER and relative not in QUEUES.values()
        for line in _status_writes(path)
    ]
    assert found == [], "Set these statuses through grants.core.transitions.transition: " + ", ".join(found)


def test_the_scan_finds_each_way_of_setting_a_status(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "bid.status = 'x'\n"
        "a.status, a.other = 1, 2\n"
        "setattr(bid, 'status', 'x')\n"
        "Bid.objects.filter(pk=1).update(status='x')\n"
        "Bid.objects.create(status='draft')\n"  # a row's first status is fine
        "ok = bid.status == 'x'\n"
    )
    assert _status_writes(sample) == [1, 2, 3, 4]
