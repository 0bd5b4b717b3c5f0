"""The Celery app. With no CELERY_BROKER_URL, tasks run eagerly in-process (settings).

Beat runs as a singleton: settings choose celery-redbeat's scheduler, whose Redis lock lets only
one beat process send the schedule however many are started. Tasks carry the request id of the
request that queued them, so a worker's log lines join the request's (grants.core.logs).
"""

import logging
import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger, before_task_publish, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("grantbench")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _redbeat_by_bare_name() -> dict:
    """celery-redbeat asks whether `redbeat_redis_url` is set by its bare name, so the CELERY_
    prefixed Django settings alone make it warn, on every start, that it is not."""
    from django.conf import settings

    return {
        "redbeat_redis_url": settings.CELERY_REDBEAT_REDIS_URL,
        "redbeat_key_prefix": settings.CELERY_REDBEAT_KEY_PREFIX,
    }


app.add_defaults(_redbeat_by_bare_name)

REQUEST_ID_HEADER = "grantbench_request_id"


@after_setup_logger.connect
@after_setup_task_logger.connect
def _log_as_settings_say(logger: logging.Logger, **kwargs) -> None:
    """Celery installs its own handlers on worker and beat start; give them the site's log format
    (JSON in production) and the request id."""
    from django.conf import settings

    from grants.core.logs import RequestIdFilter, json_formatter

    for handler in logger.handlers:
        handler.addFilter(RequestIdFilter())
        if settings.GRANTBENCH_LOG_FORMAT == "json":
            handler.setFormatter(json_formatter())


@before_task_publish.connect
def _carry_request_id(headers: dict | None = None, **kwargs) -> None:
    from grants.core.logs import current_request_id

    request_id = current_request_id.get()
    if request_id and headers is not None:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@task_prerun.connect
def _adopt_request_id(task=None, **kwargs) -> None:
    from grants.core.logs import current_request_id

    if task is None or task.request.is_eager:
        return  # run inside the request that queued it, which already has the id
    # A worker's task starts with its own request's id, or none: never the previous task's.
    current_request_id.set(getattr(task.request, REQUEST_ID_HEADER, None))
