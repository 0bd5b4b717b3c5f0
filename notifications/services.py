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
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone

from grants.services import audit_record

from .events import Event, get_event
from .models import Channel, Notification, Preference, Status

if TYPE_CHECKING:
    from grants.models import User

logger = logging.getLogger(__name__)


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5)


def retry_delay(attempts: int) -> int:
    """Exponential backoff in seconds after the n-th failed attempt: 60, 120, 240, 480..."""
    base = getattr(settings, "NOTIFICATIONS_RETRY_BASE_SECONDS", 60)
    return int(base * 2 ** max(attempts - 1, 0))


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.GRANTBENCH_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def _render_subject(event: Event, context: dict) -> str:
    return " ".join(Template(event.subject).render(Context(context, autoescape=False)).split())[:255]


def preference_for(user: "User") -> Preference:
    """The user's stored choices, or unsaved defaults."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def _enqueue(notification_id: int) -> None:
    from .tasks import notification_deliver

    # NOTIFICATIONS_QUEUE lets operators (and the integration test) give email its own worker queue.
    queue = getattr(settings, "NOTIFICATIONS_QUEUE", "")
    notification_deliver.apply_async(args=[notification_id], **({"queue": queue} if queue else {}))


def _enqueue_on_commit(notification_id: int) -> None:
    """Queue delivery after the commit; robust: if the broker is down, the sweeper requeues later."""

    def notification_enqueue() -> None:
        _enqueue(notification_id)

    transaction.on_commit(notification_enqueue, robust=True)


def notify(
    *,
    recipient: "User",
    event: str,
    context: dict,
    dedupe_key: str,
    url: str = "",
    essential: bool = True,
) -> Notification | None:
    """Tell `recipient` about `event`: an in-app row always, an email row unless they turned it off.

    Call inside the transaction that makes the change. Returns the email row (or the in-app
    row when no email is due), or None when this recipient already has `dedupe_key`.
    `essential=False` lets a caller make an essential event optional; it cannot do the reverse.
    Emails of users on the daily digest wait for `digests_send`; the rest are queued to Celery
    when the transaction commits.
    """
    ev = get_event(event)
    context = json.loads(json.dumps(context or {}, cls=DjangoJSONEncoder))
    is_essential = essential and ev.essential
    pref = preference_for(recipient)
    wants_email = bool(recipient.email) and recipient.is_active and (is_essential or ev.name not in pref.emails_off)
    now = timezone.now()
    common = {
        "recipient": recipient,
        "event": ev.name,
        "subject": _render_subject(ev, context),
        "context": context,
        "url": url,
        "dedupe_key": dedupe_key[:200],
    }
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves the caller's transaction usable
            in_app = Notification.objects.create(channel=Channel.IN_APP, status=Status.SENT, sent_at=now, **common)
            email = None
            if wants_email:
                status = Status.DIGEST if pref.daily_digest else Status.QUEUED
                email = Notification.objects.create(channel=Channel.EMAIL, status=status, next_attempt_at=now, **common)
    except IntegrityError:
        if Notification.objects.filter(recipient=recipient, dedupe_key=common["dedupe_key"]).exists():
            return None
        raise
    if email is not None and email.status == Status.QUEUED:
        _enqueue_on_commit(email.pk)
    return email or in_app


def render_email(notification: Notification) -> tuple[str, str, str]:
    """(subject, plain text, HTML) for one email row."""
    ev = get_event(notification.event)
    context = {
        **notification.context,
        "recipient_name": notification.recipient.get_short_name(),
        "link": absolute_url(notification.url),
        "service_name": settings.GRANTBENCH_SERVICE_NAME,
        "subject": notification.subject,
    }
    text = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", render_to_string(ev.template_txt, context)).strip() + "\n"
    html = re.sub(r"<p[^>]*>\s*</p>\s*", "", render_to_string(ev.template_html, context))
    return notification.subject, text, html


def _send(*, to: str, subject: str, text: str, html: str) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


def deliver(*, notification_id: int) -> tuple[str, int | None]:
    """Send one queued email. Returns (outcome, retry in seconds or None).

    The row stays locked while it is sent, so a second worker given the same id waits, then
    sees it sent and does nothing.
    """
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, channel=Channel.EMAIL)
            .first()
        )
        if n is None or n.status != Status.QUEUED:
            return "skipped", None
        n.attempts += 1
        try:
            if not n.recipient.email:
                raise ValueError("The recipient has no email address")
            subject, text, html = render_email(n)
            _send(to=n.recipient.email, subject=subject, text=text, html=html)
        except Exception as exc:  # any failure of the backend is recorded and retried
            n.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if n.attempts >= max_attempts():
                n.status, n.next_attempt_at, delay = Status.FAILED, None, None
                logger.error("Notification %s failed for good: %s", n.pk, n.last_error)
            else:
                delay = retry_delay(n.attempts)
                n.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            n.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return ("failed" if delay is None else "retry"), delay
        n.status, n.sent_at, n.next_attempt_at = Status.SENT, timezone.now(), None
        n.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at"])
        return "sent", None


def requeue_stale(*, now: datetime | None = None, grace: timedelta = timedelta(minutes=15)) -> int:
    """Queue again emails whose task was lost (broker down at commit, worker killed)."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            channel=Channel.EMAIL, status=Status.QUEUED, next_attempt_at__lt=now - grace
        ).values_list("pk", flat=True)[:5000]
    )
    for pk in ids:
        _enqueue(pk)
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


@transaction.atomic
def preferences_save(
    *, user: "User", emails_off: list[str], daily_digest: bool, round_opening_alerts: bool
) -> Preference:
    """Store a user's choices. Essential events cannot be turned off; only staff and panel get a digest."""
    from grants.permissions import is_panel_member, is_staff_user

    from .events import OPTIONAL_EVENTS

    optional = {e.name for e in OPTIONAL_EVENTS}
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
        items = [{"subject": r.subject, "link": absolute_url(r.url), "created_at": r.created_at} for r in rows]
        context = {"recipient_name": recipient.get_short_name(), "items": items, "count": len(items), "today": now}
        subject = f"Your daily summary: {len(items)} update{'s' if len(items) != 1 else ''}"
        try:
            _send(
                to=recipient.email,
                subject=subject,
                text=render_to_string("notifications/email/digest.txt", context),
                html=render_to_string("notifications/email/digest.html", context),
            )
        except Exception as exc:  # left waiting: tomorrow's digest carries them
            Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
                last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            logger.warning("Digest for user %s failed: %s", user_id, exc)
            return 0
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(status=Status.SENT, sent_at=now, attempts=1)
        return len(rows)
