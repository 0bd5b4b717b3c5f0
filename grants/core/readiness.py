"""/readyz: may this process take traffic? The database, the cache, file storage and (when tasks
are not run in-process) the Celery broker each answer, through django-health-check.

/healthz stays a bare "the process answers" for the load balancer's liveness probe; /readyz is
the one that fails while a dependency is down. Anyone may ask it, so it says only ok or failing
per check: the reason (host names, driver errors) goes to the log, never into the response.
"""

import asyncio
import dataclasses

from django.conf import settings
from django.http import JsonResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """Opens a connection to the Celery broker: without it no email or export can be queued."""

    def run(self) -> None:
        from celery import current_app

        try:
            with current_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=0, timeout=self.timeout.total_seconds())
        except Exception as exc:  # kombu raises the transport's own errors
            raise ServiceUnavailable("Broker unreachable") from exc


def checks() -> dict[str, HealthCheck]:
    named: dict[str, HealthCheck] = {"database": Database(), "cache": Cache(), "storage": Storage()}
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        named["broker"] = Broker()
    return named


class ReadyView(HealthCheckView):
    async def get(self, request, *args, **kwargs):
        named = checks()
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in named.values()))
        states = {name: "failing" if result.error else "ok" for name, result in zip(named, results, strict=True)}
        failing = "failing" in states.values()
        return JsonResponse(
            {"status": "failing" if failing else "ok", "checks": states}, status=503 if failing else 200
        )
