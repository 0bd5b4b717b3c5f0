"""Bidding reminders, found by NotificationsConfig.ready() through autodiscover_modules.

Round opening: officers of eligible councils who opted in hear once that a round is open for bids
(eligibility is a bidding rule, so the provider lives here, not in notifications).

Deadlines: officers of a council with an unsubmitted bid (a draft, or one returned for
changes) hear 7 days and 1 day before its deadline (the round's close, or their extension). In a
two-stage round an expression of interest is reminded before expressions of interest close, and
an invited full bid before full bids close: once each (the stage is in the dedupe key).

The window only decides when a reminder is due and goes in its dedupe key (so each goes once);
the wording comes from the time actually left, so a draft started three days before the close
gets 'closes in 3 days', not 'in 7 days'."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.urls import reverse

from grants.core.dates import govuk_when
from notifications.reminders import Reminder, provider, when_words

WINDOWS = ((timedelta(days=7), "7d"), (timedelta(days=1), "1d"))


@provider
def deadline_reminders(now: datetime) -> Iterable[Reminder]:
    from grants.people_selectors import council_officers

    from .models import Bid, BidStage, BidStatus
    from .permissions import barred_pairs

    bids = (
        Bid.objects.filter(
            status__in=(BidStatus.DRAFT, BidStatus.RETURNED),
            round__published=True,
            round__closes_at__gt=now - timedelta(days=60),
        )
        .select_related("round", "lead")
        .order_by("pk")
    )
    due = []
    for bid in bids:
        left = bid.deadline - now
        for window, tag in WINDOWS:
            # Due once fewer than `window` remains, until the next, shorter window starts.
            if timedelta(0) < left <= window and (tag == "1d" or left > timedelta(days=1)):
                due.append((bid, tag))
    if not due:
        return
    officers: dict[int, list] = {}
    for user in council_officers(organisation_ids={b.lead_id for b, _ in due}):
        officers.setdefault(user.organisation_id, []).append(user)
    # A panel member conflicted on a bid hears nothing about it, whatever their council role.
    barred = barred_pairs({b.pk: b for b, _ in due}.values(), [u for us in officers.values() for u in us])
    stage_names = {BidStage.EOI: "expressions of interest", BidStage.FULL: "full bids"}
    for bid, tag in due:
        words = when_words(bid.deadline, now)
        for user in officers.get(bid.lead_id, []):
            if (bid.pk, user.pk) in barred:
                continue
            yield Reminder(
                recipient=user,
                event="deadline_approaching",
                context={
                    "round_name": bid.round.name,
                    "closes_at": govuk_when(bid.deadline),
                    "when": words,
                    "reference": bid.title,
                    **({"stage_name": stage_names[bid.stage]} if bid.round.two_stage else {}),
                },
                # Each stage has its own deadline and its own reminders: the stage is in the key.
                dedupe_key=f"deadline_approaching:{bid.pk}:{tag}:{bid.deadline:%s}"
                + (f":{bid.stage}" if bid.round.two_stage else ""),
                url=reverse("applications:bid_detail", args=[bid.pk]),
                programme_id=bid.round.programme_id,
            )


@provider
def round_opening(now: datetime) -> Iterable[Reminder]:
    """Officers of eligible councils who opted in hear that a round is open, once per round.

    Every open round counts, not only those that opened in the last hours: a round published
    after its opening time (or while the scheduler was down) still gets its alerts, and someone
    who opts in while a round is open hears about it. What was already sent is read from the
    outbox (the dedupe key per person and round), so nothing goes twice.
    """
    from grants.models import Organisation, Round
    from grants.people_selectors import council_officers
    from grants.selectors import round_eligibility, round_is_targeted
    from notifications.models import Channel, Notification

    rounds = list(Round.objects.published().filter(opens_at__lte=now, closes_at__gt=now).select_related("programme"))
    if not rounds:
        return
    people = list(
        council_officers(organisation_ids=Organisation.objects.current().values("pk"))
        .filter(notification_preference__round_opening_alerts=True)
        .select_related("organisation")
    )
    if not people:
        return
    for rnd in rounds:
        key = f"round_opening:{rnd.pk}"
        # A targeted round tells each invited council it is invited, and nothing about the others.
        invited = {"invited": True} if round_is_targeted(rnd) else {}
        told = set(
            Notification.objects.filter(
                channel=Channel.IN_APP, dedupe_key=key, recipient_id__in=[p.pk for p in people]
            ).values_list("recipient_id", flat=True)
        )
        eligible: dict[int, bool] = {}
        for person in people:
            if person.pk in told:
                continue
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
                    "closes_at": govuk_when(rnd.closes_at),
                    **invited,
                },
                dedupe_key=key,
                url=rnd.get_absolute_url(),
                programme_id=rnd.programme_id,
            )


# Issue 16, clarifications.
@provider
def clarification_reminders(now: datetime) -> Iterable[Reminder]:
    """The lead council hears once, the day before the reply-by date, about a question still open."""
    from django.utils import timezone
    from django.utils.formats import date_format

    from grants.people_selectors import council_officers

    from .models import BidStatus, Clarification
    from .permissions import barred_pairs

    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = list(
        Clarification.objects.filter(closed_at__isnull=True, reply_by=tomorrow, bid__status=BidStatus.SUBMITTED)
        .select_related("bid__round", "bid__lead")
        .order_by("pk")
    )
    if not due:
        return
    officers: dict[int, list] = {}
    for user in council_officers(organisation_ids={c.bid.lead_id for c in due}).order_by("pk"):
        officers.setdefault(user.organisation_id, []).append(user)
    barred = barred_pairs({c.bid_id: c.bid for c in due}.values(), [u for us in officers.values() for u in us])
    for c in due:
        for user in officers.get(c.bid.lead_id, []):
            if (c.bid_id, user.pk) in barred:
                continue
            yield Reminder(
                recipient=user,
                event="clarification_reminder",
                context={
                    "reference": c.bid.reference or "",
                    "round_name": c.bid.round.name,
                    "organisation_name": c.bid.lead.short_name,
                    "title": c.bid.title,
                    "question": c.question,
                    "reply_by": date_format(c.reply_by, "j F Y"),
                },
                dedupe_key=f"clarification_reminder:{c.pk}",
                url=reverse("applications:bid_detail", args=[c.bid_id]),
                programme_id=c.bid.round.programme_id,
            )
