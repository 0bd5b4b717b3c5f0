"""`make loadtest-ha`: the deadline surge on two app servers, losing one of them and a worker.

The production shape of README's "Beyond one machine": HAProxy (Debian's, the trusted edge: it
stamps each request's arrival in X-Request-Start, overwriting the client's, and health-checks
the servers) in front of two gunicorn servers on loopback ports, sharing PostgreSQL, Redis, the
S3 API (moto's server) and two Celery workers. The same surge as `make loadtest` (317 council
officers saving and submitting as the round closes: bench/loadtest.py's plan and seed), driven
by bench/locustfile_ha.py, whose users send a request again after a connection error or a
502/503/504, as people and browsers do, counting each retry.

NODE_KILL_BEFORE seconds before the close, at a moment the first server has requests in hand
(HAProxy's stats), its gunicorn (master and workers) gets SIGKILL. Later, at a moment one of the
first worker's processes is mid-send (it holds an outbox row's claim, open in PostgreSQL, while
the slow mail server answers: bench/loadtest_ha_mail.py), that worker gets SIGKILL too; the
other must finish its sends once the broker hands them on (bench/loadtest_ha_settings.py).

Writes bench/loadtest_ha.json (LOADTEST_OUT elsewhere) with bench/loadtest.json's keys and
node_killed_at_s / worker_killed_at_s (seconds before the close), retries, duplicates and
errors_5xx_in_flight; exits 1 on any broken promise (bench/loadtest_ha_checks.py `failures`).
LOADTEST_HA_SMOKE=1 is the CI size: 20 officers, the close 30 s in, the server killed 10 s before.
"""

import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

from bench import loadtest as base
from bench import loadtest_ha_checks as checks

HERE = Path(__file__).resolve().parent
SMOKE = os.environ.get("LOADTEST_HA_SMOKE", "") not in ("", "0")


def _setting(name: str, full: int, smoke: int) -> int:
    return int(os.environ.get(name) or (smoke if SMOKE else full))


USERS = _setting("LOADTEST_USERS", 317, 20)
LOGIN_USERS = _setting("LOADTEST_LOGIN_USERS", 20, 3)
CLOSE_AFTER = _setting("LOADTEST_CLOSE_AFTER", 100, 30)
RUN_TIME = _setting("LOADTEST_RUN_TIME", 160, 48)
NODE_KILL_BEFORE = _setting("LOADTEST_HA_NODE_KILL_BEFORE", 30, 10)
WORKER_WATCH_FROM = _setting("LOADTEST_HA_WORKER_WATCH_FROM", 20, 8)  # seconds before the close
VISIBILITY = 20  # bench/loadtest_ha_settings.py: a dead worker's tasks go to the other after this
RACERS = 0.08  # the share of officers pressing submit around the moment the server dies
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/grantbench_load_ha"
HAPROXY = os.environ.get("LOADTEST_HAPROXY", "/usr/sbin/haproxy")
BUCKET = "grantbench-loadtest"


