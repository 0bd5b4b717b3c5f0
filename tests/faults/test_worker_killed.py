"""A Celery worker killed mid-delivery: after a restart the email is sent exactly once.

Real worker processes on the real broker (Redis) and the test database (PostgreSQL), a slow
file email backend (tests/faults/backends.py) and SIGKILL while the message is being sent. The
killed worker's transaction dies with it, so the row is still queued and unlocked; the restarted
worker gets it again (the broker's redelivery, or the hourly `reminders_send_due` sweep that
requeues lost emails, run here as beat would) and the row lock plus status check make any second
delivery of the same task a no-op. Honest limit: a kill after the mail server accepted the message
but before the commit would send it twice (at-least-once); this test kills before acceptance.
"""

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from notifications.models import Status
from notifications.services import notify
from notifications.tasks import reminders_send_due
from tests.factories import CouncilOfficerFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(django_settings.BASE_DIR)


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def start_worker(tmp_path, settings):
    if not os.environ.get("CELERY_BROKER_URL"):
        if os.environ.get("CI") and connection.vendor == "postgresql":
            # .ci/run's PostgreSQL pass starts Redis for exactly this: a skip there would hide it.
            pytest.fail("CI's PostgreSQL pass must set CELERY_BROKER_URL (see .ci/run)")
        pytest.skip("needs CELERY_BROKER_URL (a real broker)")
    if connection.vendor != "postgresql":
        pytest.skip("the worker must share the test database: needs DATABASE_URL (PostgreSQL)")
    queue = f"test-faults-{uuid.uuid4().hex[:8]}"
    settings.NOTIFICATIONS_QUEUE = queue
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_CONN_MAX_AGE": "0",
        "DJANGO_EMAIL_BACKEND": "tests.faults.backends.SlowFileBackend",
        "GRANTBENCH_TEST_EMAIL_DIR": str(mail_dir),
        "GRANTBENCH_TEST_EMAIL_DELAY": "4",
        "GRANTBENCH_BASE_URL": "https://grants.example.gov.uk",
    }
    started = []

    def start(n: int) -> subprocess.Popen:
        log = open(tmp_path / f"worker{n}.log", "w")  # noqa: SIM115  closed with the process
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "--pool=solo", "-Q", queue,
             "-n", f"{queue}-{n}@%h", "--without-gossip", "--without-mingle", "-l", "info"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append((process, log))
        return process

    yield mail_dir, start
    for process, log in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        log.close()
    for path in sorted(tmp_path.glob("worker*.log")):
        print(path.name, path.read_text()[-2000:])


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_worker_killed_mid_send_delivers_exactly_once_after_restart(start_worker):
    mail_dir, start = start_worker
    officer = CouncilOfficerFactory(full_name="Ada Lovelace")
    first = start(1)
    with transaction.atomic():
        email = notify(
            recipient=officer, event="payment_made", context={"reference": "BI4-000042", "amount": "12500.00"},
            dedupe_key="payment:42:fault", url="/awards/42/",
        )  # fmt: skip
    _wait(lambda: (mail_dir / "sending").exists(), 60, "the worker to start sending")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert not list(mail_dir.glob("*.log")), "nothing was sent before the kill"
    email.refresh_from_db()
    assert email.status == Status.QUEUED  # the killed transaction rolled back

    (mail_dir / "sending").unlink()
    second = start(2)
    # The hourly sweep, as beat runs it, once the grace period has passed (here: at once).
    email.__class__.objects.filter(pk=email.pk).update(next_attempt_at=email.created_at.replace(year=2000))
    reminders_send_due()

    def sent():
        email.refresh_from_db()
        assert second.poll() is None, "the restarted worker stopped"
        return email.status == Status.SENT

    _wait(sent, 60, "the restarted worker to send")
    time.sleep(6)  # any duplicate delivery (broker redelivery, second sweep) would land by now
    reminders_send_due()
    time.sleep(6)
    files = list(mail_dir.glob("*.log"))
    assert len(files) == 1, [f.name for f in files]
    assert "BI4-000042" in files[0].read_text()
    email.refresh_from_db()
    assert email.status == Status.SENT
