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
    }
    for key, bad in cases.items():
        assert failures({**GOOD, key: bad}), key
    assert failures({**GOOD, "late_attempts": 0, "late_refused": 0})  # the deadline was never tested
