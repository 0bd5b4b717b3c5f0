"""What a load test checks after the load, against the database, the S3 API and the outbox.

Each function reads one promise's evidence: `stored_submissions` (what the database holds for the
round), `stored_files` (every submitted bid's files read back through the S3 API and compared
byte for byte with what its officer uploaded), `receipts` (receipt emails per submitted bid, in
the notification table and in the outbox the worker wrote), `edge_submits` (what nginx saw).
`failures` turns a result into the list of broken promises (empty when the run passed).
"""

import hashlib
import statistics
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

OUTBOX_SEPARATOR = b"-" * 79  # Django's file email backend writes this line after each message


def percentile(values: list[float], p: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 1)


def stored_submissions(*, round_id: int) -> dict:
    from applications.models import Bid
    from grants.models import Round

    rnd = Round.objects.get(pk=round_id)
    bids = Bid.objects.filter(round_id=round_id)
    submitted = bids.filter(status="submitted", submitted_at__isnull=False)
    return {
        "count": submitted.count(),
        "references": set(submitted.values_list("reference", flat=True)),
        "bid_ids": set(submitted.values_list("pk", flat=True)),
        # Any bid stamped at or after the close, whatever its status now, was accepted late.
        "after_deadline": bids.filter(submitted_at__gte=rnd.closes_at).count(),
        "closes_at": rnd.closes_at,
    }


def stored_files(*, bid_ids: set[int], s3, bucket: str, expected) -> dict:
    """Reads every file of each submitted bid back through the S3 API. `expected(bid_id)` gives
    the bytes its officer uploaded. A bid without a file, a file missing from the bucket or
    different from what was sent is listed by bid id."""
    from applications.models import EvidenceFile

    files: dict[int, list[str]] = {b: [] for b in bid_ids}
    for bid_id, key in EvidenceFile.objects.filter(bid_id__in=bid_ids).values_list("bid_id", "file"):
        files[bid_id].append(key)
    without, unreadable, different, read = [], [], [], 0
    for bid_id, keys in sorted(files.items()):
        if not keys:
            without.append(bid_id)
        want = hashlib.sha256(expected(bid_id)).hexdigest()
        for key in keys:
            try:
                body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            except Exception:  # missing object or the API failing: either way not stored
                unreadable.append(bid_id)
                continue
            read += 1
            if hashlib.sha256(body).hexdigest() != want:
                different.append(bid_id)
    return {"read_back": read, "bids_without_file": without, "unreadable": unreadable, "different": different}


def wait_for_receipts(*, round_id: int, timeout: float) -> None:
    """Gives the Celery worker up to `timeout` seconds to send the round's receipt emails."""
    queued = _receipts(round_id).filter(status="queued")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and queued.exists():
        time.sleep(1)


def _receipts(round_id: int):
    from applications.models import Bid
    from notifications.models import Notification

    officers = Bid.objects.filter(round_id=round_id).values("created_by")
    return Notification.objects.filter(channel="email", event="bid_submitted", recipient__in=officers)


def receipts(*, round_id: int, bid_ids: set[int], outbox: Path) -> dict:
    """Receipt emails for the round: queued / sent / failed in the notification table, the
    messages the worker actually wrote to the outbox, and the submitted bids whose officer did
    not get exactly one of each (every officer here leads exactly one bid of the round)."""
    from applications.models import Bid

    rows = _receipts(round_id)
    statuses = Counter(rows.values_list("status", flat=True))
    officer_of = dict(Bid.objects.filter(pk__in=bid_ids).values_list("created_by__email", "pk"))
    sent_rows = Counter(rows.filter(status="sent").values_list("recipient__email", flat=True))
    mailed = outbox_recipients(outbox)
    wrong = sorted(
        bid for email, bid in officer_of.items() if sent_rows.get(email, 0) != 1 or mailed.get(email, 0) != 1
    )
    extra = sorted(e for e in set(mailed) | set(sent_rows) if e not in officer_of)
    return {
        "queued": statuses.get("queued", 0),
        "sent": statuses.get("sent", 0),
        "failed": statuses.get("failed", 0),
        "outbox": sum(mailed.values()),
        "bids_not_exactly_one": wrong,
        "to_officers_without_submission": extra,
    }


