"""Request ids, JSON logs and Sentry: every response names its request, every log line it causes
carries the same id, a client cannot choose the id unless a trusted proxy is configured, and
Sentry starts only with SENTRY_DSN and then sends no personal data."""

import gzip
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from config.celery import REQUEST_ID_HEADER, _adopt_request_id, _carry_request_id
from grants.core.logs import current_request_id
from tests.grants.test_settings import PRODUCTION, run

GENERATED = re.compile(r"[0-9a-f]{32}")


def test_every_response_carries_a_fresh_request_id(client):
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/no-such-page")["X-Request-ID"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second) and first != second


def test_a_clients_id_is_ignored_unless_a_trusted_proxy_header_is_configured(client, settings):
    settings.GRANTBENCH_REQUEST_ID_HEADER = ""
    r = client.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-the-client")
    assert r["X-Request-ID"] != "chosen-by-the-client" and GENERATED.fullmatch(r["X-Request-ID"])


def test_the_proxys_id_is_kept_when_configured_and_well_formed(client, settings):
    settings.GRANTBENCH_REQUEST_ID_HEADER = "X-Request-ID"
    assert (
        client.get("/healthz", HTTP_X_REQUEST_ID="Root=1-67891233-abcdef")["X-Request-ID"] == "Root=1-67891233-abcdef"
    )
    for planted in ('"}, "level": "CRITICAL', "a" * 200, "line\nbreak", ""):
        assert GENERATED.fullmatch(client.get("/healthz", HTTP_X_REQUEST_ID=planted)["X-Request-ID"])


def test_production_logs_are_json_lines_with_the_request_id(tmp_path):
    """The real LOGGING of config/settings.py with DJANGO_DEBUG=0: a refused request (405) logs
    one JSON object whose request_id is the one the response returned."""
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().post('/metrics', secure=True); print(r.status_code, r['X-Request-ID'])"
    )
    env = {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "testserver", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    result = run(["-c", code], **env)
    status, request_id = result.stdout.split()
    assert status == "405" and GENERATED.fullmatch(request_id), result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [line for line in lines if line["request_id"] == request_id and line["logger"] == "django.request"], (
        result.stderr
    )
    assert {"time", "level", "logger", "message", "request_id"} <= set(lines[0])


def test_a_task_carries_the_request_id_to_the_worker():
    """The Celery signals in config/celery.py: published with the request's id, adopted by the
    worker's task; an eager task (inside the request) leaves the request's id alone."""

    class Request:
        def __init__(self, eager: bool, **headers):
            self.is_eager = eager
            self.__dict__.update(headers)

    class Task:
        def __init__(self, request):
            self.request = request

    headers: dict = {}
    token = current_request_id.set("abc123")
    try:
        _carry_request_id(headers=headers)
        _adopt_request_id(task=Task(Request(eager=True)))
        assert current_request_id.get() == "abc123"
    finally:
        current_request_id.reset(token)
    assert headers == {REQUEST_ID_HEADER: "abc123"}
    token = current_request_id.set("left-over-from-the-last-task")
    try:
        _adopt_request_id(task=Task(Request(eager=False, **headers)))
        assert current_request_id.get() == "abc123"
        _adopt_request_id(task=Task(Request(eager=False)))
        assert current_request_id.get() is None
    finally:
        current_request_id.reset(token)


# Sentry

SENTRY_PROBE = (
    "import django, json, sentry_sdk; django.setup(); c = sentry_sdk.get_client(); "
    "print(json.dumps([c.is_active(), c.options.get('send_default_pii')])); "
    "c.is_active() and (sentry_sdk.capture_message('grantbench probe'), sentry_sdk.flush(5))"
)


def test_sentry_stays_off_without_a_dsn():
    result = run(["-c", SENTRY_PROBE])
    assert json.loads(result.stdout) == [False, None], result.stderr


@pytest.fixture
def sentry_server():
    """A stand-in Sentry on loopback that records what it is sent."""
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "br":  # sentry-sdk compresses with brotli when it is installed
                import brotli

                body = brotli.decompress(body)
            elif encoding == "gzip":
                body = gzip.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], received
    server.shutdown()


def test_sentry_starts_with_a_dsn_with_personal_data_off(sentry_server):
    port, received = sentry_server
    result = run(["-c", SENTRY_PROBE], SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/1")
    assert json.loads(result.stdout.splitlines()[0]) == [True, False], result.stderr
    assert [body for body in received if b"grantbench probe" in body], "the event never reached the DSN's server"
