"""Prometheus metrics for /metrics: requests counted in each process, and figures each app reads
from the database when scraped (its metrics.py, found by grants.apps).

Request counters live in process memory. Under gunicorn with several workers set
PROMETHEUS_MULTIPROC_DIR (an empty folder per start) so the scrape adds up every worker, not
whichever one answered. Figures that matter across hosts (the email outbox, exports run by the
worker) come from the database at scrape time, so any web process reports them whole.
"""

import hmac
import os
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.metrics_core import Metric

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
REQUESTS = Counter(
    "grantbench_http_requests",
    "HTTP requests answered, by method, view name and status code",
    ["method", "view", "status"],
)
DURATION = Histogram(
    "grantbench_http_request_duration_seconds",
    "Time to answer a request, by view name",
    ["view"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

_collectors: list[Callable[[], Iterable[Metric]]] = []


def collector(func: Callable[[], Iterable[Metric]]) -> Callable[[], Iterable[Metric]]:
    """Register a function yielding metric families, read afresh at every scrape."""
    _collectors.append(func)
    return func


class _AppCollector:
    def collect(self) -> Iterable[Metric]:
        for func in _collectors:
            yield from func()


class MetricsMiddleware:
    """Counts by view name (a fixed set), never by path, so ids in URLs cannot multiply series."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        DURATION.labels(view).observe(time.perf_counter() - started)
        return response


def token_matches(request) -> bool:
    """A scraper's `Authorization: Bearer <GRANTBENCH_METRICS_TOKEN>`; no token set, no entry."""
    token = getattr(settings, "GRANTBENCH_METRICS_TOKEN", "")
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(offered.strip(), token)


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    database = CollectorRegistry(auto_describe=False)
    database.register(_AppCollector())
    return generate_latest(processes) + generate_latest(database), CONTENT_TYPE_LATEST
