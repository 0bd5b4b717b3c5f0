"""`make loadtest-ha`'s verdict and its evidence: HAProxy's log, the outbox, the failures.

The run itself needs HAProxy, gunicorn, Celery and locust, so it is `make loadtest-ha` (and its
CI smoke), not a test; these check that what it counts is counted right and fails when it must.
"""

from datetime import UTC, datetime

from bench import loadtest_ha_checks as checks
from bench.loadtest_checks import outbox_recipients
from grants.core.arrival import parse_stamp

from .test_loadtest_checks import GOOD

KILLED_AT = 1_800_000_030.0
LOG = """\
[WARNING]  (1) : Server app/app1 is DOWN, reason: Layer4 connection problem
1800000000.100 0 0 0 GET /healthz 503 <NOSRV> SC--
1800000029.500 0 0 600 POST /bids/7/check/ 502 app1 SH--
1800000029.900 0 0 100 GET /bids/ 502 app1 SD--
1800000020.950 0 9000 80 POST /bids/8/check/ 302 app2 ----
1800000031.000 0 0 1 GET /bids/ 503 <NOSRV> SC--
1800000032.000 -1 -1 1 GET /bids/ 502 app1 SH--
"""


def test_haproxy_stamps_arrival_in_a_form_the_service_reads(tmp_path):
    from bench.loadtest_ha import haproxy_conf

    conf = haproxy_conf(tmp_path, 8080, [8081, 8082])
    assert "http-request set-header X-Request-Start t=%[date(0,ms)]" in conf  # set-header replaces a client's
    assert "server app1 127.0.0.1:8081 check" in conf and "server app2 127.0.0.1:8082 check" in conf
    assert parse_stamp("t=1800000000123") == datetime.fromtimestamp(1800000000.123, tz=UTC)


def test_only_requests_the_dead_server_had_count_as_in_flight(tmp_path):
    log = tmp_path / "haproxy.log"
    log.write_text(LOG)
    rows = checks.edge_log(log)
    assert [r["path"] for r in rows] == ["/bids/7/check/", "/bids/", "/bids/8/check/", "/bids/", "/bids/"]
    in_flight = checks.in_flight_on(rows, "app1", KILLED_AT)
    assert [(r["path"], r["status"]) for r in in_flight] == [("/bids/7/check/", 502), ("/bids/", 502)]
    # a request on a kept-alive connection arrives after the connection's idle time, not at its accept
    assert checks.edge_submits(rows) == [(1800000029.5, 502), (1800000029.95, 302)]


def test_the_outbox_counts_an_email_sent_twice(tmp_path, settings, monkeypatch):
    from django.core.mail import EmailMessage

    from bench.loadtest_ha_mail import SlowOutbox

    monkeypatch.setenv("LOADTEST_HA_SMTP_MS", "0")
    settings.EMAIL_FILE_PATH = str(tmp_path)
    for subject in ("We have received bid DDF1-000001", "We have received bid DDF1-000002") * 2:
        SlowOutbox().send_messages([EmailMessage(subject, "Body", to=["officer@example.com"])])
    SlowOutbox().send_messages([EmailMessage("We have received bid DDF1-000003", "Body", to=["other@example.com"])])
    counts = outbox_recipients(tmp_path)  # what make loadtest counts, from the slow outbox's files
    assert sum(counts.values()) == 5
    assert counts["officer@example.com"] == 4
    assert counts["other@example.com"] == 1


HA_GOOD = {
    **GOOD,
    "errors_5xx": 2,
    "errors_5xx_in_flight": 2,
    "errors_5xx_at_edge_not_in_flight": 0,
    "node_killed_at_s": 30.0,
    "worker_killed_at_s": 12.5,
    "worker_killed_mid_send": True,
    "duplicates": 0,
    "gave_up_after_retries": 0,
}


def test_a_clean_two_server_run_passes_with_its_in_flight_errors():
    assert checks.failures(HA_GOOD) == []


def test_each_broken_promise_fails_the_two_server_run():
    mail = HA_GOOD["receipt_emails"]
    cases = {
        "errors_5xx": 3,  # one more 5xx than the dead server had in hand
        "errors_5xx_at_edge_not_in_flight": 1,
        "node_killed_at_s": None,
        "worker_killed_at_s": None,
        "worker_killed_mid_send": False,
        "duplicates": 1,
        "gave_up_after_retries": 1,
        "receipt_emails": {**mail, "outbox": mail["outbox"] + 1},  # a receipt sent twice
    }
    for key, bad in cases.items():
        assert checks.failures({**HA_GOOD, key: bad}), key
    assert checks.failures({**HA_GOOD, "receipt_emails": {**mail, "bids_not_exactly_one": [12]}})
    assert checks.failures({**HA_GOOD, "receipt_emails": {**mail, "queued": 1}})


def test_the_two_server_surge_has_make_loadtests_people_each_retrying(tmp_path):
    """locust runs the User classes a locustfile names: the HA one must name the three roles of
    bench/locustfile.py (317 officers, 30 panel members, 5 managers in the full run), each with the
    retries. In a child process: importing locust patches the interpreter with gevent."""
    import json
    import os
    import subprocess
    import sys

    plan = {"officers": [{}] * 3, "panel": [{}] * 2, "managers": [{}], "out": str(tmp_path / "out.json")}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    code = (
        "from locust.util.load_locustfile import load_locustfile\n"
        "users, _ = load_locustfile('bench/locustfile_ha.py')\n"
        "print(sorted((c.__mro__[2].__name__, c.fixed_count, c.__mro__[1].__name__ == 'Retrying') for c in users.values()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "LOADTEST_PLAN": str(tmp_path / "plan.json")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip().splitlines()[-1] == (
        "[('CouncilOfficer', 3, True), ('PanelMember', 2, True), ('ProgrammeManager', 1, True)]"
    )
