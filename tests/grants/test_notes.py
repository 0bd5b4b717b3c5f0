"""Internal notes (issue 16): staff add them to a bid, an award or a return; the panel reads the
bid's notes shared with it; councils and conflicted panel members read none, anywhere."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from grants.awards.services import contact_log
from grants.models import AuditEvent, Note, NoteVisibility
from grants.notes import add_note
from tests import factories as f
from tests.security.observe import clients
from tests.security.urlwalk import patterns, url_for
from tests.security.world import build_world

STAFF_TEXT = "Staff only: the finance director is leaving in March"
PANEL_TEXT = "For the panel: the partnership letter arrived late"
AWARD_TEXT = "Award note: payment held pending the audit"
RETURN_TEXT = "Return note: savings figure looks optimistic"
CONTACT_TEXT = "Call with Jo Bloggs, project lead"


@pytest.fixture
def world(personas):
    return build_world(personas)


def _post_bid_note(client, bid, text, visibility="staff"):
    return client.post(
        reverse("applications:bid_note_add", args=[bid.pk]), {"note-text": text, "note-visibility": visibility}
    )


def test_manager_adds_a_staff_only_note_shown_newest_first_with_author(client_for, personas, world):
    manager = client_for(personas.programme_manager)
    assert _post_bid_note(manager, world.bid, "First note").status_code == 302
    response = _post_bid_note(manager, world.bid, STAFF_TEXT)
    assert response.status_code == 302
    page = manager.get(reverse("applications:bid_detail", args=[world.bid.pk])).content.decode()
    assert page.index(STAFF_TEXT) < page.index("First note")
    assert escape(str(personas.programme_manager)) in page  # a name may hold an apostrophe (O'Connor)
    note = Note.objects.get(text=STAFF_TEXT)
    assert note.visibility == NoteVisibility.STAFF and note.target == world.bid
    # Audited against the note itself, so no bid history (which councils read) lists it.
    assert AuditEvent.objects.filter(action="note.add", target_type="grants.note", target_id=str(note.pk)).exists()
    assert not AuditEvent.objects.filter(action="note.add", target_type="applications.bid").exists()


def test_board_viewer_reads_notes_but_has_no_form(client_for, personas, world):
    add_note(target=world.bid, actor=personas.programme_manager, text=STAFF_TEXT, may_add=True)
    page = client_for(personas.board_viewer).get(reverse("applications:bid_detail", args=[world.bid.pk]))
    assert STAFF_TEXT in page.content.decode()
    assert 'name="note-text"' not in page.content.decode()


def test_empty_note_shows_an_error_on_the_page_and_saves_nothing(client_for, personas, world):
    response = _post_bid_note(client_for(personas.programme_manager), world.bid, "   ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Enter the note" in page
    assert "<title>Error:" in page
    assert not Note.objects.exists()


def test_unknown_visibility_is_refused_on_the_page(client_for, personas, world):
    response = _post_bid_note(client_for(personas.programme_manager), world.bid, "Kept text", visibility="council")
    assert response.status_code == 200
    assert "Kept text" in response.content.decode()  # nothing typed is lost
    assert not Note.objects.exists()


def test_panel_visibility_is_not_offered_on_awards(client_for, personas, world):
    page = client_for(personas.programme_manager).get(reverse("awards:detail", args=[world.award.pk])).content.decode()
    assert 'name="note-text"' in page and 'name="note-visibility"' not in page
    with pytest.raises(Exception, match="Choose who can read"):
        add_note(target=world.award, actor=personas.programme_manager, text="x", may_add=True, visibility="panel")


def test_panel_note_shows_to_the_assigned_assessor_and_chair_but_not_staff_only_ones(client_for, personas, world):
    add_note(target=world.bid, actor=personas.programme_manager, text=STAFF_TEXT, may_add=True)
    add_note(
        target=world.bid,
        actor=personas.programme_manager,
        text=PANEL_TEXT,
        may_add=True,
        visibility=NoteVisibility.PANEL,
        allow_panel=True,
    )
    slug = world.round.slug
    assess = client_for(personas.assessor).get(reverse("scoring:assess_bid", args=[slug, world.bid.pk]))
    assert assess.status_code == 200
    assert PANEL_TEXT in assess.content.decode() and STAFF_TEXT not in assess.content.decode()
    chair = client_for(personas.panel_chair).get(reverse("scoring:moderate_bid", args=[slug, world.bid.pk]))
    assert chair.status_code == 200
    assert PANEL_TEXT in chair.content.decode() and STAFF_TEXT not in chair.content.decode()


def test_conflicted_assessor_cannot_add_or_reach_the_notes(client_for, personas, world):
    conflicted = client_for(personas.conflicted_assessor)
    assert _post_bid_note(conflicted, world.bid, "Sneaky").status_code == 404
    url = reverse("scoring:assess_bid", args=[world.round.slug, world.bid.pk])
    assert conflicted.get(url).status_code == 404
    assert not Note.objects.exists()


def test_finance_officer_notes_awards_and_returns_but_not_bids(client_for, personas, world):
    finance = client_for(personas.finance_officer)
    assert _post_bid_note(finance, world.bid, "No").status_code == 404
    url = reverse("awards:award_note_add", args=[world.award.pk])
    assert finance.post(url, {"note-text": AWARD_TEXT}).status_code == 302
    url = reverse("awards:return_note_add", args=[world.award.pk, world.mreturn.pk])
    assert finance.post(url, {"note-text": RETURN_TEXT}).status_code == 302
    award_page = finance.get(reverse("awards:detail", args=[world.award.pk])).content.decode()
    return_page = finance.get(reverse("awards:return", args=[world.award.pk, world.mreturn.pk])).content.decode()
    assert AWARD_TEXT in award_page and RETURN_TEXT not in award_page
    assert RETURN_TEXT in return_page and AWARD_TEXT not in return_page


def test_refused_return_note_keeps_the_return_page_and_its_review_untouched(client_for, personas, world):
    url = reverse("awards:return_note_add", args=[world.award.pk, world.mreturn.pk])
    response = client_for(personas.programme_manager).post(url, {"note-text": ""})
    assert response.status_code == 200
    assert "Enter the note" in response.content.decode()
    assert not Note.objects.exists()


def test_councils_and_conflicted_people_see_no_note_on_any_page(personas, world):
    """Every URL of the project, asked by each council persona and each conflicted one: none
    shows any internal note, whatever its visibility, nor the contact log."""
    manager = personas.programme_manager
    add_note(target=world.bid, actor=manager, text=STAFF_TEXT, may_add=True)
    add_note(target=world.bid, actor=manager, text=PANEL_TEXT, may_add=True, visibility="panel", allow_panel=True)
    add_note(target=world.award, actor=manager, text=AWARD_TEXT, may_add=True)
    add_note(target=world.mreturn, actor=manager, text=RETURN_TEXT, may_add=True)
    contact_log(
        award=world.award,
        actor=manager,
        held_on=date.today() - timedelta(days=1),
        kind="phone",
        participants=CONTACT_TEXT,
        agreed=CONTACT_TEXT,
        follow_up_by=date.today() + timedelta(days=7),
    )
    texts = (STAFF_TEXT, PANEL_TEXT, AWARD_TEXT, RETURN_TEXT, CONTACT_TEXT, "Internal notes", "Contact log")
    by_persona = clients(personas)
    walkers = ("lead_officer", "signatory", "partner_officer", "conflicted_assessor", "conflicted_lead_officer")
    reached = 0
    for pattern in patterns():
        url = url_for(pattern, world)
        for who in walkers:
            response = by_persona[who].get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            reached += 1
            body = response.content.decode()
            leaked = [t for t in texts if t in body]
            assert not leaked, f"{who} sees {leaked} on {url}"
    assert reached > 30  # the walk did reach the councils' bid and award pages
    # The same walk would catch a leak: staff do see the notes on these pages.
    staff_page = by_persona["programme_manager"].get(reverse("applications:bid_detail", args=[world.bid.pk]))
    assert STAFF_TEXT in staff_page.content.decode()
    staff_award = by_persona["programme_manager"].get(reverse("awards:detail", args=[world.award.pk]))
    assert AWARD_TEXT in staff_award.content.decode() and CONTACT_TEXT in staff_award.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("where", ["bid", "award", "return", "assess"])
def test_pages_listing_notes_stay_flat_in_queries(client_for, personas, world, where):
    target = {"bid": world.bid, "award": world.award, "return": world.mreturn, "assess": world.bid}[where]
    url, viewer = {
        "bid": (reverse("applications:bid_detail", args=[world.bid.pk]), personas.programme_manager),
        "award": (reverse("awards:detail", args=[world.award.pk]), personas.programme_manager),
        "return": (reverse("awards:return", args=[world.award.pk, world.mreturn.pk]), personas.programme_manager),
        "assess": (reverse("scoring:assess_bid", args=[world.round.slug, world.bid.pk]), personas.assessor),
    }[where]
    client = client_for(viewer)

    def note(n):
        author = f.UserFactory()
        add_note(target=target, actor=author, text=f"Note {n}", may_add=True, visibility="panel", allow_panel=True)

    note(0)
    one = _queries(client, url)
    for n in range(1, 6):
        note(n)
    assert _queries(client, url) == one
