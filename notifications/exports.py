"""The failed-email page as a download (CSV or XLSX), with the filters on screen.

Registered with the reporting framework (imported from `NotificationsConfig.ready`), so the
page's links, the download view and background exports build the same rows from the same
selector and permission check as the page.
"""

from django.http import Http404

from grants.core.exports import Table, table

from . import selectors
from .events import EVENTS
from .forms import failed_filters
from .permissions import can_see_failed

HEADER = ["Written", "To", "Organisation", "Event", "Subject", "Programme", "Tries", "Last error"]


def row(n) -> list:
    ev = EVENTS.get(n.event)
    return [
        n.created_at,
        n.recipient.email,
        n.recipient.organisation.short_name if n.recipient.organisation else "",
        ev.label if ev else n.event,
        n.subject,
        n.programme.name if n.programme else "",
        n.attempts,
        n.last_error,
    ]


@table("failed-emails")
def failed_emails(user, params) -> Table:
    if not can_see_failed(user):
        raise Http404
    qs = selectors.failed_emails(user=user, **failed_filters(user=user, params=params))
    return Table("Failed emails", HEADER, (row(n) for n in qs.iterator(chunk_size=2000)), qs.count())