def main() -> int:
    db_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    for url in (db_url, broker):
        if urlparse(url).hostname not in base.LOOPBACK:
            sys.exit(f"make loadtest-ha runs on loopback only; refusing {urlparse(url).hostname}")
    if not db_url.startswith(("postgres://", "postgresql://")):
        sys.exit("make loadtest-ha needs PostgreSQL (DATABASE_URL=postgres://...)")
    out_file = Path(os.environ.get("LOADTEST_OUT") or HERE / "loadtest_ha.json")
    work = Path(tempfile.mkdtemp(prefix="grantbench-load-ha-"))
    port, ports, s3_port = base._free_port(), [base._free_port(), base._free_port()], base._free_port()
    env = _env(db_url, broker, port, work)
    print(f"Creating {urlparse(db_url).path.lstrip('/')} and migrating...", flush=True)
    base._recreate_database(db_url)
    base._manage(env, "migrate", "--noinput", "-v", "0")
    base._manage(env, "collectstatic", "--noinput", "-v", "0")
    procs: dict[str, subprocess.Popen] = {}
    try:
        procs["moto"] = _start_moto(env, work, s3_port)
        os.environ.update(env)
        import django

        django.setup()
        from bench import loadtest_seed

        seed = loadtest_seed.seed(users=USERS, login_users=min(LOGIN_USERS, USERS), password=base.PASSWORD)
        for n, app_port in enumerate(ports, start=1):
            procs[f"app{n}"] = base._start(env, work / f"app{n}.log", base._gunicorn_cmd(app_port))
        procs["edge"] = base._start(env, work / "haproxy.log", _haproxy_cmd(work, port, ports))
        for n in (1, 2):
            procs[f"worker{n}"] = base._start(env, work / f"worker{n}.log", _worker_cmd(n))
        for n, app_port in enumerate(ports, start=1):
            base._wait_http(app_port, procs[f"app{n}"])
        base._wait_http(port, procs["edge"])
        closes_at = loadtest_seed.close_round(round_id=seed["round_id"], seconds=CLOSE_AFTER + 2)
        out_path = work / "locust-out.json"
        plan = _racing(base._plan(seed, closes_at, out_path), closes_at - NODE_KILL_BEFORE)
        (work / "plan.json").write_text(json.dumps(plan))
        print(f"Load: {USERS} officers for {RUN_TIME} s; the round closes {CLOSE_AFTER} s in", flush=True)
        locust = subprocess.Popen(
            [str(base.BIN / "locust"), "-f", str(HERE / "locustfile_ha.py"), "--headless"]
            + ["-u", str(USERS), "-r", "20", "--run-time", f"{RUN_TIME}s", "--stop-timeout", "5"]
            + ["--host", f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "WARNING"],
            cwd=base.ROOT,
            env={**env, "LOADTEST_PLAN": str(work / "plan.json")},
        )
        kills = _kill_during_run(procs, work, closes_at, db_url, broker)
        print(f"locust exited {locust.wait(timeout=RUN_TIME + 120)}", flush=True)
        kills["swept"] = _wait_for_receipts()
        result = _result(work, seed, closes_at, kills)
    finally:
        for proc in reversed(procs.values()):
            base._stop(proc)
        base._drop_queue(broker)
    out_file.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"Wrote {out_file} (logs in {work})")
    problems = checks.failures(result, base.failures)
    for problem in problems:
        print(f"FAILED: {problem}", flush=True)
    return 1 if problems else 0


def _env(db_url: str, broker: str, port: int, work: Path) -> dict:
    """bench/loadtest.py's environment, with the settings, outbox and cache of this run."""
    (work / "outbox").mkdir()
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": os.environ.get("REDIS_URL") or broker,
        "DJANGO_SETTINGS_MODULE": "bench.loadtest_ha_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "GRANTBENCH_BASE_URL": f"http://127.0.0.1:{port}",
        "GRANTBENCH_ARRIVAL_HEADER": "X-Request-Start",  # HAProxy in front always overwrites it
        "DJANGO_STATIC_ROOT": str(HERE / "out" / "static"),
        "LOADTEST_HA_OUTBOX": str(work / "outbox"),
        "LOADTEST_HA_VISIBILITY": str(VISIBILITY),
    }


def _start_moto(env: dict, work: Path, port: int) -> subprocess.Popen:
    """moto's S3 server with the bucket made; `env` gains what points django-storages at it."""
    import boto3

    proc = base._start(env, work / "moto.log", [str(base.BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)])
    s3 = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_S3_REGION_NAME": "eu-west-2",
        "AWS_ACCESS_KEY_ID": "loadtest",  # moto takes any key; only this local server sees it
        "AWS_SECRET_ACCESS_KEY": "loadtest",
    }
    env.update(s3)
    deadline = time.monotonic() + 30
    while True:
        try:
            boto3.client("s3", endpoint_url=s3["AWS_S3_ENDPOINT_URL"], region_name="eu-west-2",
                         aws_access_key_id="loadtest", aws_secret_access_key="loadtest").create_bucket(
                Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})  # fmt: skip
            return proc
        except Exception:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.3)


def haproxy_conf(work: Path, port: int, app_ports: list[int]) -> str:
    """HAProxy as README's production section has it: it stamps arrival (`date(0,ms)`, replacing
    any client's header), checks each server every second, and sends a request whose connection
    a dead server refused to the other (`redispatch`; nothing reached the app, so that is safe
    for a POST). A request the server died under is answered 502: the client decides whether to
    send it again. The check is a TCP connect: a killed server refuses it at once (out after
    two, ~2 s), while a busy one still accepts (its listen queue). An HTTP check of /healthz
    waits in that queue behind the surge, on sync workers: with 1 s, then 10 s of timeout, the
    first runs marked the surviving server down too, and HAProxy answered 503 to everyone."""
    servers = "\n".join(
        f"    server app{n} 127.0.0.1:{p} check inter 1s fall 2 rise 2" for n, p in enumerate(app_ports, start=1)
    )
    return f"""global
    maxconn 4096
    log stdout format raw local0 info
    stats socket {work}/haproxy.sock mode 600 level user
defaults
    mode http
    log global
    log-format "{checks.LOG_FORMAT}"
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    retries 3
    option redispatch 1
frontend edge
    bind 127.0.0.1:{port}
    http-request set-header X-Request-Start t=%[date(0,ms)]
    default_backend app
backend app
    balance roundrobin
{servers}
"""


