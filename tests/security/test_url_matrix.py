"""The access-control matrix: every URL pattern of the project for every persona.

Patterns are discovered from the resolver (tests/security/urlwalk.py), so a new URL fails this
test until someone writes down who may see it in EXPECTED (a GET). A POST-only action (405 to a
GET) is also POSTed by every persona, against POSTED, inside a transaction that is rolled back.
All mismatches are reported at once.

Conventions of the service (from the developers' guide and the foundation):
- anonymous users are sent to sign in (302), except on public pages;
- an object or round page the user may not see answers 404 (no hint that it exists);
- council pages are for people acting for a council (an officer or signatory there): being
  linked to it is not enough, and a panel member conflicted on a bid reaches none of its pages
  or its award's, whatever their council role (tests/security/test_conflict_walk.py walks them);
- every page under /staff/ refuses anyone without a staff role: the foundation's staff area
  (/staff/, organisations, programmes, people) answers 403, the other apps' staff pages 404
  (`test_staff_pages_refuse_everyone_without_a_staff_role` keeps it so);
- POST-only actions answer 405 to a GET.
"""

import pytest

from .observe import clients, isolated, people
from .test_headers import DOWNLOADS, Report
from .urlwalk import patterns, url_for
from .world import build_world

PERSONAS = (
    "anonymous",
    "lead_officer",
    "partner_officer",
    "other_officer",
    "assessor",
    "conflicted_assessor",
    "panel_chair",
    "programme_manager",
    "other_programme_manager",
    "finance_officer",
    "board_viewer",
    "administrator",
    # The lead council's authorised signatory: accepts or declines an offered award.
    "signatory",
    # tests/security/world.py's: linked to the lead council with no council role; officers of
    # the lead and the partner council who sit on the round's panel (conflicted on the bid).
    "lead_no_role",
    "conflicted_lead_officer",
    "conflicted_partner_officer",
    # Issue 17: the lead council's certifier (section 151 officer or delegate).
    "certifier",
)
COUNCILS = {"lead_officer", "partner_officer", "other_officer"}
# Conflicted on the world's bid: the conftest's assessor (employed by the lead council, no
# council role, an interest declared) and the two council officers on the panel.
CONFLICTED = {"conflicted_assessor", "conflicted_lead_officer", "conflicted_partner_officer"}
PANEL = {"assessor", "panel_chair"} | CONFLICTED
STAFF = {"programme_manager", "other_programme_manager", "finance_officer", "board_viewer", "administrator"}
MANAGERS = {"programme_manager", "administrator"}  # may change this programme
VIEWERS = MANAGERS | {"finance_officer", "board_viewer"}  # may read this programme
# Acting for the lead council: its officer and signatory. Nobody linked to it without a council
# role, and no conflicted officer, reads its bids and awards.
LEAD_COUNCIL = {"lead_officer", "signatory", "certifier"}
BID_READERS = LEAD_COUNCIL | {"partner_officer", "assessor", "panel_chair"} | VIEWERS
AWARD_READERS = LEAD_COUNCIL | {"partner_officer"} | VIEWERS


def allow(ok: set, *, denied: int = 404, anonymous: int = 302) -> dict[str, int]:
    table = {who: (200 if who in ok else denied) for who in PERSONAS}
    table["anonymous"] = anonymous
    return table


def public() -> dict[str, int]:
    return dict.fromkeys(PERSONAS, 200)


def signed_in() -> dict[str, int]:
    return allow(set(PERSONAS))


