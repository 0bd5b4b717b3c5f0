"""POST-only actions for every persona, and a check that no matrix row is one nobody can use.

A POST-only view answers 405 to a GET, so the GET matrix (test_url_matrix.py) cannot tell who
may use it. Here every such URL is POSTed by every persona with the data its form sends, inside
a transaction that is rolled back, and two things are compared with POSTED: the status, and
whether anything changed (an audit record written, or for notifications the row itself). The
change matters because a refusal can also be a redirect (302 with an error message).
"""

from collections.abc import Callable

import pytest
from django.utils import timezone

from grants.models import AuditEvent
from notifications.models import Notification

from .observe import clients, isolated_change
from .test_url_matrix import API_OPERATIONS, EXPECTED, PERSONAS, STAFF
from .urlwalk import patterns, url_for
from .world import build_world

SIGNED_IN = PERSONAS[1:]


def posted(ok: set, *, changed: set | None = None, status: int = 302, denied: int = 404) -> dict:
    """Who gets `status` (the rest `denied`, anonymous is sent to sign in) and whose POST changes
    something (by default everyone allowed)."""
    table = {who: (status if who in ok else denied) for who in PERSONAS}
    table["anonymous"] = 302
    return {"status": table, "changed": ok if changed is None else changed}


MANAGERS = {"programme_manager", "administrator"}
POSTED: dict[str, dict] = {
    # Issue 18: a token is revoked by its owner alone; anyone else's POST is a 404.
    "api:token_revoke": posted({"lead_officer"}),
    "applications:evidence_delete": posted({"lead_officer"}),
    # The section holds a submitted bid's answers, so it stays (refused with a message).
    "applications:staff_delete": posted(MANAGERS, changed=set()),
    # Her declaration is confirmed, so the interest stays on the register (refused with a message).
    "scoring:interest_remove": posted({"conflicted_assessor"}, changed=set()),
    # Scoring has started (the assessor's scores are in): the criterion stays, with a message.
    "scoring:criterion_delete": posted(MANAGERS, changed=set()),
    "scoring:assignment_withdraw": posted(MANAGERS),
    "scoring:panel_member_chair": posted(MANAGERS),
    # The assessor still has a bid to assess: refused until the assignment is withdrawn.
    "scoring:panel_member_remove": posted(MANAGERS, changed=set()),
    # No decision is ready to confirm in the world: refused with a message, nothing changes.
    "scoring:decisions_confirm": posted(MANAGERS, changed=set()),
    "notifications:mark_all_read": posted(set(SIGNED_IN), changed={"lead_officer"}),  # each marks their own
    "notifications:mark_read": posted({"lead_officer"}),
    # The world's failed email is about no programme: administrators only; managers get 404.
    "notifications:resend": {
        "status": {
            **posted({"administrator"}, denied=403)["status"],
            "programme_manager": 404,
            "other_programme_manager": 404,
        },
        "changed": {"administrator"},
    },  # fmt: skip
    # The milestone is not reported complete and the award is still active: both refused.
    "awards:milestone_confirm": posted(MANAGERS, changed=set()),
    "awards:close": posted(MANAGERS, changed=set()),
    "awards:accept": posted({"signatory"}),
    "awards:decline": posted({"signatory"}),
    "awards:evidence_remove": posted({"lead_officer", "signatory", "certifier"}),  # the world's return is still due
    "reporting:export_new": posted(STAFF),
    # Finance and the board may read the report but not write its summary: redirected, unchanged.
    "reporting:board_summary": posted(MANAGERS | {"finance_officer", "board_viewer"}, changed=MANAGERS),
    "reporting:open_data_publish": posted({"administrator"}),
    "reporting:open_data_withdraw": posted({"administrator"}),
    "grants:staff_programme_manager_add": posted({"administrator"}, denied=403),
    "grants:staff_programme_manager_remove": posted({"administrator"}, denied=403),
    # Issue 16, clarifications: the managers close the open question; nobody else reaches it.
    "applications:clarification_close": posted(MANAGERS),
    # Issue 16, notes: managers note bids; managers and finance officers note awards and returns.
    "applications:bid_note_add": posted(MANAGERS),
    "awards:award_note_add": posted(MANAGERS | {"finance_officer"}),
    "awards:return_note_add": posted(MANAGERS | {"finance_officer"}),
    # Issue 16, EOI triage: nothing is proposed in the world, so confirming changes nothing.
    "scoring:eoi_confirm": posted(MANAGERS, changed=set()),
    # Issue 16, EOI criteria: nothing is scored in the world, so the managers may remove it.
    "scoring:eoi_criterion_delete": posted(MANAGERS),
    # Issue 16, follow-ups: the programme's managers mark the world's due follow-up done.
    "awards:contact_followed_up": posted(MANAGERS),
    # Issue 17, commitments: the programme's managers remove the world's commitment.
    "reporting:commitment_remove": posted(MANAGERS),
    # Issue 17, standing partnerships: the programme's managers record the partner council leaving
    # and the other council joining; member councils read the partnership but change nothing.
    "awards:partnership_member_add": posted(MANAGERS),
    "awards:partnership_member_leave": posted(MANAGERS),
    # Forming one for the world's programme: its managers do; another programme's manager is shown
    # the form again (the programme is not one of their choices) and nothing is formed.
    "awards:partnership_new": {
        "status": {**posted(MANAGERS)["status"], "other_programme_manager": 200},
        "changed": MANAGERS,
    },
}
# Issue 18: confirming the programme manager's checked import saves its award (audited).
POSTED["awards:import_confirm"] = posted(MANAGERS)
# Issue 17, outputs: awards:forecast and awards:rebaseline_new are form pages (GET and POST), so
# the GET matrix holds them; their POSTs are checked by tests/awards/test_output_forecasts.py.

