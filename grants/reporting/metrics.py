"""Export durations on /metrics (grants.core.metrics), from the export jobs' own timestamps.

Exports run in the Celery worker, often on another host, so a histogram in the worker's memory
would never reach the web process that answers the scrape; the jobs table is shared. The figures
cover exports finished in the last 24 hours: a window, so read them as they are (no rate()).
"""

import math
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from grants.core.metrics import collector

from .models import ExportJob, ExportStatus

WINDOW = timedelta(hours=24)


@collector
def exports() -> Iterable[GaugeMetricFamily]:
    finished = ExportJob.objects.filter(finished_at__gte=timezone.now() - WINDOW)
    rows = list(finished.values_list("status", "created_at", "finished_at"))
    counts = GaugeMetricFamily(
        "grantbench_exports_finished_24h", "Exports finished in the last 24 hours, by outcome", labels=["status"]
    )
    for status in (ExportStatus.DONE, ExportStatus.FAILED):
        counts.add_metric([status.value], sum(1 for s, _, _ in rows if s == status))
    yield counts
    took = sorted((end - start).total_seconds() for s, start, end in rows if s == ExportStatus.DONE)
    durations = GaugeMetricFamily(
        "grantbench_export_duration_seconds",
        "From asking to file ready, for exports done in the last 24 hours: median, 90th percentile, longest",
        labels=["quantile"],
    )
    for label, q in (("0.5", 0.5), ("0.9", 0.9), ("1", 1.0)):
        durations.add_metric([label], took[max(0, math.ceil(q * len(took)) - 1)] if took else 0)  # nearest rank
    yield durations
