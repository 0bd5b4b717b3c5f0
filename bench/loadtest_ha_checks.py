"""What `make loadtest-ha` counts and what makes it fail: the edge's log, the outbox, the database.

The rest (what is stored, its files, one receipt per submission) is bench/loadtest_checks.py's.
HAProxy logs every request with its arrival, status, the app server that had it and how it
ended; a 5xx is "in flight on the killed server" when that server had the request and the
server side ended it (HAProxy's termination state starting with S: the connection died under
the request), having arrived before the kill. Every other 5xx is a broken promise.
"""

from pathlib import Path

from bench.loadtest_checks import failures as base_failures

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
    """(arrival, status) of every submit (POST to a bid's check page): bench/loadtest_checks.py
    `edge_submits`, from HAProxy's log instead of nginx's."""
    return [(r["arrived"], r["status"]) for r in rows if r["method"] == "POST" and r["path"].endswith("/check/")]


def duplicates(*, round_id: int, acknowledged: list[dict]) -> dict:
    """Submissions stored more than once (a bid submitted twice), and acknowledgements whose
    reference is not the one the bid holds (a second reference handed out)."""
    from applications.models import Bid

    bids = Bid.objects.filter(round_id=round_id)
    held = dict(bids.exclude(reference=None).values_list("pk", "reference"))
    twice = bids.filter(submission_count__gt=1).count()
    other_reference = sum(1 for o in acknowledged if held.get(o["bid"]) != o["reference"])
    return {"count": twice + other_reference, "submitted_twice": twice, "other_reference": other_reference}


def failures(result: dict) -> list[str]:
    """bench/loadtest_checks.py's failures, with 5xx allowed only for requests in flight on the killed
    server, and the promises of the two-server run."""
    allowed = {**result, "errors_5xx": result["errors_5xx"] - result["errors_5xx_in_flight"]}
    mail = result["receipt_emails"]
    checks = [
        (result["node_killed_at_s"] is not None, "the app server was not killed"),
        (result["worker_killed_at_s"] is not None, "the Celery worker was not killed"),
        (result["worker_killed_mid_send"], "the Celery worker was not sending when it was killed"),
        (result["duplicates"] == 0, f"{result['duplicates']} duplicate submissions"),
        (mail["queued"] == 0, f"{mail['queued']} receipts still queued (the killed worker's sends not finished)"),
        (result["errors_5xx_at_edge_not_in_flight"] == 0, "5xx at the edge for requests not on the killed server"),
        (result["gave_up_after_retries"] == 0, f"{result['gave_up_after_retries']} requests failed after every retry"),
    ]
    return base_failures(allowed) + [message for ok, message in checks if not ok]
