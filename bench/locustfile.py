"""Locust users for `make loadtest`: council officers finishing their bids as a round closes.

Each simulated officer owns one draft bid (from the plan written by bench/loadtest.py). It signs
in (a few through the real sign-in form with its CSRF token, the rest with a session made in
advance), saves the three sections of its bid one after another, then goes to check your answers
and submits with the declaration at a time drawn to bunch up just before the deadline; a few
leave it until after the close, and must be refused. Afterwards it looks at its dashboard now and
then. Every response is recorded (time, status) and every acknowledged submission (the reference
on the confirmation page) is written out for bench/loadtest.py to check against the database.
"""

import json
import os
import re
import threading
import time

import gevent
from locust import HttpUser, constant, events, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"]).read())
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE_RE = re.compile(r'data-testid="reference">([^<]+)<')
_lock = threading.Lock()
_next = iter(PLAN["users"])
SAMPLES: list[tuple[float, int]] = []  # (ms, status)
OUTCOMES: list[dict] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    SAMPLES.append((response_time, status))


@events.quitting.add_listener
def _write(environment, **kwargs):
    with open(PLAN["out"], "w") as f:
        json.dump({"samples": SAMPLES, "outcomes": OUTCOMES}, f)


def _token(html: str) -> str:
    m = CSRF_RE.search(html)
    return m.group(1) if m else ""


def _answers(section: dict, n: int) -> dict:
    values = {
        "short_text": f"Officer answer {n}",
        "long_text": "We will deliver this project well. " * 20,
        "money": "12500.00",
    }
    return {f"q_{q}": values.get(kind, "Yes") for q, kind in section["questions"]}


class CouncilOfficer(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        with _lock:
            self.plan = next(_next, None)
        if self.plan is None:
            return
        self.client.headers["X-Real-IP"] = self.plan["client_ip"]  # see bench/loadtest_settings.py
        if self.plan.get("session"):
            self.client.cookies.set("sessionid", self.plan["session"], domain="127.0.0.1", path="/")
        else:
            page = self.client.get("/accounts/login/", name="/accounts/login/")
            self.client.post(
                "/accounts/login/",
                data={
                    "login": self.plan["email"],
                    "password": self.plan["password"],
                    "csrfmiddlewaretoken": _token(page.text),
                },
                headers={"Referer": f"{self.host}/accounts/login/"},
                name="/accounts/login/ [POST]",
            )

    def _sleep_until(self, t: float) -> None:
        delay = t - time.time()
        if delay > 0:
            gevent.sleep(delay)

    @task
    def journey(self):
        plan = self.plan
        if plan is None:
            gevent.sleep(3600)
            return
        bid = plan["bid"]
        outcome = {"bid": bid, "late": plan["late"], "acknowledged": False, "reference": None, "refused": False}
        self.client.get(f"/bids/{bid}/", name="/bids/[id]/")
        start, submit_at = time.time(), plan["submit_at"]
        step = max((submit_at - start) / (len(plan["sections"]) + 1), 0.5)
        for n, section in enumerate(plan["sections"], start=1):
            self._sleep_until(start + n * step)
            url = f"/bids/{bid}/sections/{section['id']}/"
            page = self.client.get(url, name="/bids/[id]/sections/[id]/")
            self.client.post(
                url,
                data={**_answers(section, n), "csrfmiddlewaretoken": _token(page.text)},
                name="/bids/[id]/sections/[id]/ [POST]",
            )
        # The check page is opened just before pressing submit; a late officer opened it before
        # the close and presses submit after it, so the server (not the form) must refuse.
        self._sleep_until(min(submit_at - 2, PLAN["closes_at"] - 3))
        check = self.client.get(f"/bids/{bid}/check/", name="/bids/[id]/check/")
        token = _token(check.text)
        self._sleep_until(submit_at)
        outcome["submit_sent"] = time.time()
        if not token:  # no declaration form on the page: the page itself refused
            outcome["status"] = check.status_code
            outcome["refused"] = "closed at" in check.text
            OUTCOMES.append(outcome)
            return self._browse()
        response = self.client.post(
            f"/bids/{bid}/check/",
            data={
                "declaration_name": "Alex Example",
                "declaration_role": "Chief Executive",
                "confirm": "on",
                "csrfmiddlewaretoken": token,
            },
            name="/bids/[id]/check/ [POST]",
        )
        outcome["status"] = response.status_code
        ref = REFERENCE_RE.search(response.text or "")
        if response.status_code == 200 and response.url.rstrip("/").endswith("/submitted") and ref:
            outcome["acknowledged"], outcome["reference"] = True, ref.group(1).strip()
        elif response.status_code == 200 and "closed at" in response.text:
            outcome["refused"] = True
        OUTCOMES.append(outcome)
        self._browse()

    def _browse(self):
        while True:  # look at the dashboard now and then until the run ends
            gevent.sleep(8)
            self.client.get("/bids/", name="/bids/")
