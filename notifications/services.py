"""Writes for notifications. `notify()` is the one entry point every other app calls.

Delivery is exactly once from the user's point of view: the row is written in the caller's
transaction (a rolled-back change sends nothing), the dedupe key is unique per recipient and
channel (a reminder found twice is written once), and the delivery task locks the row and
checks its status before sending (a task run twice sends once).
"""

import json
import logging
import re
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone

from grants.contacts import contact_for_message, service_contact
from grants.core.audit import audit_record
from grants.core.links import service_url

from .events import Event, get_event
from .models import Channel, Notification, Preference, Status

if TYPE_CHECKING:
    from grants.models import Programme, User

logger = logging.getLogger(__name__)


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5)


def retry_delay(attempts: int) -> int:
    """Exponential backoff in seconds after the n-th failed attempt: 60, 120, 240, 480..."""
    base = getattr(settings, "NOTIFICATIONS_RETRY_BASE_SECONDS", 60)
    return int(base * 2 ** max(attempts - 1, 0))


@lru_cache(maxsize=128)
def _subject_template(source: str) -> Template:
    return Template(source)  # compiled once per event: a fan-out renders thousands of subjects


def render_subject(event: Event, context: dict) -> str:
    """The subject on one line, whole: a subject cut mid-word hides what the email is about."""
    return " ".join(_subject_template(event.subject).render(Context(context, autoescape=False)).split())


# Honorifics: 'Dear Mrs' is what taking the first word of 'Mrs Jane Page' gives.
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "cllr", "prof", "sir", "dame", "lord", "lady"})


def greeting_name(user: "User") -> str:
    """The name after 'Dear': the first name, or the whole name when it starts with a title
    ('Dear Mrs Jane Page', never 'Dear Mrs'); the email address when there is no name."""
    words = (user.full_name or "").split()
    if not words:
        return user.email
    return " ".join(words) if words[0].rstrip(".").lower() in TITLES else words[0]


