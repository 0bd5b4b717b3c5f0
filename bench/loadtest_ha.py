"""`make loadtest-ha`: the deadline surge on two app servers, losing one of them and a worker.

The production shape of README's "Beyond one machine": HAProxy (Debian's, the trusted edge: it
stamps each request's arrival in X-Request-Start, overwriting the client's, and checks the
servers) in front of two gunicorn servers on loopback ports, sharing PostgreSQL, Redis, the S3
API (moto's server) and two Celery workers. The same surge as `make loadtest` (317 council
officers, 30 panel members and 5 programme managers at once: bench/loadtest.py's seed, plan and
result, bench/loadtest_procs.py's processes, bench/loadtest_checks.py's checks), driven by
bench/locustfile_ha.py, whose users send a request again after a connection error or a
502/503/504, as people and browsers do, counting each retry.

NODE_KILL_BEFORE seconds before the close, at a moment the first server has requests in hand
(HAProxy's stats), its gunicorn (master and workers) gets SIGKILL. Later, at a moment one of the
first worker's processes is mid-send (it holds an outbox row's claim, open in PostgreSQL, while
the slow mail server answers: bench/loadtest_ha_mail.py), that worker gets SIGKILL too; the
other must finish its sends once the broker hands them on (bench/loadtest_ha_settings.py).

Writes bench/loadtest_ha.json (LOADTEST_OUT elsewhere) with bench/loadtest.json's keys and
node_killed_at_s / worker_killed_at_s (seconds before the close), retries, duplicates and
errors_5xx_in_flight; exits 1 on any broken promise (bench/loadtest_ha_checks.py `failures`).
LOADTEST_HA_SMOKE=1 is the CI size: `make loadtest-smoke`'s people and deadline (bench/loadtest.py),
the server killed 10 s before the close, written to a temporary file unless LOADTEST_OUT says where.
"""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import loadtest as base
from bench import loadtest_checks
from bench import loadtest_ha_checks as checks
from bench import loadtest_procs as procs

