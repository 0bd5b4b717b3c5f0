"""The processes a load test starts, as importable building blocks (`make loadtest` and
`make loadtest-ha` share them): a fresh database, gunicorn on a port, nginx as the trusted edge,
a Celery worker, the S3 API (moto's server), and stopping each of them.

Each `start_*` returns the `subprocess.Popen` of a process started in a session (process group)
of its own, logging to a file, so `stop()` ends exactly what it started and nothing else.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NGINX = os.environ.get("LOADTEST_NGINX", "/usr/sbin/nginx")  # Debian's, installed by `make loadtest`
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
QUEUE = "grantbench-loadtest"  # bench/loadtest_settings.py
S3_REGION = "eu-west-2"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_loopback(*urls: str) -> None:
    """The load tests drop and create databases and flood a broker: never on another host."""
    for url in urls:
        if urlparse(url).hostname not in LOOPBACK:
            sys.exit(f"the load test runs on loopback only; refusing {urlparse(url).hostname}")


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    u = urlparse(url)
    name = u.path.lstrip("/")
    admin = u._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start(env: dict, log: Path, cmd: list[str]) -> subprocess.Popen:
    """Any command, in a process group of its own, its output in `log`."""
    with open(log, "wb") as f:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=f, stderr=subprocess.STDOUT, start_new_session=True)


def gunicorn_cmd(port: int, *, workers: int = 4, worker_class: str = "sync", threads: int = 1) -> list[str]:
    return [str(BIN / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{port}"] + [
        "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
        "--timeout", "60", "--graceful-timeout", "10",
    ]  # fmt: skip


def start_gunicorn(env: dict, log: Path, port: int, **kwargs) -> subprocess.Popen:
    """gunicorn serving the project on 127.0.0.1:`port` (kwargs: workers, worker_class, threads)."""
    return start(env, log, gunicorn_cmd(port, **kwargs))


def worker_cmd(name: str, *, concurrency: int = 2) -> list[str]:
    return [str(BIN / "celery"), "-A", "config", "worker", "-Q", QUEUE, "-c", str(concurrency), "-l", "warning"] + [
        "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
    ]  # fmt: skip


def start_worker(env: dict, log: Path, name: str, *, concurrency: int = 2) -> subprocess.Popen:
    """A Celery worker on the load test's own queue; `name` must differ between workers."""
    return start(env, log, worker_cmd(name, concurrency=concurrency))


def start_moto(log: Path, port: int, bucket: str) -> tuple[subprocess.Popen, dict]:
    """moto's S3 server on 127.0.0.1:`port` with `bucket` created; returns the process and the
    environment that points django-storages (config/settings.py) and boto3 at it. moto takes any
    key: the pair below is a placeholder that only this local server ever sees."""
    proc = start(os.environ.copy(), log, [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)])
    s3_env = {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_S3_REGION_NAME": S3_REGION,
        "AWS_ACCESS_KEY_ID": "loadtest",
        "AWS_SECRET_ACCESS_KEY": "loadtest",
    }
    wait_http(port, proc, path="/moto-api/", what="moto_server")
    s3_client(s3_env).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
    return proc, s3_env


def s3_client(s3_env: dict):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=s3_env["AWS_S3_ENDPOINT_URL"],
        region_name=s3_env["AWS_S3_REGION_NAME"],
        aws_access_key_id=s3_env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=s3_env["AWS_SECRET_ACCESS_KEY"],
    )


def start_edge(env: dict, work: Path, port: int, app_ports: list[int]) -> subprocess.Popen:
    """nginx on 127.0.0.1:`port`, the trusted edge in front of the app servers on `app_ports`."""
    conf = work / "nginx.conf"
    conf.write_text(edge_conf(work, port, app_ports))
    return start(
        env, work / "nginx.log", [NGINX, "-p", str(work), "-c", str(conf), "-e", str(work / "nginx-error.log")]
    )


def edge_conf(work: Path, port: int, app_ports: list[int]) -> str:
    """nginx as the trusted edge, as README's production section has it: `X-Request-Start` is set
    to the moment nginx read the request (`${msec}`), always overwriting what a client sent.
    Each request is logged with its arrival (`$msec - $request_time`) and status, so the run can
    count what the service saw. X-Real-IP passes the locustfile's per-officer label through
    (a simulation of 317 town halls on loopback; a real edge sets it to `$remote_addr`)."""
    work.chmod(0o711)  # mkdtemp's 0700 would keep nginx's workers (nobody) from its body buffers
    for sub in ("body", "proxy"):
        (work / sub).mkdir(exist_ok=True)
        (work / sub).chmod(0o777)  # nginx's workers may run as nobody
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in app_ports)
    return f"""daemon off;
worker_processes 1;
pid {work}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    log_format submits '$msec $request_time $request_method $uri $status';
    access_log {work}/access.log submits;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    client_max_body_size 25m;
    client_body_buffer_size 1m;
    upstream app {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $http_host;
            proxy_set_header X-Request-Start "t=${{msec}}";
            proxy_set_header X-Real-IP $http_x_real_ip;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def wait_http(port: int, proc: subprocess.Popen, *, path: str = "/healthz", what: str = "gunicorn", timeout=60) -> None:
    """Until 127.0.0.1:`port` answers `path` with 200 (nginx answers 502 until gunicorn is up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited before it answered")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
            time.sleep(0.3)
        except OSError:
            time.sleep(0.3)
        finally:
            conn.close()
    raise RuntimeError(f"{what} on port {port} did not answer {path} within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group this run started, then SIGKILL after 20 s."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def drop_queue(broker: str) -> None:
    try:
        import redis

        redis.Redis.from_url(broker).delete(QUEUE)
    except Exception as exc:  # the figures matter more than a stale key
        print(f"Could not drop the Redis queue: {exc}", flush=True)
