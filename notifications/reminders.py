"""Scheduled reminders: apps register providers; the hourly task sends what they find due.

A provider is `func(now) -> Iterable[Reminder]`. It may return the same reminder every hour
for a while (e.g. 'closes in 7 days' for the whole day): the dedupe key, unique per recipient,
makes each go once, even with two workers running the task at once. Other apps register in
their own `reminders.py`, imported from their AppConfig.ready():

    from notifications.reminders import Reminder, provider

    @provider
    def deadline_reminders(now):
        for bid in ...:
            yield Reminder(recipient=officer, event="deadline_approaching",
                           context={...}, dedupe_key=f"deadline:{bid.pk}:7d", url=f"/bids/{bid.pk}/")
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

ProviderFunc = Callable[[datetime], Iterable["Reminder"]]
_PROVIDERS: dict[str, ProviderFunc] = {}

# A round's opening alert still goes if the scheduler was down when it opened, up to this long after.
ROUND_OPENING_WINDOW = timedelta(days=2)


@dataclass(frozen=True)
class Reminder:
    recipient: Any
    event: str
    context: dict = field(hash=False)
    dedupe_key: str
    url: str = ""


def provider(func: ProviderFunc) -> ProviderFunc:
    """Register `func(now)`; registering the same function twice keeps one."""
    _PROVIDERS[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def providers() -> dict[str, ProviderFunc]:
    return dict(_PROVIDERS)


def send_due(*, now: datetime | None = None) -> dict[str, int]:
    """Call every provider and notify each reminder once. Returns counts per provider.

    Each reminder is written in its own transaction, so one bad row or provider does not stop
    the rest; a provider that raises is logged and skipped until the next run.
    """
    from .services import notify

    now = now or timezone.now()
    counts: dict[str, int] = {}
    for name, func in providers().items():
        sent = 0
        try:
            for reminder in func(now):
                with transaction.atomic():
                    if notify(
                        recipient=reminder.recipient,
                        event=reminder.event,
                        context=reminder.context,
                        dedupe_key=reminder.dedupe_key,
                        url=reminder.url,
                    ):
                        sent += 1
        except Exception:
            logger.exception("Reminder provider %s failed", name)
        counts[name] = sent
    return counts


@provider
def round_opening(now: datetime) -> Iterable[Reminder]:
    """Officers of eligible councils who opted in hear when a round opens (once per round)."""
    from grants.models import Round, User
    from grants.selectors import round_eligibility

    rounds = (
        Round.objects.published()
        .filter(opens_at__lte=now, opens_at__gt=now - ROUND_OPENING_WINDOW, closes_at__gt=now)
        .select_related("programme")
    )
    rounds = list(rounds)
    if not rounds:
        return
    people = list(
        User.objects.filter(
            is_active=True,
            organisation__isnull=False,
            organisation__end_date__isnull=True,
            notification_preference__round_opening_alerts=True,
        )
        .exclude(org_role="")
        .select_related("organisation")
    )
    for rnd in rounds:
        eligible: dict[int, bool] = {}
        for person in people:
            org = person.organisation
            if org.pk not in eligible:
                eligible[org.pk] = not round_eligibility(round=rnd, organisation=org, now=now)
            if not eligible[org.pk]:
                continue
            yield Reminder(
                recipient=person,
                event="round_opening",
                context={
                    "round_name": rnd.name,
                    "programme_name": rnd.programme.name,
                    "closes_at": f"{timezone.localtime(rnd.closes_at):%-d %B %Y at %-I:%M%p}",
                },
                dedupe_key=f"round_opening:{rnd.pk}",
                url=rnd.get_absolute_url(),
            )