def preference_for(user: "User") -> Preference:
    """The user's stored choices, or unsaved defaults."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def digest_applies(user: "User", pref: Preference) -> bool:
    """The digest is for staff and panel members: someone who lost the role gets single emails
    again without having to find the setting (queries only for the few who chose the digest)."""
    from grants.permissions import is_panel_member, is_staff_user

    return pref.daily_digest and (is_staff_user(user) or is_panel_member(user))


def queue_options() -> dict:
    # NOTIFICATIONS_QUEUE lets operators (and the integration test) give email its own worker queue.
    queue = getattr(settings, "NOTIFICATIONS_QUEUE", "")
    return {"queue": queue} if queue else {}


def _enqueue(notification_id: int) -> None:
    from .tasks import notification_deliver

    notification_deliver.apply_async(args=[notification_id], **queue_options())


def delivery_batch_size() -> int:
    return getattr(settings, "NOTIFICATIONS_DELIVERY_BATCH", 100)


def enqueue_many(notification_ids: list[int]) -> None:
    """One delivery task per batch of ids (each row is still locked and checked on its own)."""
    from .tasks import notifications_deliver_batch

    size = delivery_batch_size()
    for first in range(0, len(notification_ids), size):
        notifications_deliver_batch.apply_async(args=[notification_ids[first : first + size]], **queue_options())


def enqueue_many_on_commit(notification_ids: list[int]) -> None:
    """Queue a batch after the commit; robust, like `_enqueue_on_commit` (the sweeper catches up)."""
    if not notification_ids:
        return

    def notifications_enqueue_batch() -> None:
        enqueue_many(notification_ids)

    transaction.on_commit(notifications_enqueue_batch, robust=True)


def _enqueue_on_commit(notification_id: int) -> None:
    """Queue delivery after the commit; robust: if the broker is down, the sweeper requeues later."""

    def notification_enqueue() -> None:
        _enqueue(notification_id)

    transaction.on_commit(notification_enqueue, robust=True)


def build_rows(
    *,
    recipient: "User",
    event: str,
    context: dict,
    dedupe_key: str,
    url: str = "",
    essential: bool = True,
    pref: Preference,
    now: datetime,
    programme_id: int | None = None,
) -> list[Notification]:
    """The unsaved rows one message makes: in-app always, then email unless turned off.

    Shared by `notify()` and the reminder fan-out (which writes many at once), so both apply the
    same preferences. Raises ValueError for an unknown event, EventContextError (a TypeError)
    for a context key the event does not declare or a required one missing, TypeError for a
    context that is not JSON."""
    ev = get_event(event)
    ev.check_context(context or {})
    context = json.loads(json.dumps(context or {}, cls=DjangoJSONEncoder))
    is_essential = essential and ev.essential
    wants_email = bool(recipient.email) and recipient.is_active and (is_essential or ev.name not in pref.emails_off)
    common = {
        "recipient": recipient,
        "event": ev.name,
        "subject": render_subject(ev, context),
        "context": context,
        "url": url,
        "dedupe_key": dedupe_key[:200],
        "programme_id": programme_id,
    }
    rows = [Notification(channel=Channel.IN_APP, status=Status.SENT, sent_at=now, **common)]
    if wants_email:
        status = Status.DIGEST if digest_applies(recipient, pref) else Status.QUEUED
        rows.append(Notification(channel=Channel.EMAIL, status=status, next_attempt_at=now, **common))
    return rows


def notify(
    *,
    recipient: "User",
    event: str,
    context: dict,
    dedupe_key: str,
    url: str = "",
    essential: bool = True,
    programme: "Programme | int | None" = None,
) -> Notification | None:
    """Tell `recipient` about `event`: an in-app row always, an email row unless they turned it off.

    Call inside the transaction that makes the change. Returns the email row (or the in-app
    row when no email is due), or None when this recipient already has `dedupe_key`.
    `essential=False` lets a caller make an essential event optional; it cannot do the reverse.
    `context` has exactly the keys the event declares (notifications/events.py): an undeclared
    key or a missing required one is refused (EventContextError) before anything is written.
    `programme` (what the message is about) lets that programme's managers see and resend the
    email if it fails; without it only administrators can. Emails of staff and panel members on
    the daily digest wait for `digests_send`; the rest are queued to Celery when the transaction
    commits.
    """
    rows = build_rows(
        recipient=recipient,
        event=event,
        context=context,
        dedupe_key=dedupe_key,
        url=url,
        essential=essential,
        pref=preference_for(recipient),
        now=timezone.now(),
        programme_id=programme if programme is None or isinstance(programme, int) else programme.pk,
    )
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves the caller's transaction usable
            for row in rows:
                row.save(force_insert=True)
    except IntegrityError:
        if Notification.objects.filter(recipient=recipient, dedupe_key=rows[0].dedupe_key).exists():
            return None
        raise
    if rows[-1].channel == Channel.EMAIL and rows[-1].status == Status.QUEUED:
        _enqueue_on_commit(rows[-1].pk)
    return rows[-1]


def render_email(notification: Notification, *, contacts: dict | None = None) -> tuple[str, str, str]:
    """(subject, plain text, HTML) for one email row. `contacts`: a dict a batch passes to every
    email, so the contact of a programme and round is read once per batch, not once per email."""
    ev = get_event(notification.event)
    where = (notification.programme_id, str(notification.context.get("round_name") or ""))
    if contacts is None or where not in contacts:
        contact = contact_for_message(programme_id=where[0], round_name=where[1])
        if contacts is not None:
            contacts[where] = contact
    else:
        contact = contacts[where]
    context = {
        **notification.context,
        "recipient_name": greeting_name(notification.recipient),
        "link": service_url(notification.url),
        "service_name": settings.GRANTBENCH_SERVICE_NAME,
        "subject": notification.subject,
        # "Questions? Contact ...": the round's contact when the message names a round, else the
        # programme's, else the service's (templates/notifications/email/_contact.*).
        "contact": contact,
    }
    text = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", render_to_string(ev.template_txt, context)).strip() + "\n"
    html = re.sub(r"<p[^>]*>\s*</p>\s*", "", render_to_string(ev.template_html, context))
    return notification.subject, text, html


def send_message(*, to: str, subject: str, text: str, html: str, connection=None) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], connection=connection)
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


def deliver(*, notification_id: int, connection=None, row: Notification | None = None) -> tuple[str, int | None]:
    """Send one queued email. Returns (outcome, retry in seconds or None).

    One UPDATE claims the row (queued to sent, one more attempt) and holds its lock while the
    email goes; the commit comes after the send. A second worker given the same id waits on the
    lock, then finds the row no longer queued and does nothing; a worker that dies mid-send
    rolls back and leaves it queued. A failed send rewrites the row, in the same transaction,
    as queued for a retry or failed. `connection`: an open email connection to reuse; `row`: the
    row read beforehand (a batch reads all of its rows in one query).
    """
    n = row or Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if n is None or n.channel != Channel.EMAIL:
        return "skipped", None
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=n.pk, status=Status.QUEUED).update(
            status=Status.SENT, sent_at=timezone.now(), next_attempt_at=None, attempts=F("attempts") + 1
        )
        if not claimed:
            return "skipped", None
        try:
            if not n.recipient.email:
                raise ValueError("The recipient has no email address")
            subject, text, html = render_email(n)
            send_message(to=n.recipient.email, subject=subject, text=text, html=html, connection=connection)
        except Exception as exc:  # any failure of the backend is recorded and retried
            return record_failure(n.pk, exc)
        return "sent", None


def mark_sent(pks: list[int]) -> None:
    """A chunk's emails marked sent in one UPDATE, by the app that owns the outbox's statuses
    (`tests/grants/test_transitions.py`). Its time is when the chunk's last email went, so the
    outbox never says sent before it was."""
    Notification.objects.filter(pk__in=pks).update(
        status=Status.SENT, sent_at=timezone.now(), next_attempt_at=None, attempts=F("attempts") + 1
    )


def record_failure(pk: int, exc: Exception, *, attempts: int | None = None) -> tuple[str, int | None]:
    """Write a failed send as queued for a retry, or failed at the limit. `attempts`: the count
    including this try, when the caller has not already written it (a batch's locked row)."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    counted = attempts is not None
    if attempts is None:
        attempts = Notification.objects.filter(pk=pk).values_list("attempts", flat=True).get()
    if attempts >= max_attempts():
        status, next_at, delay = Status.FAILED, None, None
        logger.error("Notification %s failed for good: %s", pk, error)
    else:
        delay = retry_delay(attempts)
        status, next_at = Status.QUEUED, timezone.now() + timedelta(seconds=delay)
    extra = {"attempts": attempts} if counted else {}
    Notification.objects.filter(pk=pk).update(
        status=status, sent_at=None, next_attempt_at=next_at, last_error=error, **extra
    )
    return ("failed" if delay is None else "retry"), delay


def open_quietly(connection) -> None:
    try:
        connection.open()
    except Exception:  # the next send opens it again and records its own failure for retry
        logger.warning("Could not open the email connection for a batch", exc_info=True)


def requeue_queued(*, dedupe_prefix: str) -> int:
    """Queue delivery again, after the commit, for the emails still queued whose dedupe key starts
    with `dedupe_prefix` (one act's emails: callers suffix each recipient's key). For a
    request repeated because its answer was lost: the process that wrote the emails may have died
    between its commit and queuing their task (an app server killed mid-request), and the
    repeat is the first to know; without it they wait for the sweep (`requeue_stale`, up to an
    hour and a quarter). Safe to call any number of times: delivery claims each row, so an
    email queued twice still goes once."""
    ids = list(
        Notification.objects.filter(
            channel=Channel.EMAIL, status=Status.QUEUED, dedupe_key__startswith=dedupe_prefix
        ).values_list("pk", flat=True)
    )
    enqueue_many_on_commit(ids)
    return len(ids)


def requeue_stale(*, now: datetime | None = None, grace: timedelta = timedelta(minutes=15)) -> int:
    """Queue again emails whose task was lost (broker down at commit, worker killed)."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            channel=Channel.EMAIL, status=Status.QUEUED, next_attempt_at__lt=now - grace
        ).values_list("pk", flat=True)[:5000]
    )
    enqueue_many(ids)
    return len(ids)


@transaction.atomic
def resend(*, actor: "User", notification: Notification) -> Notification:
    """Staff put a failed email back in the queue with a fresh set of attempts."""
    n = Notification.objects.select_for_update().get(pk=notification.pk)
    if n.channel != Channel.EMAIL or n.status != Status.FAILED:
        raise ValueError("Only failed emails can be sent again")
    n.status, n.attempts, n.next_attempt_at = Status.QUEUED, 0, timezone.now()
    n.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(actor=actor, action="notification.resend", target=n, summary=f"Resent: {n.subject}")
    _enqueue_on_commit(n.pk)
    return n


def mark_read(*, user: "User", notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) in-app notification of `user` as read."""
    qs = Notification.objects.unread().filter(recipient=user)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


# Round-opening emails are asked for by their own yes/no question (they go only to those who say
# yes), so they are not also a checkbox among the optional emails.
ROUND_ALERT_EVENT = "round_opening"


def email_choice_events() -> list[Event]:
    """The optional emails a user turns on or off with a checkbox."""
    from .events import OPTIONAL_EVENTS

    return [e for e in OPTIONAL_EVENTS if e.name != ROUND_ALERT_EVENT]


@transaction.atomic
def preferences_save(
    *, user: "User", emails_off: list[str], daily_digest: bool, round_opening_alerts: bool
) -> Preference:
    """Store a user's choices. Essential events cannot be turned off; only staff and panel get a digest."""
    from grants.permissions import is_panel_member, is_staff_user

    optional = {e.name for e in email_choice_events()}
    pref, _ = Preference.objects.select_for_update().get_or_create(user=user)
    pref.emails_off = sorted(set(emails_off) & optional)
    pref.daily_digest = bool(daily_digest) and (is_staff_user(user) or is_panel_member(user))
    pref.round_opening_alerts = bool(round_opening_alerts)
    pref.save()
    audit_record(
        actor=user, action="notifications.preferences", target=pref, summary="Notification preferences changed"
    )
    return pref


def digest_send(*, user_id: int, now: datetime | None = None) -> int:
    """Send one user's waiting emails as one digest. Returns how many it covered."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient_id=user_id, channel=Channel.EMAIL, status=Status.DIGEST)
            .select_related("recipient")
            .order_by("created_at", "pk")
        )
        if not rows:
            return 0
        recipient = rows[0].recipient
        items = [{"subject": r.subject, "link": service_url(r.url), "created_at": r.created_at} for r in rows]
        context = {
            "contact": service_contact(),
            "recipient_name": greeting_name(recipient),
            "items": items,
            "count": len(items),
            "today": now,
            "service_name": settings.GRANTBENCH_SERVICE_NAME,
        }
        subject = f"Your daily summary: {len(items)} update{'s' if len(items) != 1 else ''}"
        ids = [r.pk for r in rows]
        try:
            send_message(
                to=recipient.email,
                subject=subject,
                text=render_to_string("notifications/email/digest.txt", context),
                html=render_to_string("notifications/email/digest.html", context),
            )
        except Exception as exc:  # counted like any failed send: tomorrow's digest carries them, until the limit
            error = f"Daily summary: {type(exc).__name__}: {exc}"[:2000]
            Notification.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1, last_error=error)
            # Failed rows show on the failed-email page, where staff can resend each as a single email.
            gave_up = Notification.objects.filter(pk__in=ids, attempts__gte=max_attempts()).update(
                status=Status.FAILED, next_attempt_at=None
            )
            log = logger.error if gave_up else logger.warning
            log("Digest for user %s failed (%s emails given up): %s", user_id, gave_up, exc)
            return 0
        Notification.objects.filter(pk__in=ids).update(
            status=Status.SENT, sent_at=now, next_attempt_at=None, attempts=F("attempts") + 1
        )
        return len(rows)
