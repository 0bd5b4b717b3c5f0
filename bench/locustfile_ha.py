"""Locust users for `make loadtest-ha`: the people of bench/locustfile.py, retrying as browsers do.

When an app server dies under a request, the load balancer answers 502 (or the connection drops);
a person presses submit (or save) again, and a browser or proxy may retry by itself. Each user
here sends a request again after a connection error or a 502/503/504, up to RETRIES times, half
a second apart, with the same form data, and the retry is counted. A submit repeats the form's
hidden idempotency key (`seen_submissions`, read from the check page as a browser would post it),
so the service answers a submit that already went through with the same reference.

The officers, panel members and managers, their journeys, timings and outcomes are
bench/locustfile.py's (imported as a module, so locust runs only the classes named here, each a
retrying subclass of its own); retries are written beside its output.
"""

import json
import re
import time

import gevent
from locust import events

import bench.locustfile as base

RETRIES = 5
RETRY_ON = {0, 502, 503, 504}
SEEN_RE = re.compile(r'name="seen_submissions" value="(\d+)"')
RETRIED: list[dict] = []  # one entry per retry: when, what, and the status that caused it


@events.quitting.add_listener
def _write_retries(environment, **kwargs):
    with open(base.PLAN["out"] + ".retries.json", "w") as f:
        json.dump(RETRIED, f)


class Retrying:
    """Wraps the user's client so each request is sent again on RETRY_ON; mixed in before the
    bench/locustfile.py class whose journey it runs."""

    def on_start(self):
        self._seen: dict[str, str] = {}
        send = self.client.request

        def request(method, url, *args, **kwargs):
            if method.upper() == "POST" and url in self._seen and isinstance(kwargs.get("data"), dict):
                kwargs["data"] = {"seen_submissions": self._seen[url], **kwargs["data"]}
            for attempt in range(RETRIES + 1):
                response = send(method, url, *args, **kwargs)
                if response.status_code not in RETRY_ON:
                    break
                if attempt == RETRIES:
                    RETRIED.append({"t": time.time(), "name": kwargs.get("name") or url, "gave_up": True})
                    break
                RETRIED.append({"t": time.time(), "method": method, "name": kwargs.get("name") or url,
                                "status": response.status_code})  # fmt: skip
                gevent.sleep(0.5)
            if method.upper() == "GET" and url.endswith("/check/") and (m := SEEN_RE.search(response.text or "")):
                self._seen[url] = m.group(1)
            return response

        self.client.request = request
        super().on_start()


class RetryingOfficer(Retrying, base.CouncilOfficer):
    pass


class RetryingPanelMember(Retrying, base.PanelMember):
    pass


class RetryingManager(Retrying, base.ProgrammeManager):
    pass
