"""Scoring deadline reminders: assessors with unsubmitted assessments hear 3 days and 1 day before
the round's assessment deadline (once each, by dedupe key)."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from grants.dates import govuk_when
from notifications.reminders import Reminder, provider

WINDOWS = ((timedelta(days=1), "1d", "tomorrow"), (timedelta(days=3), "3d", "in 3 days"))


@provider
def scoring_deadline(now: datetime) -> Iterable[Reminder]:
    from grants.models import Round, User

    rounds = Round.objects.filter(
        assessment_deadline__gt=now, assessment_deadline__lte=now + WINDOWS[-1][0], decided_at__isnull=True
    )
    for rnd in rounds:
        left = rnd.assessment_deadline - now
        key, when = next((k, w) for limit, k, w in WINDOWS if left <= limit)
        people = (
            User.objects.filter(assignments__bid__round=rnd, assignments__withdrawn_at__isnull=True, is_active=True)
            .annotate(
                outstanding=Count(
                    "assignments",
                    filter=Q(assignments__bid__round=rnd, assignments__withdrawn_at__isnull=True)
                    & (Q(assignments__assessment__isnull=True) | Q(assignments__assessment__submitted_version=0)),
                )
            )
            .filter(outstanding__gt=0)
            .distinct()
        )
        deadline = timezone.localtime(rnd.assessment_deadline)
        for person in people:
            yield Reminder(
                recipient=person,
                event="scoring_deadline_approaching",
                context={
                    "round_name": rnd.name,
                    "deadline": govuk_when(deadline),
                    "when": when,
                    "outstanding": person.outstanding,
                },
                dedupe_key=f"scoring_deadline:{rnd.pk}:{key}",
                url=reverse("scoring:queue", args=[rnd.slug]),
            )
