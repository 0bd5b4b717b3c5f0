"""Reminders for milestones and returns: 14 and 3 days before, then overdue the day after and weekly.
Officers are chased for what they have to send; certifiers for returns awaiting their certification.

Registered with `notifications.reminders.provider`; the hourly task calls it, and the dedupe key
(one per item, stage and due date) makes each reminder go once even if found every hour.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.utils import timezone

from grants.core.words import counted
from notifications.reminders import Reminder, provider

BEFORE = (14, 3)


def _stage(due_on: date, today: date) -> tuple[str, str, int] | None:
    """(event, stage key, days) if a reminder is due today for something due on `due_on`."""
    days = (due_on - today).days
    if days in BEFORE:
        return "due", f"before{days}", days
    late = -days
    if late >= 1 and (late - 1) % 7 == 0:
        return "overdue", f"overdue{late}", late
    return None


def _when(days: int) -> str:
    return f"in {counted(days, 'day')}"


def _people(award, officers_by_org, barred: set[tuple[int, int]]):
    return [u for u in officers_by_org.get(award.lead_id, []) if (award.bid_id, u.pk) not in barred]


def _barred(awards, officers_by_org) -> set[tuple[int, int]]:
    """(bid id, user id) of officers barred from an award's bid (a conflict of interest): they
    hear nothing about it."""
    from applications.permissions import barred_pairs

    bids = {a.bid_id: a.bid for a in awards if a.bid_id}
    people = [u for users in officers_by_org.values() for u in users]
    return barred_pairs(bids.values(), people) if bids and people else set()


def _officers(org_ids: set[int]) -> dict[int, list]:
    from grants.people_selectors import council_officers

    out: dict[int, list] = {}
    for u in council_officers(organisation_ids=org_ids):
        out.setdefault(u.organisation_id, []).append(u)
    return out


@provider
def award_reminders(now: datetime) -> Iterable[Reminder]:
    from grants.awards.models import Award, Milestone, MilestoneStatus, MonitoringReturn

    today = timezone.localdate(now)
    horizon = today + timedelta(days=max(BEFORE))
    milestones = list(
        Milestone.objects.filter(
            award__status__in=Award.LIVE,
            status__in=(MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS),
            due_on__lte=horizon,
        ).select_related("award__round", "award__bid")
    )
    returns = list(
        MonitoringReturn.objects.filter(
            award__status__in=Award.LIVE, status__in=MonitoringReturn.OPEN, period__due_on__lte=horizon
        ).select_related("award__round", "award__bid", "period")
    )
    officers = _officers({m.award.lead_id for m in milestones} | {r.award.lead_id for r in returns})
    barred = _barred([m.award for m in milestones] + [r.award for r in returns], officers)
    for m in milestones:
        stage = _stage(m.due_on, today)
        if not stage:
            continue
        kind, key, days = stage
        event = "milestone_due" if kind == "due" else "overdue"
        context = {"reference": m.award.reference, "title": m.description, "due_on": f"{m.due_on:%-d %B %Y}"}
        context.update({"when": _when(days)} if kind == "due" else {"days_overdue": days})
        for person in _people(m.award, officers, barred):
            yield Reminder(
                person,
                event,
                context,
                f"milestone:{m.pk}:{m.due_on}:{key}",
                m.award.get_absolute_url(),
                programme_id=m.award.round.programme_id,
            )
    for r in returns:
        yield from _due_or_overdue(
            r.award, r.period.due_on, f"Return {r.period.title}", f"/awards/{r.award_id}/returns/{r.pk}/",
            f"return:{r.pk}", today, officers, barred,
        )  # fmt: skip


def _due_or_overdue(award, due_on, title: str, url: str, key: str, today, officers, barred) -> Iterable[Reminder]:
    """The lead council's officers reminded of a return (monitoring or benefits) at its stages:
    the same events and wording for both, each stage once (`key` names the return)."""
    stage = _stage(due_on, today)
    if not stage:
        return
    kind, stage_key, days = stage
    event = "return_due" if kind == "due" else "overdue"
    context = {"reference": award.reference, "title": title, "due_on": f"{due_on:%-d %B %Y}"}
    context.update({"when": _when(days)} if kind == "due" else {"days_overdue": days})
    for person in _people(award, officers, barred):
        yield Reminder(person, event, context, f"{key}:{due_on}:{stage_key}", url, award.round.programme_id)


def _certifiers(org_ids: set[int]) -> dict[int, list]:
    from grants.people_selectors import council_certifiers

    out: dict[int, list] = {}
    for u in council_certifiers(organisation_ids=org_ids):
        out.setdefault(u.organisation_id, []).append(u)
    return out


@provider
def certify_reminders(now: datetime) -> Iterable[Reminder]:
    """Issue 17: a return awaiting certification is the lead council's certifiers' to do (the
    officer has sent it, so their reminders stop: they ask for OPEN returns only). The same stages
    as other returns; the key carries the send, so a return sent back and sent again is chased
    again. A council with no active certifier reminds nobody: the return still shows overdue to
    the programme (MonitoringReturn.NOT_RECEIVED)."""
    from django.urls import reverse

    from grants.awards.models import Award, MonitoringReturn, ReturnStatus

    today = timezone.localdate(now)
    horizon = today + timedelta(days=max(BEFORE))
    returns = list(
        MonitoringReturn.objects.filter(
            award__status__in=Award.LIVE, status=ReturnStatus.TO_CERTIFY, period__due_on__lte=horizon
        ).select_related("award__round", "award__bid", "award__lead", "period")
    )
    certifiers = _certifiers({r.award.lead_id for r in returns})
    barred = _barred([r.award for r in returns], certifiers)
    for r in returns:
        stage = _stage(r.period.due_on, today)
        if not stage:
            continue
        kind, key, days = stage
        context = {
            "reference": r.award.reference,
            "award_title": r.award.title,
            "organisation_name": r.award.lead.name,
            "title": r.period.title,
            "due_on": f"{r.period.due_on:%-d %B %Y}",
        }
        context.update({"when": _when(days)} if kind == "due" else {"days_overdue": days})
        sent = r.submitted_at.isoformat() if r.submitted_at else ""
        url = reverse("awards:return_certify", args=[r.award_id, r.pk])
        for person in _people(r.award, certifiers, barred):
            yield Reminder(
                person,
                "return_certify_reminder",
                context,
                f"certify:{r.pk}:{r.period.due_on}:{sent}:{key}",
                url,
                r.award.round.programme_id,
            )


@provider
def benefits_reminders(now: datetime) -> Iterable[Reminder]:
    """Issue 17: benefits returns of completed awards, on the same stages as monitoring returns
    (the same events, so the same emails); the dedupe key is the benefits return's own."""
    from grants.awards.models import AwardStatus, BenefitsReturn

    today = timezone.localdate(now)
    horizon = today + timedelta(days=max(BEFORE))
    returns = list(
        BenefitsReturn.objects.filter(
            award__status=AwardStatus.COMPLETED, status__in=BenefitsReturn.OPEN, due_on__lte=horizon
        ).select_related("award__round", "award__bid")
    )
    officers = _officers({r.award.lead_id for r in returns})
    barred = _barred([r.award for r in returns], officers)
    for r in returns:
        yield from _due_or_overdue(
            r.award, r.due_on, f"Benefits return year {r.year}", f"/awards/{r.award_id}/benefits/{r.pk}/",
            f"benefits:{r.pk}", today, officers, barred,
        )  # fmt: skip
