"""A task queued during a request is logged by the worker with that request's id.

A real `celery worker` on the real broker (Redis), JSON logs as in production, and Celery's own
`celery.accumulate` task (it needs no database) published while a request id is current: the
worker's "succeeded" line carries the id (config/celery.py's publish and prerun signals).
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from config.celery import app
from grants.core.logs import current_request_id

pytestmark = pytest.mark.integration
ROOT = Path(django_settings.BASE_DIR)


def test_the_worker_logs_the_request_id_of_the_request_that_queued_the_task(tmp_path):
    if not os.environ.get("CELERY_BROKER_URL", "").startswith(("redis://", "rediss://")):
        if os.environ.get("CI") and os.environ.get("DATABASE_URL"):
            pytest.fail("CI's PostgreSQL pass must set a redis:// CELERY_BROKER_URL (see .ci/run)")
        pytest.skip("needs a Redis CELERY_BROKER_URL")
    queue, request_id = f"test-request-id-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue, "-l", "info"],
        cwd=ROOT,
        env={**os.environ, "GRANTBENCH_LOG_FORMAT": "json"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        token = current_request_id.set(request_id)
        try:
            app.send_task("celery.accumulate", args=[1, 2], queue=queue)
        finally:
            current_request_id.reset(token)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "succeeded" not in log.read_text():
            time.sleep(0.5)
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
        done = [line for line in lines if "celery.accumulate" in line["message"] and "succeeded" in line["message"]]
        assert done and done[0]["request_id"] == request_id, log.read_text()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
