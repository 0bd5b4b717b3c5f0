"""Named audit actions (grants.core.audit): every action the code can record is declared once, an
undeclared one is refused, and the history pages take who may read what from the declarations."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from applications.models import Bid, EvidenceFile, PartnerStatus
from grants.awards.models import Award, AwardEvidenceFile, FundReturn, MonitoringReturn, VariationStatus
from grants.core import audit
from grants.core.audit import COUNCIL, LEAD, STAFF, UnknownAuditAction, actions_for, audit_record
from grants.models import AuditEvent
from tests.awards.factories import AwardFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("applications", "grants", "scoring", "notifications")


def _reachable(model) -> list[str]:
    return sorted({to for tos in model.TRANSITIONS.values() for to in tos})


def _moved_to(model, to: ast.expr | None) -> list[str]:
    """The status a transition() call names (`to=S.SUBMITTED`), else every status it could reach.
    (A bid reaches draft again only as an invited expression of interest, which names its action.)"""
    values = {value for value, _ in model._meta.get_field("status").choices}
    if isinstance(to, ast.Attribute) and to.attr.lower() in values:
        return [to.attr.lower()]
    return _reachable(model)


# Actions built at run time, by the source of the expression that builds them (ast.unparse), and
# every name each can produce. A new computed action fails `test_every_action_the_code_records_is_declared`
# until it is listed here, so nobody can add one without declaring what it produces.
COMPUTED = {
    "f'bid.partner_{verb}'": [f"bid.partner_{s}" for s in (PartnerStatus.CONFIRMED, PartnerStatus.DECLINED)],
    "f\"{noun}.{('create' if creating else 'update')}\"": [
        f"{noun}.{verb}" for noun in ("programme", "round") for verb in ("create", "update")
    ],
    # Returning a bid and marking it ineligible are one act (applications.services.lifecycle).
    "f'bid.{to}'": ["bid.returned", "bid.ineligible"],
    # A confirmed decision moves its bid to the decision's outcome (scoring.services.decisions).
    "f'bid.{decision.outcome}'": ["bid.funded", "bid.not_funded", "bid.reserve"],
    "f'return.{to}'": [f"return.{s}" for s in _reachable(MonitoringReturn)],
    # A benefits return is reviewed to approved or changes requested (grants.awards.services.benefits).
    "f'benefits.{to}'": ["benefits.approved", "benefits.changes_requested"],
    "f'variation.{to}'": [f"variation.{s}" for s in (VariationStatus.APPROVED, VariationStatus.REFUSED)],
    "f'award.funds_{kind}'": [f"award.funds_{k}" for k in FundReturn.Kind.values],
    # award_transition(action=None) passes its own argument on; nobody gives one, so the default applies.
    "action": [f"award.{s}" for s in _reachable(Award)],
    # The virus check records a refused file with its model's action (grants.core.upload_scan).
    "row.SCAN_REFUSED_ACTION": [EvidenceFile.SCAN_REFUSED_ACTION, AwardEvidenceFile.SCAN_REFUSED_ACTION],
}
# transition() with no action records `<model>.<status>`: the objects moved that way, by source.
DEFAULT_NAMED = {"bid": Bid, "decision.bid": Bid}
# award_transition() with no action records `award.<status>`.
DEFAULT_NAMED_CALLS = {"award_transition": Award}
# The calls that write an audit row (others take an `action` too: allauth's rate limits);
# audit_event builds the row for a writer that saves many at once (bulk_create).
RECORDERS = {"audit_record", "audit_event", "transition", "award_transition"}
# The mechanism itself (grants/core), not a caller.
SKIP = {"action or f'{obj._meta.model_name}.{to}'"}

# What a council, its partners and its assessors read in a bid's history before the registry
# owned it (applications.selectors.COUNCIL_HISTORY, deleted): the registry must give exactly this.
OLD_COUNCIL_HISTORY = {
    "bid.started",
    "bid.details_changed",
    "bid.answers_saved",
    "bid.partner_added",
    "bid.partner_removed",
    "bid.partner_confirmed",
    "bid.partner_declined",
    "bid.collaborator_added",
    "bid.collaborator_removed",
    "bid.evidence_uploaded",
    "bid.evidence_deleted",
    "bid.submitted",
    "bid.returned",
    "bid.withdrawn",
    "bid.ineligible",
    "bid.extension_granted",
    "bid.funded",
    "bid.not_funded",
    "bid.reserve",
}


def _names(expr: ast.expr, where: str) -> list[str]:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        return _names(expr.body, where) + _names(expr.orelse, where)
    source = ast.unparse(expr)
    if source in SKIP:
        return []
    assert source in COMPUTED, f"{where}: action={source} is built at run time; list what it produces in COMPUTED"
    return COMPUTED[source]


def _recorded_in_code() -> dict[str, str]:
    """Every action name the app code can record, with where it is recorded."""
    found: dict[str, str] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.Call):
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                func = ast.unparse(node.func).rsplit(".", 1)[-1]
                keywords = {k.arg: k.value for k in node.keywords}
                if func not in RECORDERS:
                    continue
                if "action" in keywords:
                    names = _names(keywords["action"], where)
                elif func == "transition":
                    moved = ast.unparse(node.args[0])
                    assert moved in DEFAULT_NAMED, (
                        f"{where}: transition({moved}) records <model>.<status>: give action="
                    )
                    model = DEFAULT_NAMED[moved]
                    names = [f"{model._meta.model_name}.{s}" for s in _moved_to(model, keywords.get("to"))]
                else:
                    model = DEFAULT_NAMED_CALLS[func]
                    names = [f"{model._meta.model_name}.{s}" for s in _reachable(model)]
                for name in names:
                    found.setdefault(name, where)
    return found


def test_every_action_the_code_records_is_declared():
    recorded = _recorded_in_code()
    undeclared = {name: where for name, where in recorded.items() if name not in audit.declared_actions()}
    assert not undeclared, f"declare these in the app's audit_actions.py: {undeclared}"
    assert len(recorded) > 60  # the scan found the calls (a broken scan must not pass quietly)


def test_every_declared_action_is_recorded_somewhere():
    unused = set(audit.declared_actions()) - set(_recorded_in_code())
    assert not unused, f"declared but never recorded (remove, or the scan missed a call): {sorted(unused)}"


def test_an_undeclared_action_is_refused_and_nothing_is_written(personas):
    with pytest.raises(UnknownAuditAction, match="bid.eaten"):
        audit_record(actor=personas.programme_manager, action="bid.eaten", target=personas.round)
    assert not AuditEvent.objects.exists()


def test_a_declared_action_is_written_with_its_label(personas):
    event = audit_record(actor=personas.programme_manager, action="round.update", target=personas.round)
    event.refresh_from_db()
    assert (event.action, event.target_type, event.target_id) == (
        "round.update",
        "grants.round",
        str(personas.round.pk),
    )
    assert event.actor == personas.programme_manager and event.label == "Round changed"
    assert AuditEvent(action="old.renamed").label == "old.renamed"  # rows from before keep their name


def test_an_action_is_declared_once(monkeypatch):
    monkeypatch.setattr(audit, "_REGISTRY", dict(audit._REGISTRY))
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        audit.declare("bid.submitted", "Bid submitted", audience=STAFF)
    audit.declare("bid.submitted", "Bid submitted", audience=COUNCIL)  # the same declaration again is harmless
    with pytest.raises(ImproperlyConfigured, match="audience"):
        audit.declare("bid.new_thing", "New", audience="everyone")
    with pytest.raises(ImproperlyConfigured, match="name it"):
        audit.declare("nodot", "No dot")
    assert audit.get_action("bid.submitted").audience == COUNCIL


def test_audiences_widen_from_staff_to_council():
    everything = set(audit.declared_actions())
    council, lead, staff = (set(actions_for(audience=a)) for a in (COUNCIL, LEAD, STAFF))
    assert council < lead < staff == everything
    assert lead - council == {"evidence.upload", "evidence.remove", "evidence.refused"}
    # Since the registry: a file the virus check refused; since two-stage rounds, the outcome of an
    # expression of interest (the council is told it, so its history shows it).
    assert set(actions_for(audience=COUNCIL, prefix="bid.")) == OLD_COUNCIL_HISTORY | {
        "bid.evidence_refused",
        "bid.invited",
        "bid.not_invited",
        # Clarification questions: the history says one was asked and answered, never its text.
        "bid.clarification_asked",
        "bid.clarification_answered",
        "bid.clarification_closed",
        # Partners beyond councils, named by the lead council.
        "bid.other_partner_added",
        "bid.other_partner_removed",
    }
    assert all(name.startswith("bid.") for name in actions_for(audience=LEAD, prefix="bid."))
    with pytest.raises(ValueError):
        actions_for(audience="public")


def test_everything_recorded_against_an_award_stays_readable_by_its_council():
    """The award page shows its whole history to the lead council and all but the lead's file
    names to partners, as before the registry: no award action is staff-only."""
    on_awards = {
        n for n in audit.declared_actions() if n.split(".")[0] in ("award", "variation", "milestone", "return")
    }
    assert on_awards and on_awards <= set(actions_for(audience=COUNCIL))


def test_partner_councils_read_the_award_history_without_the_lead_councils_file_names(personas, client_for):
    award = AwardFactory(round=personas.round, lead=personas.lead_org)
    award.partners.add(personas.partner_org)
    audit_record(actor=personas.lead_officer, action="milestone.add", target=award, summary="Milestone Launch added")
    audit_record(
        actor=personas.lead_officer, action="evidence.upload", target=award, summary="Uploaded secret-plan.pdf"
    )
    for reader, sees_files in (
        (personas.partner_officer, False),
        (personas.lead_officer, True),
        (personas.programme_manager, True),
    ):
        page = client_for(reader).get(award.get_absolute_url()).content.decode()
        assert "Milestone Launch added" in page, reader
        assert ("secret-plan.pdf" in page) is sees_files, reader
