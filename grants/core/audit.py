"""Named audit actions: every action the service records is declared once, here in the registry.

Each app declares its actions in its own `audit_actions.py` (found at start-up by
`autodiscover_modules("audit_actions")` in `GrantsConfig.ready`), with a label people read and an
audience: who besides the programme team may read it in a history. The history pages ask the
registry (`actions_for`) instead of keeping their own lists, so a new action is shown or hidden
in one place, where it is declared. Recording an action nobody declared is a programming error
(a typo, or an action added without deciding who may read it) and fails loudly, in tests first.

Like Wagtail's log-action registry. This module imports no domain code: the AuditEvent model is
looked up by name when a row is written.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

# Who besides the programme team may read an action in a history, narrowest first: an action
# a wider audience may read, every narrower one may read too.
STAFF = "staff"  # the programme team only
LEAD = "lead"  # also the lead council of the bid or award (the owner), but not its partners
COUNCIL = "council"  # also the bid's or award's council, its partners and the bid's assessors
AUDIENCES = (STAFF, LEAD, COUNCIL)


class UnknownAuditAction(LookupError):
    """An action recorded or asked about that no `audit_actions.py` declares."""


@dataclass(frozen=True)
class AuditAction:
    name: str
    label: str
    audience: str = STAFF


_REGISTRY: dict[str, AuditAction] = {}


def declare(name: str, label: str, *, audience: str = STAFF) -> AuditAction:
    """Declare one action. Declaring a name twice with a different label or audience is refused:
    two owners for one action would disagree about who may read it."""
    if audience not in AUDIENCES:
        raise ImproperlyConfigured(f"Audit action {name!r}: audience must be one of {AUDIENCES}, not {audience!r}")
    if not name or "." not in name or name != name.strip():
        raise ImproperlyConfigured(f"Audit action {name!r}: name it '<thing>.<what happened>'")
    action = AuditAction(name=name, label=label, audience=audience)
    existing = _REGISTRY.get(name)
    if existing is not None and existing != action:
        raise ImproperlyConfigured(f"Audit action {name!r} is declared twice, differently: {existing} and {action}")
    _REGISTRY[name] = action
    return action


def declare_many(actions: Mapping[str, str], *, audience: str = STAFF) -> None:
    """Declare several actions with one audience: {name: label}."""
    for name, label in actions.items():
        declare(name, label, audience=audience)


def get_action(name: str) -> AuditAction:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownAuditAction(
            f"Audit action {name!r} is not declared: add it to the audit_actions.py of the app that records it"
        ) from None


def declared_actions() -> dict[str, AuditAction]:
    return dict(_REGISTRY)


def actions_for(*, audience: str, prefix: str = "") -> tuple[str, ...]:
    """The names of the actions a reader in `audience` may read, optionally only those starting
    with `prefix`. Pages filter a history with `action__in` on this: an allow-list, so an action
    recorded before it was declared (or under an old name) stays with the programme team."""
    if audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {audience!r}; one of {AUDIENCES}")
    rank = AUDIENCES.index(audience)
    return tuple(
        sorted(a.name for a in _REGISTRY.values() if AUDIENCES.index(a.audience) >= rank and a.name.startswith(prefix))
    )


def action_label(name: str) -> str:
    """What a history shows for an action with no summary; an old, undeclared name as it was stored."""
    action = _REGISTRY.get(name)
    return action.label if action else name


def audit_record(*, actor: Any, action: str, target: Model, summary: str = "", data: dict | None = None) -> Model:
    """Every state change leaves one row, so 'who changed what, when' is always answerable.

    `actor` is the user who did it (None, or an anonymous user, for the service itself). Refuses
    an undeclared `action` (UnknownAuditAction) before writing anything."""
    event = audit_event(actor=actor, action=action, target=target, summary=summary, data=data)
    event.save(force_insert=True)
    return event


def audit_event(*, actor: Any, action: str, target: Model, summary: str = "", data: dict | None = None) -> Model:
    """The row `audit_record` writes, unsaved: for a writer that saves many at once (bulk_create),
    the same row as one at a time."""
    get_action(action)
    audit_event_model = apps.get_model("grants", "AuditEvent")
    return audit_event_model(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:500],
        data=data or {},
    )
