"""The personal data the outbox holds (grants.core.personal_data), and the email-bodies rule."""

from datetime import datetime

from grants.core.personal_data import declare, retention_rule

declare(
    "notifications.Notification",
    fields=["recipient", "subject", "context", "url"],
    purpose="To send you emails and messages about your bids, grants and tasks, and to show they were sent",
    basis="public_task",
    about=["everyone"],
    retention="email_bodies",
    person=["recipient"],
    on_erasure="blank",
    blank={"context": {}},
    labels={"context": "what the message said", "url": "the page it links to"},
)
declare(
    "notifications.Preference",
    fields=["user", "emails_off"],
    purpose="To remember which emails you chose not to get",
    basis="public_task",
    about=["everyone"],
    retention="account",
    person=["user"],
    on_erasure="delete",
    labels={"emails_off": "emails you turned off"},
)


@retention_rule("email_bodies")
def _email_bodies(now: datetime) -> int:
    from .retention import email_bodies_blank

    return email_bodies_blank(now=now)
