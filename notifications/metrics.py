"""The email outbox on /metrics (grants.core.metrics): how much is waiting, how long the oldest
has waited, and how many gave up. Read from the database at scrape time, so it is the same
whichever web process answers and counts what every worker left behind."""

from collections.abc import Iterable

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from grants.core.metrics import collector

from .models import Channel, Notification, Status


@collector
def outbox() -> Iterable[GaugeMetricFamily]:
    emails = Notification.objects.filter(channel=Channel.EMAIL)
    counts = dict(emails.values_list("status").annotate(n=Count("pk")).order_by())
    by_status = GaugeMetricFamily(
        "grantbench_outbox_emails",
        "Emails in the outbox by status: queued and digest are the backlog; failed gave up after "
        "NOTIFICATIONS_MAX_ATTEMPTS and wait for someone to resend them",
        labels=["status"],
    )
    for status in (Status.QUEUED, Status.DIGEST, Status.FAILED):
        by_status.add_metric([status.value], counts.get(status.value, 0))
    yield by_status
    yield GaugeMetricFamily(
        "grantbench_emails_failed",
        "Emails that failed for good (listed at /notifications/failed/)",
        value=counts.get(Status.FAILED.value, 0),
    )
    oldest = emails.filter(status=Status.QUEUED).aggregate(at=Min("created_at"))["at"]
    yield GaugeMetricFamily(
        "grantbench_outbox_oldest_queued_seconds",
        "Age of the oldest email still queued (0 when none): a worker that stopped shows here first",
        value=(timezone.now() - oldest).total_seconds() if oldest else 0,
    )