HERE = Path(__file__).resolve().parent
SMOKE = os.environ.get("LOADTEST_HA_SMOKE", "") not in ("", "0")
NODE_KILL_BEFORE = int(os.environ.get("LOADTEST_HA_NODE_KILL_BEFORE") or (10 if SMOKE else 30))
WORKER_WATCH_FROM = int(os.environ.get("LOADTEST_HA_WORKER_WATCH_FROM") or (8 if SMOKE else 20))  # s before close
VISIBILITY = 20  # bench/loadtest_ha_settings.py: a dead worker's tasks go to the other after this
RACERS = 0.08  # the share of officers pressing submit around the moment the server dies
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/grantbench_load_ha"
HAPROXY = os.environ.get("LOADTEST_HAPROXY", "/usr/sbin/haproxy")
# gunicorn processes per app server. Both servers share this machine's cores, so make loadtest's
# four a core is split between them: 8 each (16 on two cores) let 10 of 285 officers submit in
# time, 4 each let all 285.
WORKERS = int(os.environ.get("LOADTEST_HA_WORKERS") or max(1, base.WORKERS // 2))


def main() -> int:
    db_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    procs.require_loopback(db_url, broker)
    if not db_url.startswith(("postgres://", "postgresql://")):
        sys.exit("make loadtest-ha needs PostgreSQL (DATABASE_URL=postgres://...)")
    # A smoke run goes to a temporary file (as make loadtest's does), never over the committed figures.
    out_file = Path(os.environ.get("LOADTEST_OUT") or (base.out_path() if SMOKE else HERE / "loadtest_ha.json"))
    work = Path(tempfile.mkdtemp(prefix="grantbench-load-ha-"))
    port, ports, s3_port = procs.free_port(), [procs.free_port(), procs.free_port()], procs.free_port()
    env = _env(db_url, broker, port, work)
    started = time.monotonic()
    running: dict[str, subprocess.Popen] = {}
    try:
        running["moto"], s3_env = procs.start_moto(work / "moto.log", s3_port, base.BUCKET)
        env.update(s3_env)
        base.prepare(env, db_url)
        seed = base.seed_all()
        kwargs = {"workers": WORKERS, "worker_class": base.WORKER_CLASS, "threads": base.THREADS}
        for n, app_port in enumerate(ports, start=1):
            running[f"app{n}"] = procs.start_gunicorn(env, work / f"app{n}.log", app_port, **kwargs)
        running["edge"] = procs.start(env, work / "haproxy.log", _haproxy_cmd(work, port, ports))
        for n in (1, 2):
            running[f"worker{n}"] = procs.start(env, work / f"worker{n}.log", _worker_cmd(n))
        for n, app_port in enumerate(ports, start=1):
            procs.wait_http(app_port, running[f"app{n}"])
        procs.wait_http(port, running["edge"])
        plan = base.write_plan(work, seed)
        _racing(plan, plan["closes_at"] - NODE_KILL_BEFORE)
        (work / "plan.json").write_text(json.dumps(plan))
        users = base.USERS + base.PANEL + base.MANAGERS
        print(f"Load: {users} people for {base.RUN_TIME} s; the round closes {base.CLOSE_AFTER} s in", flush=True)
        locust = subprocess.Popen(
            [str(procs.BIN / "locust"), "-f", str(HERE / "locustfile_ha.py"), "--headless"]
            + ["-u", str(users), "-r", str(base.SPAWN_RATE), "--run-time", f"{base.RUN_TIME}s"]
            + ["--stop-timeout", "5", "--host", f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "WARNING"],
            cwd=procs.ROOT,
            env={**env, "LOADTEST_PLAN": str(work / "plan.json")},
        )
        kills = _kill_during_run(running, work, plan["closes_at"], db_url, broker)
        print(f"locust exited {locust.wait(timeout=base.RUN_TIME + 120)}", flush=True)
        kills["swept"] = _wait_for_receipts(seed["officers"]["round_id"])
        result = _result(work, seed, plan, s3_env, kills)
    finally:
        for proc in reversed(running.values()):
            procs.stop(proc)
        procs.drop_queue(broker)
    result["wall_seconds"] = round(time.monotonic() - started)
    out_file.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"Wrote {out_file} (logs in {work})")
    problems = checks.failures(result)
    for problem in problems:
        print(f"FAILED: {problem}", flush=True)
    return 1 if problems else 0


def _env(db_url: str, broker: str, port: int, work: Path) -> dict:
    """bench/loadtest.py's environment, with this run's settings (the slow outbox, the broker's
    visibility timeout) and the cache both servers share."""
    return {
        **base.base_env(db_url, broker, port, work / "outbox"),
        "REDIS_URL": os.environ.get("REDIS_URL") or broker,
        "DJANGO_SETTINGS_MODULE": "bench.loadtest_ha_settings",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),  # the production setting (config/settings.py)
    }


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
    """bench/loadtest_procs.py's worker, named apart (two on one host), logging every task."""
    cmd = procs.worker_cmd(f"loadtest-ha{n}-{os.getpid()}")
    cmd[cmd.index("-l") + 1] = "info"  # each task received and finished, with its time, in the run's logs
    return cmd


def _racing(plan: dict, kill_at: float) -> dict:
    """A few officers (not the late ones) press submit in the second around the kill, so some
    submissions are in flight on the server that dies, and must be retried, not lost or doubled."""
    rng = random.Random(19)
    on_time = [u for u in plan["officers"] if not u["late"]]
    for user in rng.sample(on_time, max(2, round(len(on_time) * RACERS))):
        user["submit_at"] = kill_at + rng.uniform(-0.4, 0.6)
    return plan


def _sleep_until(t: float) -> None:
    time.sleep(max(t - time.time(), 0))


def _kill_during_run(running: dict, work: Path, closes_at: float, db_url: str, broker: str) -> dict:
    """SIGKILL the first app server while it has requests in hand, then the first worker mid-send."""
    node_at = closes_at - NODE_KILL_BEFORE
    _sleep_until(node_at)
    busy = 0
    while time.time() < node_at + 3 and not (busy := _in_hand(work / "haproxy.sock", "app1")):
        time.sleep(0.01)
    os.killpg(running["app1"].pid, signal.SIGKILL)
    node_killed = time.time()
    print(f"Killed app server 1 ({busy} requests in hand) {closes_at - node_killed:.1f} s before the close", flush=True)
    held, unacked, worker_killed = _kill_worker_mid_send(running["worker1"], closes_at, db_url, broker)
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


