"""Writing reminders many at a time: the hourly fan-out's path from provider to outbox.

One `notify()` per reminder cost five queries and one delivery task each (and re-tried every
reminder already sent, failing on its dedupe key every hour). A batch here costs three queries
whatever its size (the reminders already written, the recipients' preferences, one bulk insert)
and queues its emails as a few delivery tasks of many ids each.

Exactly once is kept: reminders already in the outbox are skipped; if another worker writes one
of the same reminders at the same moment, the unique dedupe key refuses the bulk insert, the
batch rolls back to its savepoint and is written one reminder at a time through `notify()`,
which tells a duplicate apart exactly. A reminder that cannot be written (an unknown event, a
context that is not JSON, a recipient that no longer exists) is logged with its dedupe key and
skipped; the rest of the batch still goes.
"""

import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from .models import Channel, Notification, Preference, Status
from .services import build_rows, enqueue_many_on_commit, notify

if TYPE_CHECKING:
    from .reminders import Reminder

logger = logging.getLogger(__name__)


def write(batch: list["Reminder"]) -> int:
    """Write a batch of reminders in one transaction (a savepoint inside the caller's).
    Returns how many were new."""
    try:
        with transaction.atomic():
            return _write_bulk(batch)
    except Exception:  # a conflict with another worker, or a row the database refused
        logger.warning("A batch of %s reminders was written one at a time", len(batch), exc_info=True)
    return sum(_write_one(r) for r in batch)


def _log_failure(reminder: "Reminder") -> None:
    logger.exception(
        "Reminder %r to user %s could not be written",
        getattr(reminder, "dedupe_key", "?"),
        getattr(getattr(reminder, "recipient", None), "pk", None),
    )


def _not_yet_written(batch: list["Reminder"]) -> list["Reminder"]:
    """The batch less duplicates within it and reminders already in the outbox (one query)."""
    unique: dict[tuple[int, str], Reminder] = {}
    for r in batch:
        try:
            unique.setdefault((int(r.recipient.pk), str(r.dedupe_key)[:200]), r)
        except Exception:  # no saved recipient, no key
            _log_failure(r)
    if not unique:
        return []
    written = set(
        Notification.objects.filter(
            channel=Channel.IN_APP,  # every message has its in-app row
            recipient_id__in={pk for pk, _ in unique},
            dedupe_key__in={key for _, key in unique},
        ).values_list("recipient_id", "dedupe_key")
    )
    return [r for k, r in unique.items() if k not in written]


def _write_bulk(batch: list["Reminder"]) -> int:
    fresh = _not_yet_written(batch)
    if not fresh:
        return 0
    prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in={r.recipient.pk for r in fresh})}
    now = timezone.now()
    rows: list[Notification] = []
    for r in fresh:
        try:
            rows += build_rows(
                recipient=r.recipient,
                event=r.event,
                context=r.context,
                dedupe_key=r.dedupe_key,
                url=r.url,
                pref=prefs.get(r.recipient.pk) or Preference(user=r.recipient),
                now=now,
                programme_id=r.programme_id,
            )
        except Exception:
            _log_failure(r)
    Notification.objects.bulk_create(rows)
    enqueue_many_on_commit([n.pk for n in rows if n.channel == Channel.EMAIL and n.status == Status.QUEUED])
    return sum(1 for n in rows if n.channel == Channel.IN_APP)


def _write_one(reminder: "Reminder") -> int:
    try:
        with transaction.atomic():
            written = notify(
                recipient=reminder.recipient,
                event=reminder.event,
                context=reminder.context,
                dedupe_key=reminder.dedupe_key,
                url=reminder.url,
                programme=reminder.programme_id,
            )
    except Exception:
        _log_failure(reminder)
        return 0
    return 1 if written else 0