def outbox_recipients(outbox: Path) -> Counter:
    """How many messages each address got, from Django's file email backend's files."""
    counts: Counter = Counter()
    for path in sorted(outbox.glob("*")) if outbox.exists() else []:
        for raw in path.read_bytes().split(OUTBOX_SEPARATOR):
            if raw.strip():
                msg = message_from_bytes(raw.strip(b"\n"))
                for address in (msg.get("To") or "").split(","):
                    if address.strip():
                        counts[address.strip()] += 1
    return counts


def edge_submits(log: Path) -> list[tuple[float, int]]:
    """(arrival as a Unix time, status) of every submit (POST to a bid's check page) nginx saw."""
    submits = []
    for line in log.read_text().splitlines() if log.exists() else []:
        parts = line.split()
        if len(parts) == 5 and parts[2] == "POST" and parts[3].endswith("/check/"):
            submits.append((float(parts[0]) - float(parts[1]), int(parts[4])))
    return submits


def failures(result: dict) -> list[str]:
    """What makes a run fail: lost, late-accepted or fileless submissions, receipts not exactly one
    per bid, server errors, and a run that proves nothing (nothing acknowledged or scored, or a
    submit whose outcome nobody could tell)."""
    files, mail = result["files"], result["receipt_emails"]
    checks = [
        (result["submissions_acknowledged"] > 0, "no submission was acknowledged: the run proves nothing"),
        (not result["acknowledged_missing"], f"acknowledged but not stored: {result['acknowledged_missing']}"),
        (result["accepted_after_deadline"] == 0, f"{result['accepted_after_deadline']} accepted after the deadline"),
        (result["acknowledged_sent_after_close"] == 0, "a submit sent after the close was acknowledged"),
        (
            result["refused_sent_before_close"] == 0,
            f"{result['refused_sent_before_close']} bids sent before the close were refused as late",
        ),
        (
            result["received_before_close_refused"] == 0,
            f"{result['received_before_close_refused']} bids that reached the edge before the close were refused",
        ),
        (result["received_after_close_accepted"] == 0, "a bid that reached the edge after the close was accepted"),
        (not files["bids_without_file"], f"submitted bids without a file: {files['bids_without_file']}"),
        (not files["unreadable"], f"files not readable from the S3 API, bids {files['unreadable']}"),
        (not files["different"], f"files read back differ from the upload, bids {files['different']}"),
        (files["read_back"] >= result["submissions_stored"], "fewer files read back than bids stored"),
        (not mail["bids_not_exactly_one"], f"bids without exactly one receipt: {mail['bids_not_exactly_one']}"),
        (not mail["to_officers_without_submission"], "receipts to officers with no submission"),
        (mail["sent"] == result["submissions_stored"], f"{mail['sent']} receipts for {result['submissions_stored']}"),
        (mail["outbox"] == result["submissions_stored"], f"{mail['outbox']} emails in the outbox"),
        (result["errors_5xx"] == 0, f"{result['errors_5xx']} server errors"),
        (result["not_acknowledged_nor_refused"] == 0, "submits neither acknowledged nor refused (outcome unknown)"),
        (
            result["late_refused"] == result["late_attempts"],
            f"only {result['late_refused']} of {result['late_attempts']} late officers were refused",
        ),
        (result["late_attempts"] > 0, "no officer submitted after the close: the deadline was not tested"),
        (result["assessments_submitted"] > 0, "no panel member submitted an assessment: scoring was not tested"),
        (
            result["assessments_stored"] >= result["assessments_submitted"],
            f"{result['assessments_submitted']} assessments submitted, {result['assessments_stored']} stored",
        ),
        (
            all(result["requests_by_type"].get(t, 0) for t in ("upload", "submit", "score", "ranking", "dashboard")),
            f"a request type was never made: {result['requests_by_type']}",
        ),
    ]
    return [message for ok, message in checks if not ok]
