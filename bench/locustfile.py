"""Locust users for `make loadtest`: deadline day, with everyone who works on it at once.

- Council officers (one per council, each with one draft bid, from the plan bench/loadtest.py
  writes) sign in (a few through the real form with its CSRF token, the rest with a session made
  in advance), upload their supporting evidence (a PDF) and save the three sections of their
  bid, then open check your answers and submit with the declaration at a time drawn to bunch up
  just before the deadline; a few leave it until after the close, and must be refused.
  Afterwards they look at their dashboard now and then.
- Panel members confirm their declaration of interests (no conflict), then open and score each
  bid assigned to them (every criterion, with a justification) and submit, spread over the run.
- Programme managers look at the round's ranking and their dashboard in turn.

Every request is named by its type (sign_in, upload, save_section, submit, score, ranking,
dashboard...) and recorded (type, time, status); every acknowledged submission (the reference on
the confirmation page) and every submitted assessment is written out for bench/loadtest.py.
"""

import json
import os
import random
import re
import threading
import time

import gevent
from locust import HttpUser, constant, events, task

from bench.loadtest_seed import evidence_pdf

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"]).read())
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE_RE = re.compile(r'data-testid="reference">([^<]+)<')
_lock = threading.Lock()
_next = {role: iter(PLAN[role]) for role in ("officers", "panel", "managers")}
SAMPLES: list[tuple[str, float, int]] = []  # (type, ms, status)
OUTCOMES: list[dict] = []
ASSESSMENTS: list[dict] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    SAMPLES.append((name, response_time, status))


@events.quitting.add_listener
def _write(environment, **kwargs):
    with open(PLAN["out"], "w") as f:
        json.dump({"samples": SAMPLES, "outcomes": OUTCOMES, "assessments": ASSESSMENTS}, f)


def _token(html: str) -> str:
    m = CSRF_RE.search(html)
    return m.group(1) if m else ""


def _answers(section: dict, n: int) -> dict:
    values = {
        "short_text": f"Officer answer {n}",
        "long_text": "We will deliver this project well. " * 20,
        "money": "12500.00",
    }
    return {f"q_{q}": values[kind] for q, kind in section["questions"] if kind in values}


def _sleep_until(t: float) -> None:
    delay = t - time.time()
    if delay > 0:
        gevent.sleep(delay)


class Person(HttpUser):
    abstract = True
    wait_time = constant(0)
    role = ""

    def on_start(self):
        with _lock:
            self.plan = next(_next[self.role], None)
        if self.plan is None:
            return
        if self.plan.get("client_ip"):
            self.client.headers["X-Real-IP"] = self.plan["client_ip"]  # see bench/loadtest_settings.py
        if self.plan.get("session"):
            self.client.cookies.set("sessionid", self.plan["session"], domain="127.0.0.1", path="/")
        else:
            page = self.client.get("/accounts/login/", name="sign_in_page")
            self.client.post(
                "/accounts/login/",
                data={
                    "login": self.plan["email"],
                    "password": self.plan["password"],
                    "csrfmiddlewaretoken": _token(page.text),
                },
                headers={"Referer": f"{self.host}/accounts/login/"},
                name="sign_in",
            )

    @task
    def journey(self):
        if self.plan is None:
            gevent.sleep(3600)
            return
        self.work()

    def work(self):
        raise NotImplementedError


class CouncilOfficer(Person):
    fixed_count = len(PLAN["officers"])
    role = "officers"

    def work(self):
        plan = self.plan
        bid = plan["bid"]
        outcome = {"bid": bid, "late": plan["late"], "acknowledged": False, "reference": None, "refused": False}
        self.client.get(f"/bids/{bid}/", name="bid_page")
        start, submit_at = time.time(), plan["submit_at"]
        # The sections are spread over the first half of the officer's time, the second half left
        # for the server's own pace: a slow machine then still tests the deadline, not its queue.
        step = max((submit_at - start) / 2 / len(plan["sections"]), 0.5)
        for n, section in enumerate(plan["sections"]):
            _sleep_until(start + n * step)
            url = f"/bids/{bid}/sections/{section['id']}/"
            page = self.client.get(url, name="section_page")
            data = {**_answers(section, n), "csrfmiddlewaretoken": _token(page.text)}
            for q, kind in section["questions"]:
                if kind == "file_upload":  # the upload button first, then save and continue
                    page = self.client.post(
                        url,
                        data={**data, "action": "upload"},
                        files={f"file_{q}": ("evidence.pdf", evidence_pdf(bid), "application/pdf")},
                        name="upload",
                    )
                    data["csrfmiddlewaretoken"] = _token(page.text) or data["csrfmiddlewaretoken"]
            self.client.post(url, data=data, name="save_section")
        # The check page is opened just before pressing submit; a late officer opened it before
        # the close and presses submit after it, so the server (not the form) must refuse.
        _sleep_until(min(submit_at - 2, PLAN["closes_at"] - 3))
        check = self.client.get(f"/bids/{bid}/check/", name="check_page")
        token = _token(check.text)
        _sleep_until(submit_at)
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
            name="submit",
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
            self.client.get("/bids/", name="bid_dashboard")


class PanelMember(Person):
    fixed_count = len(PLAN["panel"])
    role = "panel"

    def work(self):
        slug = PLAN["scoring_round"]
        self.client.get("/assess/", name="assess_rounds")
        page = self.client.get(f"/assess/{slug}/declaration/", name="declaration_page")
        self.client.post(
            f"/assess/{slug}/declaration/",
            data={"action": "confirm", "csrfmiddlewaretoken": _token(page.text)},
            name="declare",
        )
        bids = self.plan["bids"]
        start = time.time()
        step = max((PLAN["panel_until"] - start) / max(len(bids), 1), 1.0)
        for n, bid in enumerate(bids):
            _sleep_until(start + n * step + random.uniform(0, step / 2))
            url = f"/assess/{slug}/bids/{bid}/"
            page = self.client.get(url, name="score_page")
            data = {"action": "submit", "csrfmiddlewaretoken": _token(page.text)}
            for c in PLAN["criteria"]:
                data[f"score_{c['id']}"] = str(random.randint(max(c["max"] - 2, 1), c["max"]))
                data[f"justification_{c['id']}"] = "The bid meets the criterion; the evidence supports it."
            response = self.client.post(url, data=data, name="score")
            done = response.status_code == 200 and response.url.rstrip("/").endswith(f"/assess/{slug}")
            ASSESSMENTS.append({"bid": bid, "submitted": done, "status": response.status_code})
        while True:
            gevent.sleep(10)
            self.client.get(f"/assess/{slug}/", name="queue")


class ProgrammeManager(Person):
    fixed_count = len(PLAN["managers"])
    role = "managers"

    def work(self):
        while True:
            self.client.get(f"/staff/rounds/{PLAN['scoring_round']}/ranking/", name="ranking")
            gevent.sleep(random.uniform(3, 6))
            self.client.get("/staff/dashboard/", name="dashboard")
            gevent.sleep(random.uniform(3, 6))