def _wait_for_receipts(round_id: int) -> int:
    """Until no receipt is left queued. The killed worker's tasks come back from the broker after
    the visibility timeout; if any receipt is still queued after that and a margin, the hourly
    sweep beat runs in production (notifications.services.requeue_stale) is run now, with a
    grace of the visibility timeout instead of 15 minutes, and the count it requeued reported:
    the promise is kept by the sweep then, not by the broker."""
    from datetime import timedelta

    from notifications.models import Notification
    from notifications.services import requeue_stale

    queued = Notification.objects.filter(channel="email", event="bid_submitted", status="queued")
    time.sleep(2)  # a submission's email is queued on commit: let the last ones land
    loadtest_checks.wait_for_receipts(round_id=round_id, timeout=VISIBILITY + 40)
    if not queued.exists():
        return 0
    swept = requeue_stale(grace=timedelta(seconds=VISIBILITY))
    print(f"{swept} receipts still queued: requeued by the sweep", flush=True)
    loadtest_checks.wait_for_receipts(round_id=round_id, timeout=45)
    return swept


def _result(work: Path, seed: dict, plan: dict, s3_env: dict, kills: dict) -> dict:
    """bench/loadtest.py's result (clients, database, S3 API, outbox), from HAProxy's log for the
    edge, then what the kills, the retries and the idempotent submit did."""
    from bench.loadtest_seed import evidence_pdf
    from notifications.models import Notification

    closes_at, round_id = plan["closes_at"], seed["officers"]["round_id"]
    out = json.loads(Path(plan["out"]).read_text())
    retried = json.loads(Path(plan["out"] + ".retries.json").read_text())
    rows = checks.edge_log(work / "haproxy.log")
    stored = loadtest_checks.stored_submissions(round_id=round_id)
    s3 = procs.s3_client(s3_env)
    files = loadtest_checks.stored_files(bid_ids=stored["bid_ids"], s3=s3, bucket=base.BUCKET, expected=evidence_pdf)
    mail = loadtest_checks.receipts(round_id=round_id, bid_ids=stored["bid_ids"], outbox=work / "outbox")
    result = base.result(out, plan, stored, files, mail, checks.edge_submits(rows), seed)
    in_flight = checks.in_flight_on(rows, "app1", kills["node"])
    held = Notification.objects.filter(pk__in=kills["held"]).values_list("recipient__email", "status")
    mailed = loadtest_checks.outbox_recipients(work / "outbox")
    acknowledged = [o for o in out["outcomes"] if o["acknowledged"]]
    dup = checks.duplicates(round_id=round_id, acknowledged=acknowledged)
    retry_kinds = Counter(r["name"] for r in retried if not r.get("gave_up"))
    accepted = Counter(
        r["path"] for r in rows if r["method"] == "POST" and r["path"].endswith("/check/") and r["status"] == 302
    )
    result.update(
        node_killed_at_s=round(closes_at - kills["node"], 2),
        node_requests_in_hand=kills["node_busy"],
        worker_killed_at_s=round(closes_at - kills["worker"], 2),
        worker_killed_mid_send=bool(kills["held"]),
        worker_held_at_kill={
            "notifications": kills["held"],
            "unacked_tasks": kills["unacked"],
            "each_sent_once": all(s == "sent" and mailed[to] == 1 for to, s in held),
        },
        receipts_requeued_by_sweep=kills["swept"],
        retries=sum(retry_kinds.values()),
        retries_by_type=dict(sorted(retry_kinds.items())),
        submit_retries=retry_kinds.get("submit", 0),
        gave_up_after_retries=sum(1 for r in retried if r.get("gave_up")),
        duplicates=dup["count"],
        duplicates_detail=dup,
        errors_5xx_in_flight=len(in_flight),
        submits_in_flight_on_killed_server=sum(1 for r in in_flight if r["path"].endswith("/check/")),
        # Bids whose submit was accepted (302) more than once at the edge: a retry of a submission
        # that had gone through (its answer lost with the server), answered as a repeat.
        submits_answered_as_repeats=sum(n - 1 for n in accepted.values() if n > 1),
        errors_5xx_at_edge_not_in_flight=sum(1 for r in rows if r["status"] >= 500) - len(in_flight),
        server=(
            f"HAProxy (arrival stamp, TCP checks) in front of 2 x gunicorn ({WORKERS} {base.WORKER_CLASS} "
            "workers each), PostgreSQL, Redis, 2 Celery workers (2 processes each), S3 API (moto server), "
            "loopback; one server and one worker SIGKILLed"
        ),
    )
    return result


if __name__ == "__main__":
    sys.exit(main())
