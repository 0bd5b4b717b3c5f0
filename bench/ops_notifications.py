"""`reminder_fanout_10k`: 10,000 deadline reminders through the reminder path and a real worker.

The reminders take the path the hourly job takes: a provider registered with
`notifications.reminders.provider` finds them (10,000 deadline reminders to the bench's council
officers) and `notifications.reminders.send_due()` writes them to the outbox and queues their
delivery; only the bench's provider is registered for the run, so the figure is about these
10,000 alone. With CELERY_BROKER_URL set and the bench on PostgreSQL, a worker
(`celery -A config worker`, production settings: DJANGO_DEBUG=0) starts as a subprocess against
the bench's own database, consuming a queue private to this run (so no other worker on the same
Redis picks the tasks up), with an email backend that discards messages. The figure is reminders
per second from the call to `send_due()` until the last email is marked sent in the database
(provider, outbox writes, queueing, broker, worker, rendering and the outbox update all inside
it). Without a broker, or on SQLite (a worker cannot see an in-memory database), delivery runs
eagerly in-process and the result says `"worker": "eager"`.
"""

import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from bench.dataset import Dataset
from grants.core.dates import govuk_when

COUNT = 10_000
TIMEOUT = 900  # seconds to wait for the last email
ROOT = Path(__file__).resolve().parent.parent


def run(ds: Dataset, repeat: int) -> list[dict]:
    from config.celery import app

    broker = os.environ.get("CELERY_BROKER_URL", "")
    real = bool(broker) and connection.vendor == "postgresql"
    queue = f"bench-fanout-{os.getpid()}"
    worker, log = (None, None)
    old_eager, old_queue = app.conf.task_always_eager, getattr(settings, "NOTIFICATIONS_QUEUE", "")
    try:
        if real:
            worker, log = _start_worker(queue)
            settings.NOTIFICATIONS_QUEUE = queue
        else:
            app.conf.task_always_eager = True
        result = _fanout(ds, worker.pid if worker is not None else None)
        result["worker"] = f"celery ({_concurrency()} processes)" if real else "eager"
    finally:
        settings.NOTIFICATIONS_QUEUE = old_queue
        app.conf.task_always_eager = old_eager
        if worker is not None:
            _stop_worker(worker, queue, broker)
        if log is not None:
            Path(log).unlink(missing_ok=True)
    print("  reminder_fanout_10k: " + ", ".join(f"{k}={v}" for k, v in result.items()), flush=True)
    return [{"name": "reminder_fanout_10k", **result}]


def _fanout(ds: Dataset, worker_pid: int | None) -> dict:
    from django.core import mail

    from notifications import reminders
    from notifications.models import Channel, Notification, Status

    count = ds.n("notifications") // 10 if ds.scale < 1 else COUNT
    key = f"bench-fanout-{time.time_ns()}"
    closes = timezone.now() + timedelta(days=3)

    def bench_deadlines(now):
        """What a deadline provider does: read the recipients, yield one reminder per bid and officer
        (the round's deadline worded once, as a provider words it once per round, not per bid)."""
        from grants.models import User

        people = list(User.objects.filter(email__startswith="bench.officer", is_active=True).order_by("pk"))
        closes_at, when = govuk_when(closes), reminders.when_words(closes, now)
        for i in range(count):
            yield reminders.Reminder(
                recipient=people[i % len(people)],
                event="deadline_approaching",
                context={"round_name": "Bench round", "closes_at": closes_at, "when": when, "reference": ""},
                dedupe_key=f"{key}:{i}",
                url="/bids/",
                programme_id=None,
            )

    registered = reminders._PROVIDERS
    reminders._PROVIDERS = {}
    try:
        reminders.provider(bench_deadlines)
        worker_cpu = _cpu_seconds(worker_pid)
        start, cpu = time.perf_counter(), time.process_time()
        started_at = timezone.now()
        written = sum(reminders.send_due().values())
        queued_s, queue_cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        reminders._PROVIDERS = registered
    emails = Notification.objects.filter(channel=Channel.EMAIL, dedupe_key__startswith=key)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        pending = emails.filter(status=Status.QUEUED).count()
        if pending == 0:
            break
        time.sleep(0.5)
    wall_s = time.perf_counter() - start
    worker_cpu = _cpu_seconds(worker_pid) - worker_cpu if worker_pid else None
    sent = emails.filter(status=Status.SENT)
    last = max((s for s in sent.values_list("sent_at", flat=True)), default=None)
    seconds = (last - started_at).total_seconds() if last else wall_s
    n_sent = sent.count()
    mail.outbox = []  # eager delivery in-process fills the locmem outbox
    return {
        "per_second": round(n_sent / seconds, 1) if seconds else 0.0,
        "reminders": written,
        "emails_sent": n_sent,
        "emails_failed": emails.filter(status=Status.FAILED).count(),
        "queue_seconds": round(queued_s, 2),
        "seconds_to_last_sent": round(seconds, 2),
        # CPU seconds per 1,000 reminders: on a shared, loaded machine the rate above moves with
        # the neighbours; these say what the fan-out itself costs. The queueing side is the bench
        # process (provider, outbox writes, queueing); the worker side, the worker and its pool
        # (None when delivery ran eagerly in-process, inside the queueing side).
        "queue_cpu_s_per_1000": round(queue_cpu * 1000 / max(written, 1), 3),
        "worker_cpu_s_per_1000": round(worker_cpu * 1000 / max(n_sent, 1), 3) if worker_cpu is not None else None,
    }


def _cpu_seconds(pid: int | None) -> float:
    """User and system CPU of a process and its children (the worker's pool), from /proc."""
    if pid is None or not Path("/proc").is_dir():
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended while we looked
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def _concurrency() -> int:
    return int(os.environ.get("BENCH_WORKER_CONCURRENCY", "2"))


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _start_worker(queue: str) -> tuple[subprocess.Popen, str]:
    """A worker on the bench database and a private queue; returns once it says it is ready."""
    fd, log = tempfile.mkstemp(prefix="bench-worker-", suffix=".log")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Production settings: with DEBUG on, Django keeps every query of the worker in memory.
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or f"bench-{os.getpid()}-{time.time_ns()}",
        "DJANGO_ALLOWED_HOSTS": os.environ.get("DJANGO_ALLOWED_HOSTS") or "localhost",
    }
    cmd = [
        str(Path(sys.executable).with_name("celery")),
        "-A",
        "config",
        "worker",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "-c",
        str(_concurrency()),
        "-l",
        "info",
        "--without-gossip",
        "--without-mingle",
    ]
    worker = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fd, stderr=subprocess.STDOUT)
    os.close(fd)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if " ready." in Path(log).read_text(errors="replace"):
            return worker, log
        if worker.poll() is not None:
            break
        time.sleep(0.3)
    text = Path(log).read_text(errors="replace")[-2000:]
    _stop_worker(worker, queue, os.environ.get("CELERY_BROKER_URL", ""))
    raise RuntimeError(f"The Celery worker did not start:\n{text}")


def _stop_worker(worker: subprocess.Popen, queue: str, broker: str) -> None:
    """Warm shutdown, then kill if it hangs; drop the private queue so nothing is left in Redis."""
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    if broker.startswith("redis"):
        import redis

        redis.Redis.from_url(broker).delete(queue)