def _haproxy_cmd(work: Path, port: int, app_ports: list[int]) -> list[str]:
    conf = work / "haproxy.cfg"
    conf.write_text(haproxy_conf(work, port, app_ports))
    return [HAPROXY, "-db", "-f", str(conf)]


def _worker_cmd(n: int) -> list[str]:
    """bench/loadtest.py's worker, named apart (two on one host), logging every task."""
    cmd = base._worker_cmd()
    cmd[cmd.index("-n") + 1] = f"loadtest-ha{n}-{os.getpid()}@%h"
    cmd[cmd.index("-l") + 1] = "info"  # each task received and finished, with its time, in the run's logs
    return cmd


def _racing(plan: dict, kill_at: float) -> dict:
    """A few officers (not the late ones) press submit in the second around the kill, so some
    submissions are in flight on the server that dies, and must be retried, not lost or doubled."""
    rng = random.Random(19)
    on_time = [u for u in plan["users"] if not u["late"]]
    for user in rng.sample(on_time, max(2, round(len(on_time) * RACERS))):
        user["submit_at"] = kill_at + rng.uniform(-0.4, 0.6)
    return plan


def _sleep_until(t: float) -> None:
    time.sleep(max(t - time.time(), 0))


def _kill_during_run(procs: dict, work: Path, closes_at: float, db_url: str, broker: str) -> dict:
    """SIGKILL the first app server while it has requests in hand, then the first worker mid-send."""
    node_at = closes_at - NODE_KILL_BEFORE
    _sleep_until(node_at)
    busy = 0
    while time.time() < node_at + 3 and not (busy := _in_hand(work / "haproxy.sock", "app1")):
        time.sleep(0.01)
    os.killpg(procs["app1"].pid, signal.SIGKILL)
    node_killed = time.time()
    print(f"Killed app server 1 ({busy} requests in hand) {closes_at - node_killed:.1f} s before the close", flush=True)
    held, unacked, worker_killed = _kill_worker_mid_send(procs["worker1"], closes_at, db_url, broker)
    print(f"Killed worker 1 {closes_at - worker_killed:.1f} s before the close, mid-send of {held}", flush=True)
    return {"node": node_killed, "node_busy": busy, "worker": worker_killed, "held": held, "unacked": unacked}


def _in_hand(sock_path: Path, server: str) -> int:
    """Requests the server has now (HAProxy's `scur`), from the stats socket."""
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(sock_path))
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
    except OSError:
        return 0
    for line in data.decode().splitlines():
        fields = line.split(",")
        if len(fields) > 4 and fields[0] == "app" and fields[1] == server:
            return int(fields[4] or 0)
    return 0


SENDING = """SELECT a.client_port FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
WHERE l.relation = 'notifications_notification'::regclass AND l.mode = 'RowExclusiveLock'
AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
AND a.state = 'idle in transaction'"""


def _kill_worker_mid_send(proc: subprocess.Popen, closes_at: float, db_url: str, broker: str):
    """Wait (from WORKER_WATCH_FROM s before the close, up to 15 s after it) until one of the
    worker's processes is mid-send: its PostgreSQL connection idle in a transaction that has
    claimed an outbox row (notifications.services.deliver holds the claim uncommitted while the
    mail server answers). Then note which rows are claimed (queued as committed, but locked), and
    SIGKILL the worker's whole process group. Returns those rows, the broker's unacknowledged
    tasks then, and the moment."""
    import psutil
    import psycopg
    import redis

    _sleep_until(closes_at - WORKER_WATCH_FROM)
    held: list[int] = []
    with psycopg.connect(db_url, autocommit=True) as conn:
        while time.time() < closes_at + 15:
            family = psutil.Process(proc.pid)
            ports = {c.laddr.port for p in [family, *family.children(recursive=True)] for c in p.net_connections("tcp")}
            if ports & {port for (port,) in conn.execute(SENDING)}:
                with conn.transaction():
                    queued = "SELECT id FROM notifications_notification WHERE status = 'queued'"
                    free = {i for (i,) in conn.execute(queued + " FOR UPDATE SKIP LOCKED")}
                    held = sorted({i for (i,) in conn.execute(queued)} - free)
                break
            time.sleep(0.01)
    unacked = redis.Redis.from_url(broker).hlen("unacked")
    os.killpg(proc.pid, signal.SIGKILL)
    return held, unacked, time.time()


