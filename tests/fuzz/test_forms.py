"""Hostile and random data posted to every form of the project: never a 500.

Forms are discovered, not listed: every URL pattern (tests/security/urlwalk.py) is read as every
persona the access matrix lets in (each may see different forms: a chair's, a signatory's), and
each <form> on the page gives its action, method and field names; a form several personas see is
fuzzed once, as the first of them. Hypothesis then sends fuzzed values for those names (text,
unicode, huge strings, numbers as text, negative money, impossible dates, NUL bytes, several
values for one name, random files) and every answer must be the page again with the GOV.UK error
summary (or a success page), a redirect, or 404 when a tampered id names nothing the user may
see; a GET form (a filter) must answer 200. Each POST is rolled back, so every example meets the
same world.
"""

import os
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security.observe import clients, isolated
from tests.security.test_url_matrix import EXPECTED, PERSONAS
from tests.security.urlwalk import patterns, url_for
from tests.security.world import build_world

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "-1000.00",
    "1e309",
    "NaN",
    "sNaN",
    "Infinity",
    "99999999999999999999999999",
    "12,345.67",
    "£1,000",
    "2026-02-30",
    "30/02/2026",
    "0000-00-00",
    "9999-12-31",
    "true",
    "null",
    "None",
    "[]",
    "{}",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "Ω≈ç√∫˜µ≤≥÷ 😀 \u202e",
    "A" * 100_000,
    "word " * 5_000,
]
SKIP_FIELDS = {"csrfmiddlewaretoken"}
# Random examples per form; FUZZ_EXAMPLES=500 make test explores much further before a release.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))


@dataclass(frozen=True)
class Form:
    page: str  # URL name of the page showing the form
    persona: str
    action: str
    method: str
    fields: tuple[tuple[str, str], ...]  # (name, input type)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": {},
            }
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea", "button"):
            name = a.get("name")
            if name and name not in SKIP_FIELDS:
                self._current["fields"].setdefault(name, a.get("type", tag))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def readers(name: str) -> list[str]:
    """Every persona the access matrix lets in (200), signed-in ones first."""
    row = EXPECTED.get(name, {})
    return [who for who in PERSONAS[1:] + PERSONAS[:1] if row.get(who) == 200]


def discover(world, by_persona, *, shard: int = 0, shards: int = 1) -> list[Form]:
    """The forms on the pages of every `shards`-th URL pattern from `shard` (all of them by default)."""
    found: dict[tuple, Form] = {}
    for i, pattern in enumerate(patterns()):
        if i % shards != shard:
            continue
        url = url_for(pattern, world)
        for who in readers(pattern.name):
            response = isolated(by_persona[who], "get", url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            parser = _FormParser()
            parser.feed(response.content.decode())
            for form in parser.forms:
                action = form["action"] if form["action"].startswith("/") else url
                if action.startswith("/accounts/") or not form["fields"]:
                    continue
                fields = tuple(sorted(form["fields"].items()))
                key = (action, form["method"], tuple(n for n, _ in fields))
                found.setdefault(key, Form(pattern.name, who, action, form["method"], fields))
    return list(found.values())


def _value(kind: str):
    if kind == "file":
        return st.binary(max_size=2048).map(lambda b: SimpleUploadedFile("plan.pdf", b, "application/pdf"))
    scalar = st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=60),
        st.integers(min_value=-(10**12), max_value=10**12).map(str),
        st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
        st.dates().map(str),
    )
    return st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3))


def _strategy(form: Form):
    return st.fixed_dictionaries({name: _value(kind) for name, kind in form.fields})


def _checker(form: Form, client):
    # No shrinking: the first failing example is reported as found, which keeps the run bounded.
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        phases=[Phase.explicit, Phase.generate],
    )
    @given(data=_strategy(form))
    def check(data):
        _send(form, client, data)

    return check


def _sweep(form: Form, client) -> None:
    """Every hostile value in every field at once: the same posts on every run, so a bug they
    find fails every CI run, not one run in ten."""
    buttons = _buttons(form)
    for value in HOSTILE:
        data = {
            name: SimpleUploadedFile("plan.pdf", value.encode(), "application/pdf") if kind == "file" else value
            for name, kind in form.fields
        }
        _send(form, client, data)
        if buttons & set(data):
            _send(form, client, {k: v for k, v in data.items() if k not in buttons})


def _oversize(data: dict) -> bool:
    values = [v for value in data.values() for v in (value if isinstance(value, list) else [value])]
    size = sum(len(v.encode()) for v in values if isinstance(v, str))
    return size > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE


# What a POST answered with 200 must show: the GOV.UK error summary, or that it worked.
ERROR_SUMMARY = b"govuk-error-summary"
SUCCESS = (b"govuk-notification-banner--success", b"govuk-panel--confirmation")
# Buttons whose POST legitimately answers 200 with neither, each with the reason:
# (URL name of the page showing the form, the button's name) -> why. The sweep also posts these
# forms without the button, so their saving path is still checked.
SHOWS_NO_ERRORS: dict[tuple[str, str], str] = {
    ("awards:tranches", "add_row"): "'Add another tranche' shows the plan again with one more row; nothing is saved",
}


def _buttons(form: Form) -> set[str]:
    return {button for page, button in SHOWS_NO_ERRORS if page == form.page}


def _explained(form: Form, body: bytes, data: dict) -> bool:
    if ERROR_SUMMARY in body or any(marker in body for marker in SUCCESS):
        return True
    return bool(_buttons(form) & set(data))


def _send(form: Form, client, data: dict) -> None:
    if form.method == "post":
        response = isolated(client, "post", form.action, data=data)
        # 404: a tampered id (a button's value) names nothing this user may see; 400: a body over
        # DATA_UPLOAD_MAX_MEMORY_SIZE, refused by Django before any view runs (templates/400.html).
        ok = response.status_code in (200, 302, 404) or (response.status_code == 400 and _oversize(data))
        # A download (the subject-access ZIP) is the success page of its form.
        download = response.get("Content-Disposition", "").startswith("attachment")
        if response.status_code == 200 and not download and not _explained(form, response.content, data):
            raise AssertionError(
                f"POST {form.action} (form on {form.page}) as {form.persona}: 200 without an error "
                f"summary or a success message, with {_shown(data)!r}"
            )
    else:
        plain = {k: v for k, v in data.items() if not isinstance(v, SimpleUploadedFile)}
        response = isolated(client, "get", form.action, data=plain)
        ok = response.status_code == 200
    if not ok:
        raise AssertionError(
            f"{form.method.upper()} {form.action} (form on {form.page}) as {form.persona}: "
            f"{response.status_code} with {_shown(data)!r}"
        )


def _shown(data: dict) -> dict:
    return {k: (v[:80] + "…" if isinstance(v, str) and len(v) > 80 else v) for k, v in data.items()}


@pytest.fixture
def world(personas):
    return build_world(personas)


# The sweep is split by URL pattern into shards, so the suite's workers share it (one test of ten
# minutes held one worker while the other finished everything else).
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_form_survives_hostile_data(personas, world, shard):
    by_persona = clients(personas)
    forms = discover(world, by_persona, shard=shard, shards=SHARDS)
    assert len(forms) >= 10, [f.action for f in forms]  # the discovery really found this shard's forms
    failures: list[str] = []

    for form in forms:
        check = _checker(form, by_persona[form.persona])
        try:
            _sweep(form, by_persona[form.persona])
            check()
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0] if "\n" in str(exc) else str(exc))
    assert not failures, "\n".join(failures)
