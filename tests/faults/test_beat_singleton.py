"""Two beat processes, one schedule: celery-redbeat's lock in Redis lets only one send.

Real `celery beat` processes on the real broker (Redis), with production's scheduler settings
and a probe entry due every second (tests/faults/beat_settings.py). The second process waits
for the lock and sends nothing while the first runs; when the first stops it takes over. Every
message in the probe's queue is one the lock holder logged sending, so none came from the other.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings

pytestmark = pytest.mark.integration
ROOT = Path(django_settings.BASE_DIR)
SENT = "Sending due task beat-probe"
LOCKED = "beat: Acquired lock"


@pytest.fixture
def beat(tmp_path):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith(("redis://", "rediss://")):
        if os.environ.get("CI") and os.environ.get("DATABASE_URL"):
            pytest.fail("CI's PostgreSQL pass must set a redis:// CELERY_BROKER_URL (see .ci/run)")
        pytest.skip("needs a Redis CELERY_BROKER_URL")
    tag = uuid.uuid4().hex[:8]
    queue, prefix = f"test-beat-{tag}", f"test-beat-{tag}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.beat_settings",
        "GRANTBENCH_TEST_BEAT_QUEUE": queue,
        "GRANTBENCH_TEST_BEAT_PREFIX": prefix,
    }
    started: list[tuple[subprocess.Popen, Path]] = []

    def start(name: str) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / f"{name}.log"
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info", "--max-interval", "1"]
            + ["-s", str(tmp_path / f"{name}-schedule")],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append((proc, log))
        return proc, log

    client = redis.Redis.from_url(os.environ.get("REDIS_URL") or broker)
    broker_client = redis.Redis.from_url(broker)
    yield start, broker_client, queue
    for proc, _log in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    broker_client.delete(queue)


def wait_for(log: Path, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in log.read_text():
            return True
        time.sleep(0.2)
    return False


def queued_as_logged(broker, queue: str, logs: list[Path]) -> bool:
    """The queue holds what these logs say was sent (beat logs just before it sends, so a send in
    flight may be logged and not yet queued)."""
    logged_before = sum(log.read_text().count(SENT) for log in logs)
    queued = broker.llen(queue)
    logged_after = sum(log.read_text().count(SENT) for log in logs)
    return logged_before - 1 <= queued <= logged_after


def test_only_the_lock_holder_schedules_and_the_other_takes_over(beat):
    start, broker, queue = beat
    first, first_log = start("first")
    assert wait_for(first_log, SENT, 45), first_log.read_text()
    second, second_log = start("second")
    time.sleep(8)  # the second beat is up and asking for the lock, every second
    assert first.poll() is None and second.poll() is None, second_log.read_text()
    assert "beat: Starting" in second_log.read_text()
    assert LOCKED not in second_log.read_text() and SENT not in second_log.read_text()
    assert first_log.read_text().count(SENT) >= 6
    assert queued_as_logged(broker, queue, [first_log])  # every message came from the lock holder

    first.send_signal(signal.SIGTERM)  # a clean stop releases the lock
    first.wait(20)
    assert wait_for(second_log, SENT, 20), second_log.read_text()
    assert LOCKED in second_log.read_text()
    assert queued_as_logged(broker, queue, [first_log, second_log])
