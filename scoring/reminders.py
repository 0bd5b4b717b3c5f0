"""Scoring deadline reminders: assessors with unsubmitted assessments hear 3 days and 1 day before
the round's assessment deadline (once each, by dedupe key). The window goes in the dedupe key
only; the wording comes from the time actually left ('tomorrow' with a day and a half to go)."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from grants.core.dates import govuk_when
from notifications.reminders import Reminder, provider, when_words

WINDOWS = ((timedelta(days=1), "1d"), (timedelta(days=3), "3d"))


@provider
def scoring_deadline(now: datetime) -> Iterable[Reminder]:
    from grants.models import Round, User

    rounds = Round.objects.filter(
        assessment_deadline__gt=now, assessment_deadline__lte=now + WINDOWS[-1][0], decided_at__isnull=True
    )
    for rnd in rounds:
        left = rnd.assessment_deadline - now
        key = next(k for limit, k in WINDOWS if left <= limit)
        when = when_words(rnd.assessment_deadline, now)
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
                programme_id=rnd.programme_id,
            )
