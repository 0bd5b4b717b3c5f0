"""When a request reached the service: the moment every deadline is judged at.

On deadline day requests queue. A submission a council sent at 11:59:59 can wait in the app
server's queue behind three hundred others and reach a worker after midday; judged by the worker's
clock it is refused as late, through no fault of the council (measured: 22 of 285 councils at
England's size). So the time that counts is when the request arrived, stamped by a component we
run at the edge (the load balancer, or the reverse proxy in front of the app server) in a header
it always overwrites, so no client can choose its own time.

The header is trusted only when `GRANTBENCH_ARRIVAL_HEADER` names it; otherwise (the embedded
default, or a server with no proxy in front) a header of that kind is ignored and the time this
process started on the request is used, as before. A stamp is honoured at most
`GRANTBENCH_ARRIVAL_GRACE_SECONDS` into the past (the bounded grace for work in flight: a
misconfigured edge or a replayed header cannot open a closed round for longer than that) and
never in the future (an edge clock running ahead gains nothing).
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def parse_stamp(value: str) -> datetime | None:
    """The edge's stamp as an aware time, or None when it is not one.

    Accepts the forms proxies write: nginx's `t=${msec}` (seconds with milliseconds), HAProxy's
    and Apache's microseconds (`t=%D`-style), and milliseconds since the epoch (Heroku's router).
    The unit is told apart by magnitude: no date this service sees is near 1970.
    """
    text = value.strip()
    if text.startswith("t="):
        text = text[2:]
    try:
        number = float(text)
    except ValueError:
        return None
    if not number > 0 or number != number:  # negative, zero or NaN
        return None
    if number > 1e14:
        number /= 1_000_000
    elif number > 1e11:
        number /= 1_000
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def arrival_from(meta: dict, now: datetime) -> datetime:
    """The moment to judge this request at: the trusted edge's stamp, kept within the grace, or now."""
    header = settings.GRANTBENCH_ARRIVAL_HEADER
    if not header:
        return now
    raw = meta.get("HTTP_" + header.upper().replace("-", "_"), "")
    stamp = parse_stamp(raw) if raw else None
    if stamp is None:
        return now
    earliest = now - timedelta(seconds=settings.GRANTBENCH_ARRIVAL_GRACE_SECONDS)
    return min(max(stamp, earliest), now)


def arrived_at(request: HttpRequest) -> datetime:
    """When this request reached the service (see the module's docstring); pass it to services as `now`."""
    return getattr(request, "arrived_at", None) or timezone.now()


class ArrivalMiddleware:
    """Stamps `request.arrived_at` before anything else runs, so the fallback reading is as early
    as this process can make it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.arrived_at = arrival_from(request.META, timezone.now())
        return self.get_response(request)
