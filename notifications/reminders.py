"""Scheduled reminders: apps register providers; the hourly task sends what they find due.

A provider is `func(now) -> Iterable[Reminder]`. It may return the same reminder every hour
for a while (e.g. 'closes in 7 days' for the whole day): the dedupe key, unique per recipient,
makes each go once, even with two workers running the task at once. Other apps register in
their own `reminders.py`, which NotificationsConfig.ready() finds with autodiscover_modules, so
this module knows recipients and events, never the rules that fire them:

    from notifications.reminders import Reminder, provider

    @provider
    def deadline_reminders(now):
        for bid in ...:
            yield Reminder(recipient=officer, event="deadline_approaching",
                           context={...}, dedupe_key=f"deadline:{bid.pk}:7d", url=f"/bids/{bid.pk}/",
                           programme_id=bid.round.programme_id)
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from grants.core.dates import govuk_time
from grants.core.words import counted

logger = logging.getLogger(__name__)

ProviderFunc = Callable[[datetime], Iterable["Reminder"]]
_PROVIDERS: dict[str, ProviderFunc] = {}

# Reminders written per transaction: a batch costs a few queries and a few delivery tasks.
BATCH = 500


@dataclass(frozen=True)
class Reminder:
    recipient: Any
    event: str
    context: dict = field(hash=False)
    dedupe_key: str
    url: str = ""
    # The programme it is about: its managers may then see and resend the email if it fails.
    programme_id: int | None = None


def provider(func: ProviderFunc) -> ProviderFunc:
    """Register `func(now)`; registering the same function twice keeps one."""
    _PROVIDERS[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def providers() -> dict[str, ProviderFunc]:
    return dict(_PROVIDERS)


def when_words(deadline: datetime, now: datetime) -> str:
    """The time left before `deadline`, for a sentence: 'today at 5pm', 'tomorrow', 'in 3 days'.

    Counted in calendar days in London from the time actually left, not from the reminder's
    window, so a reminder found late (a draft started three days before the close) never says
    'in 7 days'. A deadline at midnight ends the day before: 'at midnight tonight'.
    """
    end = timezone.localtime(deadline)
    at_midnight = end.time() == datetime.min.time()
    last_day = (end - timedelta(microseconds=1)).date() if at_midnight else end.date()
    days = (last_day - timezone.localtime(now).date()).days
    if days <= 0:
        return "at midnight tonight" if at_midnight else f"today at {govuk_time(end)}"
    if days == 1:
        return "tomorrow"
    return f"in {counted(days, 'day')}"


def send_due(*, now: datetime | None = None, batch_size: int = BATCH) -> dict[str, int]:
    """Call every provider and notify each reminder once. Returns new reminders per provider.

    Reminders are written in batches (`notifications.fanout`): one bad reminder is logged with
    its dedupe key and skipped, the rest of its batch still goes; a provider that raises is logged
    and skipped until the next run, after what it had found so far is written.
    """
    from . import fanout

    now = now or timezone.now()
    counts: dict[str, int] = {}
    for name, func in providers().items():
        sent, batch = 0, []
        try:
            for reminder in func(now):
                batch.append(reminder)
                if len(batch) >= batch_size:
                    sent += fanout.write(batch)
                    batch = []
        except Exception:
            logger.exception("Reminder provider %s failed", name)
        if batch:
            sent += fanout.write(batch)
        counts[name] = sent
    return counts
