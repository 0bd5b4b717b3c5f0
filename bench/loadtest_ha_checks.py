"""What `make loadtest-ha` counts and what makes it fail: the edge's log, the outbox, the database.

HAProxy logs every request with its arrival, status, the app server that had it and how it
ended; a 5xx is "in flight on the killed server" when that server had the request and the
server side ended it (HAProxy's termination state starting with S: the connection died under
the request), having arrived before the kill. Every other 5xx is a broken promise.
"""

from collections import Counter
from email import message_from_bytes
from pathlib import Path

OUTBOX_SEPARATOR = b"-" * 79  # Django's file email backend writes this line after each message
# HAProxy's log line (bench/loadtest_ha.py `haproxy_conf`): the connection's accept time, the
# handshake and idle times before the request (so a request on a kept-alive connection gets its
# own arrival, not the connection's), ms active, method, path, status, server, termination state.
LOG_FORMAT = "%Ts.%ms %Th %Ti %Ta %HM %HPO %ST %s %tsc"


def edge_log(log: Path) -> list[dict]:
    """Every request HAProxy finished, parsed from its log lines."""
    rows = []
    for line in log.read_text(errors="replace").splitlines() if log.exists() else []:
        parts = line.split()
        if len(parts) != 9 or not parts[6].lstrip("-").isdigit() or parts[5] == "/healthz":
            continue  # not a request line, or the run's own probes while the servers start
        try:
            accepted, waited = float(parts[0]), max(int(parts[1]), 0) + max(int(parts[2]), 0)
        except ValueError:
            continue
        rows.append(
            {"arrived": accepted + waited / 1000, "ms": int(parts[3]), "method": parts[4], "path": parts[5],
             "status": int(parts[6]), "server": parts[7], "state": parts[8]}
        )  # fmt: skip
    return rows


def in_flight_on(rows: list[dict], server: str, killed_at: float) -> list[dict]:
    """5xx answers for requests the killed server had when it died."""
    return [
        r
        for r in rows
        if r["status"] >= 500 and r["server"] == server and r["state"].startswith("S") and r["arrived"] <= killed_at
    ]


def edge_submits(rows: list[dict]) -> list[tuple[float, int]]:
    """(arrival, status) of every submit (POST to a bid's check page), as bench/loadtest.py counts them."""
    return [(r["arrived"], r["status"]) for r in rows if r["method"] == "POST" and r["path"].endswith("/check/")]


def outbox_counts(outbox: Path) -> Counter:
    """How many times each (recipient, subject) went out, from the outbox's files."""
    counts: Counter = Counter()
    for path in sorted(outbox.glob("*.log")) if outbox.exists() else []:
        for raw in path.read_bytes().split(OUTBOX_SEPARATOR):
            if raw.strip():
                msg = message_from_bytes(raw.strip(b"\n"))
                counts[(msg.get("To") or "", str(msg.get("Subject") or ""))] += 1
    return counts


def receipts(*, round_id: int, outbox: Path) -> dict:
    """Receipt emails: the outbox rows' states, and what reached the mail server, per submitted
    bid's officer (each officer here leads exactly one bid): exactly one message each."""
    from applications.models import Bid
    from notifications.models import Notification

    rows = Notification.objects.filter(channel="email", event="bid_submitted")  # the run's own database
    states = Counter(rows.values_list("status", flat=True))
    officers = set(
        Bid.objects.filter(round_id=round_id, status="submitted").values_list("created_by__email", flat=True)
    )
    mailed = outbox_counts(outbox)
    per_officer = Counter(to for (to, _), n in mailed.items() for _ in range(n))
    return {
        "queued": states.get("queued", 0),
        "sent": states.get("sent", 0),
        "failed": states.get("failed", 0),
        "outbox": sum(mailed.values()),
        "outbox_duplicates": sum(n - 1 for n in mailed.values() if n > 1),
        "officers_without_exactly_one": sorted(e for e in officers if per_officer.get(e, 0) != 1),
    }


def duplicates(*, round_id: int, acknowledged: list[dict]) -> dict:
    """Submissions stored more than once (a bid submitted twice), and acknowledgements whose
    reference is not the one the bid holds (a second reference handed out)."""
    from applications.models import Bid

    bids = Bid.objects.filter(round_id=round_id)
    held = dict(bids.exclude(reference=None).values_list("pk", "reference"))
    twice = bids.filter(submission_count__gt=1).count()
    other_reference = sum(1 for o in acknowledged if held.get(o["bid"]) != o["reference"])
    return {"count": twice + other_reference, "submitted_twice": twice, "other_reference": other_reference}


def failures(result: dict, base_failures) -> list[str]:
    """bench/loadtest.py's failures, with 5xx allowed only for requests in flight on the killed
    server, and the promises of the two-server run."""
    allowed = {**result, "errors_5xx": result["errors_5xx"] - result["errors_5xx_in_flight"]}
    mail = result["receipt_emails"]
    checks = [
        (result["node_killed_at_s"] is not None, "the app server was not killed"),
        (result["worker_killed_at_s"] is not None, "the Celery worker was not killed"),
        (result["worker_killed_mid_send"], "the Celery worker was not sending when it was killed"),
        (result["duplicates"] == 0, f"{result['duplicates']} duplicate submissions"),
        (mail["outbox_duplicates"] == 0, f"{mail['outbox_duplicates']} receipt emails sent twice"),
        (not mail["officers_without_exactly_one"], f"not one receipt: {mail['officers_without_exactly_one']}"),
        (mail["queued"] == 0, f"{mail['queued']} receipts still queued (the killed worker's sends not finished)"),
        (result["errors_5xx_at_edge_not_in_flight"] == 0, "5xx at the edge for requests not on the killed server"),
        (result["gave_up_after_retries"] == 0, f"{result['gave_up_after_retries']} requests failed after every retry"),
    ]
    return base_failures(allowed) + [message for ok, message in checks if not ok]