def _wait_for_receipts() -> int:
    """Until no receipt is left queued. The killed worker's tasks come back from the broker after
    the visibility timeout; if any receipt is still queued after that and a margin, the hourly
    sweep beat runs in production (notifications.services.requeue_stale) is run now, with a
    grace of the visibility timeout instead of 15 minutes, and the count it requeued reported:
    the promise is kept by the sweep then, not by the broker."""
    from datetime import timedelta

    from notifications.models import Notification
    from notifications.services import requeue_stale

    queued = Notification.objects.filter(channel="email", event="bid_submitted", status="queued")
    swept = 0
    for wait, sweep in ((VISIBILITY + 40, False), (45, True)):
        if sweep and queued.exists():
            swept = requeue_stale(grace=timedelta(seconds=VISIBILITY))
            print(f"{swept} receipts still queued: requeued by the sweep", flush=True)
        deadline = time.monotonic() + wait
        time.sleep(2)  # a submission's email is queued on commit: let the last ones land
        while time.monotonic() < deadline and queued.exists():
            time.sleep(1)
    return swept


def _by_type(rows: list[dict]) -> dict:
    """p95 at the edge per request type (method and path, ids as [id]); the kill's 502s left out."""
    times: dict[str, list[float]] = {}
    for r in rows:
        if r["status"] < 500:
            path = re.sub(r"/\d+/", "/[id]/", r["path"])
            times.setdefault(f"{r['method']} {path}", []).append(float(r["ms"]))
    return {name: base._percentile(ms, 95) for name, ms in sorted(times.items()) if len(ms) > 1}


def _result(work: Path, seed: dict, closes_at: float, kills: dict) -> dict:
    from notifications.models import Notification

    out = json.loads((work / "locust-out.json").read_text())
    retried = json.loads((work / "locust-out.json.retries.json").read_text())
    rows = checks.edge_log(work / "haproxy.log")
    mail = checks.receipts(round_id=seed["round_id"], outbox=work / "outbox")
    result = base._result(out, seed, closes_at, mail, checks.edge_submits(rows))
    in_flight = checks.in_flight_on(rows, "app1", kills["node"])
    held = Notification.objects.filter(pk__in=kills["held"]).values_list("recipient__email", "subject", "status")
    outbox = checks.outbox_counts(work / "outbox")
    acknowledged = [o for o in out["outcomes"] if o["acknowledged"]]
    dup = checks.duplicates(round_id=seed["round_id"], acknowledged=acknowledged)
    retry_kinds = Counter(r["name"] for r in retried if not r.get("gave_up"))
    accepted = Counter(
        r["path"] for r in rows if r["method"] == "POST" and r["path"].endswith("/check/") and r["status"] == 302
    )
    result.update(
        users=USERS,
        users_by_role={"council_officer": USERS},
        p95_ms_by_type=_by_type(rows),
        node_killed_at_s=round(closes_at - kills["node"], 2),
        node_requests_in_hand=kills["node_busy"],
        worker_killed_at_s=round(closes_at - kills["worker"], 2),
        worker_killed_mid_send=bool(kills["held"]),
        worker_held_at_kill={
            "notifications": kills["held"],
            "unacked_tasks": kills["unacked"],
            "each_sent_once": all(s == "sent" and outbox[(to, subj)] == 1 for to, subj, s in held),
        },
        receipts_requeued_by_sweep=kills["swept"],
        retries=sum(retry_kinds.values()),
        retries_by_type=dict(retry_kinds),
        submit_retries=retry_kinds.get("/bids/[id]/check/ [POST]", 0),
        gave_up_after_retries=sum(1 for r in retried if r.get("gave_up")),
        duplicates=dup["count"],
        duplicates_detail=dup,
        errors_5xx_in_flight=len(in_flight),
        submits_in_flight_on_killed_server=sum(1 for r in in_flight if r["path"].endswith("/check/")),
        # Bids whose submit was accepted (302) more than once at the edge: a retry of a submission
        # that had gone through (its answer lost with the server), answered as a repeat.
        submits_answered_as_repeats=sum(n - 1 for n in accepted.values() if n > 1),
        errors_5xx_at_edge_not_in_flight=sum(1 for r in rows if r["status"] >= 500) - len(in_flight),
        run_seconds=RUN_TIME,
        round_closed_after_s=CLOSE_AFTER,
        server=(
            "HAProxy (arrival stamp, health checks) in front of 2 x gunicorn "
            f"({base.WORKERS} {base.WORKER_CLASS} workers each), PostgreSQL, Redis, 2 Celery workers "
            "(2 processes each), S3 API (moto server), loopback; one server and one worker SIGKILLed"
        ),
    )
    return result


if __name__ == "__main__":
    sys.exit(main())