def post_only(*, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    return {**dict.fromkeys(PERSONAS, 405), "anonymous": anonymous, **overrides}


def foundation_staff(ok: set, *, denied_staff: int = 404) -> dict[str, int]:
    """grants' staff area: 403 to non-staff, 404 to staff of another programme."""
    table = allow(ok, denied=403)
    for who in STAFF - ok:
        table[who] = denied_staff
    return table


API_OPERATIONS = [
    f"api_v1:{name}"
    for name in ("me", "programmes", "programme", "rounds", "round", "bids", "bid", "awards", "award",
                 "payments", "payment", "returns", "return")
]  # fmt: skip

EXPECTED: dict[str, dict[str, int]] = {
    # Public pages.
    "home": public(),
    "healthz": public(),
    "readyz": public(),
    "metrics": allow(STAFF, anonymous=404),
    "accessibility": public(),
    "privacy": public(),
    "cookies": public(),
    "help": public(),
    "grants:round_list": public(),
    "grants:round_detail": public(),
    "grants:round_prospectus": public(),
    "grants:organisation_search_json": signed_in(),
    # Foundation staff area.
    "grants:staff_home": allow(STAFF, denied=403),
    "grants:staff_organisations": allow(STAFF, denied=403),
    "grants:staff_organisation_create": allow(
        {"programme_manager", "other_programme_manager", "administrator"}, denied=403
    ),
    "grants:staff_programme_create": allow(
        {"programme_manager", "other_programme_manager", "administrator"}, denied=403
    ),
    "grants:staff_organisation_edit": allow(
        {"programme_manager", "other_programme_manager", "administrator"}, denied=403
    ),
    "grants:staff_users": allow({"administrator"}, denied=403),
    "grants:staff_user": allow({"administrator"}, denied=403),
    # Issue 18, personal data: subject-access export and erasure, administrators only (the forms;
    # test_subject_access.py and test_erasure.py POST them as other personas).
    "grants:staff_user_personal_data": allow({"administrator"}, denied=403),
    "grants:staff_user_erase": allow({"administrator"}, denied=403),
    "grants:staff_programme_manager_add": {**allow(set(), denied=403), "administrator": 405},
    "grants:staff_programme_manager_remove": {**allow(set(), denied=403), "administrator": 405},
    "grants:staff_programme_detail": foundation_staff(VIEWERS),
    "grants:staff_programme_edit": foundation_staff(MANAGERS),
    "grants:staff_round_create": foundation_staff(MANAGERS),
    "grants:staff_round_edit": foundation_staff(MANAGERS),
    # Bidding, council side. bid_start answers every signed-in user with a page (eligibility reasons).
    "applications:bid_dashboard": signed_in(),
    "applications:bid_start": signed_in(),
    "applications:partner_search_json": signed_in(),  # lists only organisations that may be partners
    "applications:bid_detail": allow(BID_READERS),
    "applications:bid_history": allow(BID_READERS),
    "applications:evidence_download": allow(BID_READERS),
    "applications:bid_submitted": allow(LEAD_COUNCIL),
    "applications:bid_withdraw": allow({"lead_officer"}),
    # The invitation is in the draft round, whose bids no panel assesses: the partner council's
    # officer on this round's panel has no conflict there.
    "applications:partner_respond": allow({"partner_officer", "conflicted_partner_officer"}),
    # Draft-only pages (the draft bid): only the lead council's officers working on it.
    "applications:bid_details": allow({"lead_officer"}),
    "applications:bid_partners": allow({"lead_officer"}),
    "applications:bid_collaborators": allow({"lead_officer"}),
    "applications:bid_section": allow({"lead_officer"}),
    "applications:bid_check": allow({"lead_officer"}),
    "applications:evidence_delete": post_only(anonymous=405),
    # Bidding, staff side.
    "applications:staff_bid_list": allow(VIEWERS),
    "applications:staff_bid_export": allow(VIEWERS),
    "applications:staff_bid_return": allow(MANAGERS),
    "applications:staff_bid_ineligible": allow(MANAGERS),
    "applications:staff_extensions": allow(MANAGERS),
    "applications:staff_questions": allow(MANAGERS),
    "applications:staff_section_create": allow(MANAGERS),
    "applications:staff_section_edit": allow(MANAGERS),
    "applications:staff_question_create": allow(MANAGERS),
    "applications:staff_question_edit": allow(MANAGERS),
    "applications:staff_delete": allow(MANAGERS),  # GET asks "Are you sure?"; POST deletes
    # Assessment: only assigned, declared, unconflicted panel members reach a bid.
    "scoring:my_rounds": signed_in(),
    "scoring:queue": allow(PANEL),
    "scoring:declaration": allow(PANEL),
    "scoring:interest_remove": post_only(),
    "scoring:assess_bid": allow({"assessor", "panel_chair"}),
    "scoring:conflict": allow({"assessor", "panel_chair"}),
    "scoring:panel": allow(MANAGERS),
    "scoring:panel_settings": allow(MANAGERS),
    "scoring:criterion_create": allow(MANAGERS),  # scoring has started: the form with an error
    "scoring:criterion_edit": allow(MANAGERS),
    "scoring:criterion_delete": post_only(),
    "scoring:assignments": allow(MANAGERS),
    "scoring:assignment_withdraw": post_only(),
    "scoring:interests": allow(MANAGERS),
    "scoring:panel_members": allow(MANAGERS),
    "scoring:panel_member_chair": post_only(),
    "scoring:panel_member_remove": post_only(),
    "scoring:moderation": allow(MANAGERS | {"panel_chair"}),
    "scoring:moderate_bid": allow(MANAGERS | {"panel_chair"}),
    "scoring:ranking": allow(VIEWERS),
    "scoring:export_scores": allow(VIEWERS),
    "scoring:panel_pack": allow(VIEWERS),
    "scoring:decision_edit": allow(MANAGERS),
    "scoring:decisions_confirm": post_only(),
    # Notifications: each user's own; the failed-email list is the administrators'.
    "notifications:centre": signed_in(),
    "notifications:preferences": signed_in(),
    "notifications:mark_all_read": post_only(),
    "notifications:mark_read": post_only(),
    "notifications:open": {**allow(set()), "lead_officer": 302},  # marks read, then goes to its page
    # Programme managers see the failed emails about their own programmes (the list filters inside).
    "notifications:failed_list": allow({"administrator", "programme_manager", "other_programme_manager"}, denied=403),
    "notifications:resend": {
        **allow(set(), denied=403),
        **dict.fromkeys(("administrator", "programme_manager", "other_programme_manager"), 405),
    },
    # Awards, council side.
    "awards:dashboard": signed_in(),
    "awards:detail": allow(AWARD_READERS),
    "awards:offer_letter": allow(AWARD_READERS),
    "awards:offer_pdf": allow(AWARD_READERS),
    "awards:return": allow(AWARD_READERS),
    "awards:accept": allow({"signatory"}),
    # Issue 17: the lead council's certifier only; the world's return is not awaiting
    # certification, so the page sends them back to the return.
    "awards:return_certify": {**allow(set()), "certifier": 302},
    "awards:decline": allow({"signatory"}),
    "awards:milestone_update": allow(LEAD_COUNCIL),
    "awards:variation_new": allow(LEAD_COUNCIL),
    "awards:closure": allow(LEAD_COUNCIL),
    # Evidence files: the lead council's officers and the programme's staff, not partner councils.
    "awards:evidence_download": allow(LEAD_COUNCIL | VIEWERS),
    "awards:evidence_remove": post_only(anonymous=405),
    # Awards, staff side.
    "awards:offer_terms": allow(MANAGERS),  # on the offered award
    "awards:historic_new": allow(MANAGERS | {"other_programme_manager"}),  # for their own programmes' rounds
    # Issue 18, import of history: managers upload; a job is its uploader's (and administrators').
    "awards:import_start": allow(MANAGERS | {"other_programme_manager"}),
    "awards:import_template": allow(MANAGERS | {"other_programme_manager"}),
    "awards:import_detail": allow(MANAGERS),
    "awards:import_confirm": post_only(),
    "awards:tranches": allow(MANAGERS),
    "awards:payment": allow({"finance_officer"}),
    "awards:milestone_add": allow(MANAGERS),
    "awards:milestone_confirm": post_only(anonymous=405),
    "awards:variation_decide": allow(MANAGERS),
    "awards:fund_return_new": allow(MANAGERS | {"finance_officer"}),
    "awards:end": allow(MANAGERS),
    "awards:close": post_only(anonymous=405),
    "awards:portfolio": allow(STAFF),
    "awards:targets": allow(MANAGERS),
    "awards:round_monitoring": allow(VIEWERS),
    "awards:return_period_edit": allow(MANAGERS),
    "scoring:round_index": allow(STAFF),
    # Reporting (new): staff pages filter by programme inside; open data is public.
    "reporting:dashboard": allow(STAFF),
    "reporting:download": allow(STAFF),
    "reporting:export_new": post_only(anonymous=405),
    "reporting:export_detail": allow({"programme_manager"}),  # only whoever asked for the export
    "reporting:export_file": allow({"programme_manager"}),
    "reporting:export_status": allow({"programme_manager"}),
    "reporting:board_report": allow(STAFF),
    "reporting:board_report_pdf": allow(STAFF),
    "reporting:board_summary": post_only(anonymous=405),
    "reporting:open_data_staff": allow(STAFF),
    "reporting:open_data_publish": post_only(anonymous=405),
    "reporting:open_data_withdraw": post_only(anonymous=405),
    "reporting:council_search": allow(STAFF),
    "reporting:council_profile": allow(STAFF),
    "reporting:open_data": public(),
    "reporting:open_data_file": public(),
    # Issue 16, clarifications: asked by the programme's managers and the bid's assigned,
    # unconflicted assessors; answered by the lead council; closed by the managers (POST only).
    "applications:clarification_ask": allow(MANAGERS | {"assessor", "panel_chair"}),
    "applications:clarification_answer": allow(LEAD_COUNCIL),
    "applications:clarification_close": post_only(),
    # Issue 16, joining a council: anyone signed in may ask; the lead council's signatory and
    # administrators decide the world's request (at the lead council's domain); the staff pages
    # are administrators' alone.
    "grants:join": signed_in(),
    "grants:join_requests": allow({"signatory", "administrator"}),
    "grants:join_request": allow({"signatory", "administrator"}),
    "grants:staff_join_requests": allow({"administrator"}, denied=403),
    "grants:staff_organisation_domains": allow({"administrator"}, denied=403),
    # Issue 16, questions and PDFs: a published round's questions are public (page and PDF); the
    # bid as a PDF for whoever may read its answers (the world's bid is submitted).
    "applications:round_questions": public(),
    "applications:round_questions_pdf": public(),
    "applications:bid_pdf": allow(BID_READERS),
    # Issue 16, notes: internal notes (POST-only) and the contact log, programme staff only.
    "applications:bid_note_add": post_only(),
    "awards:award_note_add": post_only(),
    "awards:return_note_add": post_only(),
    "awards:contact_add": allow(MANAGERS),
    # Issue 16, EOI triage: staff who may read the programme see the list; its managers propose.
    "scoring:eoi_triage": allow(VIEWERS),
    "scoring:eoi_propose": allow(MANAGERS),
    "scoring:eoi_confirm": post_only(),
    # Issue 16, EOI criteria: the programme's managers set them (and score on eoi_propose).
    "scoring:eoi_criteria": allow(MANAGERS),
    "scoring:eoi_criterion_create": allow(MANAGERS),
    "scoring:eoi_criterion_edit": allow(MANAGERS),
    "scoring:eoi_criterion_delete": post_only(),
    # Issue 16, follow-ups due: the list for staff who see the portfolio (each their programmes');
    # marking one done is the programme managers' (POST only).
    "awards:follow_ups": allow(STAFF),
    "awards:contact_followed_up": post_only(),
    # Issue 17, commitments and deliverables: staff who may read the programme read them; its
    # managers change them (removing a commitment is POST only).
    "reporting:commitments": allow(VIEWERS),
    "reporting:commitment_add": allow(MANAGERS),
    "reporting:commitment_edit": allow(MANAGERS),
    "reporting:commitment_remove": post_only(anonymous=405),
    "reporting:deliverables": allow(VIEWERS),
    "reporting:deliverable_add": allow(MANAGERS),
    "reporting:deliverable": allow(VIEWERS),
    # Issue 17, outputs: an output's forecast is recorded by the lead council and the programme's
    # managers; a new baseline is a variation the lead council asks for.
    "awards:forecast": allow(LEAD_COUNCIL | MANAGERS),
    "awards:rebaseline_new": allow(LEAD_COUNCIL),
    # Issue 17, benefits after closure: a completed award's benefits return is read by whoever
    # reads the award (the lead council sends it, the managers review it); projected benefits are
    # the managers'. The completed award was entered without a bid, so no panel conflict bars the
    # lead and partner councils' officers who sit on the round's panel.
    "awards:benefits_return": allow(AWARD_READERS | {"conflicted_lead_officer", "conflicted_partner_officer"}),
    "awards:benefits_projection": allow(MANAGERS),
    # Issue 17, standing partnerships: staff list those of the programmes they see; the
    # programme's staff and officers of member councils read one; its managers change members.
    "awards:partnerships": allow(STAFF),
    "awards:partnership": allow(
        VIEWERS | LEAD_COUNCIL | {"partner_officer", "conflicted_lead_officer", "conflicted_partner_officer"}
    ),
    # Whoever manages a programme forms a partnership (for the programmes they manage).
    "awards:partnership_new": allow(MANAGERS | {"other_programme_manager"}),
    "awards:partnership_member_add": allow(MANAGERS),
    "awards:partnership_member_leave": allow(MANAGERS),
    # Issue 18, the API. A session opens no API call (tokens only: tests/security/test_api_matrix.py
    # walks each operation with every persona's token); its schema and docs are public; the
    # token page is every signed-in person's own (two-factor asked for on the page).
    **{name: dict.fromkeys(PERSONAS, 401) for name in API_OPERATIONS},
    "api_v1:openapi-json": public(),
    "api_v1:api-root": dict.fromkeys(PERSONAS, 404),  # django-ninja's root of /api/v1/: no page
    "api:docs": public(),
    "api:tokens": signed_in(),
    "api:token_revoke": post_only(),
}


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_every_url_for_every_persona(personas, world):
    """The access matrix, and on the same responses the headers' promises (test_headers.py's
    Report): one walk of every URL as every persona serves both, as it is most of their time."""
    by_persona = clients(personas)
    missing, mismatches = [], []
    headers = Report()
    for pattern in patterns():
        url = url_for(pattern, world)
        got = {}
        for who in PERSONAS:
            response = isolated(by_persona[who], "get", url)
            headers.check(pattern.name, url, who, response)
            got[who] = response.status_code
        if pattern.name not in EXPECTED:
            missing.append(f"{pattern.name} {url} (answers now: {got})")
            continue
        for who in PERSONAS:
            if got[who] != EXPECTED[pattern.name][who]:
                mismatches.append(
                    f"{pattern.name} {url} as {who}: expected {EXPECTED[pattern.name][who]}, got {got[who]}"
                )
    report = []
    if missing:
        report += ["URL patterns missing from the matrix (add them to EXPECTED):", *missing]
    if mismatches:
        report += ["Access differs from the matrix:", *mismatches]
    assert not report, "\n".join(report)
    headers.assert_clean()
    # The walk really read the pages and fetched the files (361 HTML pages when this was written).
    assert headers.html_pages > 300, headers.html_pages
    assert DOWNLOADS <= headers.downloads, sorted(DOWNLOADS - headers.downloads)


def test_matrix_has_no_stale_rows():
    """A row for a URL that no longer exists is a row nobody checks."""
    names = {p.name for p in patterns()}
    assert set(EXPECTED) <= names, sorted(set(EXPECTED) - names)


def test_matrix_covers_every_persona():
    for name, row in EXPECTED.items():
        assert set(row) == set(PERSONAS), name


# Pages every signed-in user reaches, that must list only what is theirs: (url name, kwargs,
# outsider, insider, texts). The outsider must not see the texts; the insider must (so the probe
# is known to look at the right page). The texts are world objects' names or references.
def _leak_probes(world):
    p = world.personas
    who = people(p)
    bid = [world.bid.title, world.bid.reference]
    award = [world.award.title]
    programme = world.round.programme.name
    return [
        ("applications:bid_dashboard", {}, p.other_officer, p.lead_officer, bid),
        ("awards:dashboard", {}, p.other_officer, p.lead_officer, award),
        # Linked to the lead council without a role, or conflicted on its bid: the dashboards
        # leave out what the council pages would refuse. (The conflicted officers do see the
        # draft bid of the same title in the draft round, which no panel assesses: the reference
        # is the submitted bid's alone.)
        ("applications:bid_dashboard", {}, who["lead_no_role"], p.lead_officer, bid),
        ("awards:dashboard", {}, who["lead_no_role"], p.lead_officer, award),
        ("applications:bid_dashboard", {}, who["conflicted_lead_officer"], p.lead_officer, [world.bid.reference]),
        ("awards:dashboard", {}, who["conflicted_lead_officer"], p.lead_officer, award),
        ("applications:bid_dashboard", {}, who["conflicted_partner_officer"], p.partner_officer,
         [world.bid.reference]),
        ("awards:dashboard", {}, who["conflicted_partner_officer"], p.partner_officer, award),
        ("notifications:centre", {}, p.other_officer, p.lead_officer, [world.notification.subject]),
        ("scoring:round_index", {}, p.lead_officer, p.programme_manager, [world.round.name]),
        ("scoring:my_rounds", {}, p.other_officer, p.assessor, [world.round.name]),
        ("scoring:queue", {"slug": world.round.slug}, p.conflicted_assessor, p.assessor, bid),
        ("awards:portfolio", {}, p.other_programme_manager, p.programme_manager, [world.award.reference]),
        ("awards:follow_ups", {}, p.other_programme_manager, p.programme_manager,
         [world.award.reference, world.contact.agreed]),
        # Reporting: every figure and filter is limited to the programmes the member of staff may see.
        ("reporting:dashboard", {}, p.other_programme_manager, p.programme_manager, [world.round.name, programme]),
        ("reporting:board_report", {}, p.other_programme_manager, p.programme_manager, [programme]),
        ("reporting:council_profile", {"code": p.lead_org.code}, p.other_programme_manager, p.programme_manager,
         [*bid, world.award.reference]),
        ("reporting:open_data_staff", {}, p.other_programme_manager, p.programme_manager, [world.round.name, programme]),
    ]  # fmt: skip


def test_shared_pages_list_only_what_is_theirs(personas, world):
    from django.urls import reverse
    from django.utils.html import escape

    by_user = {user: client for who, client in clients(personas).items() if (user := people(personas)[who])}
    problems = []
    for name, kwargs, outsider, insider, secrets in _leak_probes(world):
        url = reverse(name, kwargs=kwargs)
        seen = isolated(by_user[outsider], "get", url).content.decode()
        answer = isolated(by_user[insider], "get", url)
        control = answer.content.decode()
        for secret in map(escape, secrets):
            if secret in seen:
                problems.append(f"LEAK: {url} as {outsider.email} shows {secret!r}")
            if secret not in control:
                problems.append(
                    f"probe broken: {url} as {insider.email} does not show {secret!r} ({answer.status_code})"
                )
    assert not problems, "\n".join(problems)
