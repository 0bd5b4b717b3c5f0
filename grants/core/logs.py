"""Request ids and the log format: every log line a request causes carries its id, and the
response returns it as X-Request-ID, so a user's "it broke at 10:42" finds its lines.

The id comes from the client only when settings name a header that a trusted proxy sets
(GRANTBENCH_REQUEST_ID_HEADER, e.g. the load balancer's X-Request-ID): otherwise anyone could
plant ids, or text, in our logs. A value that is not a short token is replaced too.
"""

import logging
import re
import uuid
from contextvars import ContextVar

import sentry_sdk
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

RESPONSE_HEADER = "X-Request-ID"
# Load balancers' ids (AWS "Root=1-...", UUIDs, hex) fit; anything else is generated afresh.
ACCEPTED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"

current_request_id: ContextVar[str | None] = ContextVar("grantbench_request_id", default=None)


def request_id_from(request) -> str:
    header = getattr(settings, "GRANTBENCH_REQUEST_ID_HEADER", "")
    offered = request.headers.get(header, "") if header else ""
    return offered if ACCEPTED.fullmatch(offered) else uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so redirects, refusals and error pages carry the id too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request)
        request.request_id = request_id
        token = current_request_id.set(request_id)
        sentry_sdk.set_tag("request_id", request_id)  # a no-op unless SENTRY_DSN is set
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[RESPONSE_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request (or Celery task) that caused it, "-" outside one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True


def json_formatter() -> JsonFormatter:
    """One JSON object a line: time, level, logger, message, request_id (and exc_info when raised)."""
    return JsonFormatter(
        JSON_FIELDS,
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )
