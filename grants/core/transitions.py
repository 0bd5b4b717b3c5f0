"""The one place a status changes.

Every model with a status declares `TRANSITIONS`: each status mapped to the statuses that may
follow it. `transition()` checks the move against that table, saves it, writes the audit row and
queues any notifications, all in one transaction, so a refused move leaves nothing behind and an
allowed one is never saved without its audit row. Readers see a model's whole life in its table.

A model whose next moves depend on more than its status (a confirmed reserve decision may be
proposed again; any other confirmed decision is final) says which row applies through a
`transition_state` property; the table keys it returns are the model's own business.
"""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from grants.core.audit import audit_record

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class TransitionError(ValidationError):
    """A move the model's table does not allow. The message is written for the person who tried it."""


def _state(obj: models.Model) -> str:
    return getattr(obj, "transition_state", obj.status)


def next_statuses(obj: models.Model) -> tuple[str, ...]:
    """The statuses `obj` may move to now; none once it is final."""
    return tuple(obj.TRANSITIONS.get(_state(obj), ()))


def can_transition(obj: models.Model, to: str) -> bool:
    """Whether the table lets `obj` move to `to` now (pages use it to offer only what is allowed)."""
    return to in next_statuses(obj)


def status_label(obj: models.Model, value: str) -> str:
    """The status as people read it ("Returned for changes"), from the field's choices."""
    return str(dict(obj._meta.get_field("status").flatchoices).get(value, value))


def refusal(obj: models.Model, to: str) -> str:
    """The refusal people read, naming the model and both statuses, for example
    "A bid that is submitted cannot become draft."."""
    noun = str(obj._meta.verbose_name)
    article = "An" if noun[:1].lower() in "aeiou" else "A"
    current, wanted = status_label(obj, obj.status).lower(), status_label(obj, to).lower()
    return f"{article} {noun} that is {current} cannot become {wanted}."


def transition(
    obj: models.Model,
    *,
    to: str,
    actor: "AbstractBaseUser | None",
    action: str | None = None,
    reason: str = "",
    summary: str = "",
    data: Mapping[str, Any] | None = None,
    fields: Mapping[str, Any] | None = None,
    target: models.Model | None = None,
    notify: Callable[[], None] | None = None,
    error: type[ValidationError] = TransitionError,
) -> models.Model:
    """Move `obj` to status `to`, or refuse with `error` (a service's own error class, so the
    pages that catch it show the message) and change nothing.

    `fields` are saved with the status in the same UPDATE (who decided, when, a reference).
    `status_changed_at` and `status_reason` are kept where the model has them. The audit row goes
    against `target` (an award's history shows its returns and tranches) with the action
    `<model>.<status>` unless `action` is given; `data` is added to its record of the move.
    `notify` runs last, inside the transaction, so a message never goes out for a move rolled back.
    Callers lock the row (select_for_update) when two people may move it at once.
    """
    with transaction.atomic():
        if not can_transition(obj, to):
            raise error(refusal(obj, to))
        previous = obj.status
        names = {f.name for f in obj._meta.concrete_fields}
        values: dict[str, Any] = {"status": to}
        if "status_changed_at" in names:
            values["status_changed_at"] = timezone.now()
        if "status_reason" in names:
            values["status_reason"] = reason
        values.update(fields or {})
        for name, value in values.items():
            setattr(obj, name, value)
        auto_now = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
        obj.save(update_fields=[*values, *auto_now])
        record = {"from": previous, "to": to, **({"reason": reason} if reason else {}), **(data or {})}
        default = f"{status_label(obj, previous)} to {status_label(obj, to)}" + (f": {reason}" if reason else "")
        audit_record(
            actor=actor,
            action=action or f"{obj._meta.model_name}.{to}",
            target=target if target is not None else obj,
            summary=summary or default,
            data=record,
        )
        if notify is not None:
            notify()
    return obj