# Must be here even if they gain a GET page (a confirmation step), as they destroy or end things.
ALWAYS_POSTED = {
    "applications:evidence_delete",
    "applications:staff_delete",
    "scoring:interest_remove",
    "scoring:eoi_criterion_delete",
    "awards:close",
    "awards:evidence_remove",
    "reporting:commitment_remove",  # Issue 17, commitments
    # Issue 17: forms with a page, POSTed by everyone too, as they change who counts in reach.
    "awards:partnership_member_add",
    "awards:partnership_member_leave",
    "awards:partnership_new",
}


def _data(name: str, world) -> dict:
    """What each page's own form sends (buttons and hidden fields)."""
    return {
        "applications:evidence_delete": {"section": world.draft_section.pk},
        "scoring:assignment_withdraw": {"reason": "Reassigned"},
        "awards:accept": {"name": "Sam Signer", "role": "Chief Executive", "confirm_terms": "on"},
        "awards:decline": {"reason": "We cannot deliver it this year"},
        "awards:close": {"reason": "Delivered"},
        "reporting:export_new": {"table": "awards", "format": "csv"},
        "reporting:board_summary": {"summary": "On track", "as_at": "2026-03-31"},
        "reporting:open_data_publish": {"format": "json"},
        "grants:staff_programme_manager_add": {"email": world.personas.other_programme_manager.email},
        # Issue 16, notes
        "applications:bid_note_add": {"note-text": "Matrix note", "note-visibility": "panel"},
        "awards:award_note_add": {"note-text": "Matrix note"},
        "awards:return_note_add": {"note-text": "Matrix note"},
        # Issue 17, standing partnerships
        "awards:partnership_member_add": {
            "organisation": world.personas.other_org.code,
            **_day("joined_on", timezone.localdate()),
        },
        "awards:partnership_member_leave": _day("left_on", timezone.localdate()),
        "awards:partnership_new": {
            "programme": world.personas.programme.pk,
            "name": "Matrix partnership",
            "lead": world.personas.lead_org.code,
            "members": world.personas.other_org.code,
            **_day("formed_on", timezone.localdate()),
        },
    }.get(name, {})


def _day(field: str, day) -> dict:
    return {f"{field}_0": day.day, f"{field}_1": day.month, f"{field}_2": day.year}


def _snapshot(name: str, world) -> Callable[[], object]:
    """What a POST that did its work changes: an audit record (every service writes one), or for
    notifications (not audited) the lead officer's notification and her failed email."""
    if name.startswith("notifications:"):
        ids = (world.notification.pk, world.failed_email.pk)
        return lambda: list(Notification.objects.filter(pk__in=ids).order_by("pk").values_list("read_at", "status"))
    return AuditEvent.objects.count


def post_only_names() -> set[str]:
    return {name for name, row in EXPECTED.items() if 405 in row.values()} | ALWAYS_POSTED


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_every_post_only_url_for_every_persona(personas, world):
    by_persona = clients(personas)
    by_name = {p.name: p for p in patterns()}
    problems = []
    for name in sorted(post_only_names()):
        if name not in POSTED:
            problems.append(f"{name}: POST-only, missing from POSTED")
            continue
        url = url_for(by_name[name], world)
        for who in PERSONAS:
            response, changed = isolated_change(
                by_persona[who], "post", url, _snapshot(name, world), data=_data(name, world)
            )
            want = POSTED[name]["status"][who]
            if response.status_code != want:
                problems.append(f"{name} POST {url} as {who}: expected {want}, got {response.status_code}")
            if changed != (who in POSTED[name]["changed"]):
                problems.append(f"{name} POST {url} as {who}: {'changed' if changed else 'changed nothing'}")
    assert not problems, "\n".join(problems)


def test_posted_has_no_stale_rows():
    assert set(POSTED) <= set(EXPECTED), sorted(set(POSTED) - set(EXPECTED))


# Rows that no persona of the matrix can use, each with the reason. A row that answers 404 to
# everyone proves nothing: the world lacks the object, or the URL is filled wrongly.
NOBODY_CAN_USE: dict[str, str] = {
    # Issue 18: a session opens no API call; tests/security/test_api_matrix.py walks each with tokens.
    **dict.fromkeys(API_OPERATIONS, "tokens only: tests/security/test_api_matrix.py"),
    "api_v1:api-root": "django-ninja's root of /api/v1/, no page: 404 to everyone",
}


def test_every_row_lets_someone_in():
    """Someone signed in gets a page or a redirect (for a POST-only row: to a POST), or the page is
    public: otherwise the row cannot fail when access breaks."""
    useless = []
    for name, row in EXPECTED.items():
        if name in NOBODY_CAN_USE:
            continue
        used = row["anonymous"] == 200 or any(row[who] in (200, 302) for who in SIGNED_IN)
        if name in POSTED:
            used = used or any(POSTED[name]["status"][who] in (200, 302) for who in SIGNED_IN)
        if not used:
            useless.append(f"{name}: {row}")
    assert not useless, "Rows nobody can use (fix the world or the URL, or explain in NOBODY_CAN_USE):\n" + "\n".join(
        useless
    )
