"""The load test's verdict (bench/loadtest_checks.py): a run that proves nothing, or that broke a
promise, fails; and the evidence it reads (nginx's log, the outbox, the uploaded PDF) is read
right. The run itself needs gunicorn, moto and locust, so it is `make loadtest`, not a test."""

import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend

from bench.loadtest_checks import edge_submits, failures, outbox_recipients
from bench.loadtest_seed import evidence_pdf
from grants.core.uploads import check_upload

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
    "files": {"read_back": 180, "bids_without_file": [], "unreadable": [], "different": []},
    "receipt_emails": {
        "queued": 0,
        "sent": 180,
        "failed": 0,
        "outbox": 180,
        "bids_not_exactly_one": [],
        "to_officers_without_submission": [],
    },
    "assessments_submitted": 40,
    "assessments_stored": 40,
    "requests_by_type": {"upload": 180, "submit": 180, "score": 40, "ranking": 9, "dashboard": 9},
}


def test_a_clean_run_passes():
    assert failures(GOOD) == []


def test_each_broken_promise_fails_the_run():
    files, mail = GOOD["files"], GOOD["receipt_emails"]
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
        "assessments_submitted": 0,  # scoring never exercised
        "assessments_stored": 39,  # a panel member's submitted assessment lost
        "requests_by_type": {**GOOD["requests_by_type"], "ranking": 0},
    }
    cases_files = {
        "bids_without_file": [12],
        "unreadable": [12],  # in the database, not in the bucket
        "different": [12],  # in the bucket, not what was sent
        "read_back": 179,
    }
    cases_mail = {
        "sent": 179,
        "outbox": 181,  # a receipt sent twice shows in the outbox even if the table says once
        "bids_not_exactly_one": [12],
        "to_officers_without_submission": ["officer003@load.example.com"],
    }
    for key, bad in cases.items():
        assert failures({**GOOD, key: bad}), key
    for key, bad in cases_files.items():
        assert failures({**GOOD, "files": {**files, key: bad}}), key
    for key, bad in cases_mail.items():
        assert failures({**GOOD, "receipt_emails": {**mail, key: bad}}), key
    assert failures({**GOOD, "late_attempts": 0, "late_refused": 0})  # the deadline was never tested


def test_the_edge_log_gives_each_submit_its_arrival():
    """nginx logs `$msec $request_time $request_method $uri $status`: arrival is msec less request_time."""
    with tempfile.TemporaryDirectory() as d:
        log = Path(d) / "access.log"
        log.write_text(
            "1733400000.500 1.250 POST /bids/7/check/ 302\n"
            "1733400001.000 0.010 GET /bids/7/check/ 200\n"
            "1733400002.000 0.500 POST /bids/8/sections/3/ 302\n"
            "1733400003.000 2.000 POST /bids/9/check/ 200\n"
        )
        assert edge_submits(log) == [(1733399999.25, 302), (1733400001.0, 200)]


def test_the_outbox_counts_each_message_per_recipient():
    """Read back from what Django's file backend (the worker's, in the load test) really writes:
    two connections, three messages, one address twice."""
    with tempfile.TemporaryDirectory() as d:
        for batch in (["a@load.example.com", "b@load.example.com"], ["a@load.example.com"]):
            backend = EmailBackend(file_path=d)
            backend.send_messages([EmailMessage("Receipt", "Bid DDF1-000001 received", to=[to]) for to in batch])
        assert outbox_recipients(Path(d)) == {"a@load.example.com": 2, "b@load.example.com": 1}


def test_the_officers_evidence_passes_the_upload_check():
    """Otherwise every upload would be refused and the run would measure refusals, not storage."""
    pdf = evidence_pdf(7)
    assert pdf != evidence_pdf(8)  # each bid's file is its own, so a mix-up shows when read back
    check_upload(SimpleUploadedFile("evidence.pdf", pdf, content_type="application/pdf"))
