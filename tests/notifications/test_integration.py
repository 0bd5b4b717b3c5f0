"""A real Celery worker on the real broker delivers a queued email (CI: Redis and PostgreSQL)."""

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

from ..factories import CouncilOfficerFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(django_settings.BASE_DIR)


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker(tmp_path, settings):
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("needs CELERY_BROKER_URL (a real broker)")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process must share the test database: needs DATABASE_URL (PostgreSQL)")
    queue = f"test-notifications-{uuid.uuid4().hex[:8]}"
    settings.NOTIFICATIONS_QUEUE = queue
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),  # the test database (test_<name>), not the real one
        "DJANGO_CONN_MAX_AGE": "0",
        "DJANGO_EMAIL_BACKEND": "tests.notifications.backends.EnvFileBackend",
        "GRANTBENCH_TEST_EMAIL_DIR": str(mail_dir),
        "GRANTBENCH_BASE_URL": "https://grants.example.gov.uk",
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115  closed below
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "--pool=solo", "-Q", queue,
         "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield mail_dir, process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
    log.close()
    print((tmp_path / "worker.log").read_text()[-3000:])


def test_real_worker_delivers_a_queued_email(worker):
    mail_dir, process = worker
    officer = CouncilOfficerFactory(full_name="Grace Hopper")
    with transaction.atomic():
        email = notify(
            recipient=officer, event="payment_made", context={"reference": "BI4-000042", "amount": "12500.00"},
            dedupe_key="payment:42", url="/awards/42/",
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == Status.SENT:
            break
        assert process.poll() is None, "the worker stopped"
        time.sleep(0.5)
    assert email.status == Status.SENT, f"still {email.status} after 60s: {email.last_error}"
    assert email.attempts == 1
    written = "".join(p.read_text() for p in mail_dir.iterdir())
    assert "BI4-000042" in written
    assert officer.email in written
    assert "https://grants.example.gov.uk/awards/42/" in written
