"""The load test's verdict (bench/loadtest.py failures()): a run that proves nothing, or that
broke a rule, fails. The run itself needs gunicorn and locust, so it is `make loadtest`, not a test."""

from bench.loadtest import failures

GOOD = {
    "submissions_acknowledged": 180,
    "acknowledged_missing": [],
    "accepted_after_deadline": 0,
    "acknowledged_sent_after_close": 0,
    "errors_5xx": 0,
    "not_acknowledged_nor_refused": 0,
    "late_attempts": 20,
    "late_refused": 20,
    "refused_sent_before_close": 0,
    "received_before_close_refused": 0,
    "received_after_close_accepted": 0,
    "submissions_stored": 180,
    "receipt_emails": {"queued": 0, "sent": 180, "failed": 0},
}


def test_a_clean_run_passes():
    assert failures(GOOD) == []


def test_each_broken_rule_fails_the_run():
    cases = {
        "submissions_acknowledged": 0,  # vacuous: every submit refused, nothing lost
        "acknowledged_missing": ["DDF1-000007"],
        "accepted_after_deadline": 1,
        "acknowledged_sent_after_close": 1,
        "errors_5xx": 3,
        "not_acknowledged_nor_refused": 2,
        "late_refused": 19,
        "refused_sent_before_close": 1,  # a council that pressed submit in time, refused as late
        "received_before_close_refused": 1,  # the same, as the edge saw it
        "received_after_close_accepted": 1,
        "receipt_emails": {"queued": 0, "sent": 179, "failed": 1},  # one receipt each
    }
    for key, bad in cases.items():
        assert failures({**GOOD, key: bad}), key
    assert failures({**GOOD, "late_attempts": 0, "late_refused": 0})  # the deadline was never tested


def test_the_edge_log_gives_each_submit_its_arrival():
    """nginx logs `$msec $request_time $request_method $uri $status`: arrival is msec less request_time."""
    import tempfile
    from pathlib import Path

    from bench.loadtest import edge_submits

    with tempfile.TemporaryDirectory() as d:
        log = Path(d) / "access.log"
        log.write_text(
            "1733400000.500 1.250 POST /bids/7/check/ 302\n"
            "1733400001.000 0.010 GET /bids/7/check/ 200\n"
            "1733400002.000 0.500 POST /bids/8/sections/3/ 302\n"
            "1733400003.000 2.000 POST /bids/9/check/ 200\n"
        )
        assert edge_submits(log) == [(1733399999.25, 302), (1733400001.0, 200)]
