"""Issue 16's demo, as a newcomer meets it: the Productivity Experts two-stage round triaged
(invited, declined, waiting), a conditional question answered both ways, clarification questions
(one answered, one open), and internal notes and a contact log that no council page shows."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Bid, BidStage, BidStatus, Clarification
from applications.selectors import task_list
from grants.awards.models import Award, AwardStatus, ContactKind
from grants.models import Note, NoteVisibility, OrgRole, Round, User
from scoring import demo_conversation as conversation
from tests.conftest import enable_mfa
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_once):
    """The demo, seeded once for this module (tests/conftest.py); every test here uses it."""
    return {u.email: u for u in User.objects.filter(email__endswith=".example.com")}


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def _staff(client_for, user):
    enable_mfa(user)
    return client_for(user)


def _px():
    return Round.objects.get(slug__startswith="productivity-experts-eoi-")


def test_two_stage_round_reads_truthfully_to_staff_and_councils(demo, client_for):
    rnd = _px()
    manager = _staff(client_for, demo["cyber.manager@lga.example.com"])
    triage = _page(manager, reverse("scoring:eoi_triage", args=[rnd.slug]))
    assert "2 expressions of interest to triage" in triage and "York" in triage and "Sheffield" in triage
    staff_list = _page(manager, reverse("applications:staff_bid_list", args=[rnd.slug]))
    for name in ("Birmingham", "Manchester", "Leeds", "Gravesham", "York", "Sheffield"):
        assert name in staff_list
    home = _page(manager, reverse("home"))
    assert re.search(
        r"Expressions of interest to triage<span[^>]*> in "
        + re.escape(rnd.name)
        + r"</span></a></td> <td[^>]*>"
        + re.escape(rnd.name),
        home,
    )

    # Birmingham, invited: its home and bid say so, with the programme's feedback and the full bid started.
    birmingham = client_for(demo["council.officer@birmingham.example.com"])
    bid = Bid.objects.get(round=rnd, lead__code="BIR")
    assert rnd.name in _page(birmingham, reverse("home"))
    page = _page(birmingham, bid.get_absolute_url())
    assert "Birmingham is invited to send a full bid" in page and "show how the expert" in page
    # Leeds, declined: the bid gives the reason the programme wrote.
    leeds = client_for(demo["council.officer@leeds.example.com"])
    declined = Bid.objects.get(round=rnd, lead__code="LDS")
    page = _page(leeds, declined.get_absolute_url())
    assert "was not invited to a full bid" in page and "Advertising concessions are well understood" in page
    # The round page no longer offers an expression of interest to a council that sent none.
    kent = client_for(demo["council.officer@kent.example.com"])
    assert "Kent can apply to this round" not in _page(kent, rnd.get_absolute_url())


def test_conditional_follow_up_shown_for_yes_hidden_for_no(demo, client_for):
    rnd = _px()
    control, follow_up = conversation.demo_conditional.questions(rnd)
    assert follow_up.show_if_question == control and follow_up.show_if_values == ["yes"]

    def applied(bid):
        return {q.pk for s in task_list(bid=bid) for q in (r.question for r in s.rows)}

    bir = Bid.objects.get(round=rnd, lead__code="BIR", stage=BidStage.FULL)
    assert bir.answers.get(question=control).value is True and follow_up.pk in applied(bir)
    page = _page(
        client_for(demo["council.officer@birmingham.example.com"]), reverse("applications:bid_check", args=[bir.pk])
    )
    assert follow_up.text in page and "found £120,000 of unbilled rent" in page

    man = Bid.objects.get(round=rnd, lead__code="MAN", stage=BidStage.FULL)
    assert man.answers.get(question=control).value is False and follow_up.pk not in applied(man)
    assert man.answers.get(question=follow_up).value == conversation.MAN_STALE  # kept, in case it changes back
    officer = UserFactory(organisation=man.lead, org_role=OrgRole.OFFICER)
    man.collaborators.add(officer)  # Manchester has no demo account: a colleague added to the bid
    page = _page(client_for(officer), reverse("applications:bid_check", args=[man.pk]))
    assert control.text in page and follow_up.text not in page and conversation.MAN_STALE not in page


def test_one_clarification_answered_and_one_open_on_the_bid_being_scored(demo, client_for):
    bid = Bid.objects.get(round__slug__startswith="bi-phase-6-", lead__code="BIR")
    assert bid.status == BidStatus.SUBMITTED and bid.round.closes_at < timezone.now()
    answered, still_open = Clarification.objects.filter(bid=bid).order_by("asked_at")
    assert answered.asked_by == demo["panel.member@lga.example.com"]
    assert answered.answered_by == demo["council.officer@birmingham.example.com"] and not answered.is_open
    assert answered.asked_at >= bid.round.closes_at and answered.answered_at > answered.asked_at
    assert still_open.is_open and still_open.reply_by >= timezone.localdate() and not still_open.answer
    birmingham = client_for(demo["council.officer@birmingham.example.com"])
    page = _page(birmingham, bid.get_absolute_url())
    assert answered.answer in page and still_open.question in page
    assert f"Answer the programme's question by {still_open.reply_by:%-d %B %Y}" in _page(birmingham, reverse("home"))


def test_notes_and_contact_log_for_staff_never_for_councils(demo, client_for):
    bi6 = Bid.objects.get(round__slug__startswith="bi-phase-6-", lead__code="BIR")
    staff_note, panel_note = (
        Note.objects.get(object_id=bi6.pk, visibility=v, text=t) for v, t in conversation.BI6_NOTES
    )
    assert (staff_note.visibility, panel_note.visibility) == (NoteVisibility.STAFF, NoteVisibility.PANEL)
    award = Award.objects.get(round__slug__startswith="bi-phase-5-", lead__code="LDS", status=AwardStatus.ACTIVE)
    first_return = award.returns.filter(submitted_at__isnull=False).order_by("period__period_end").first()
    award_note = Note.objects.get(object_id=award.pk, text__startswith="Leeds asked whether")
    return_note = Note.objects.get(object_id=first_return.pk, text__startswith="First half paid")
    calls = {c.kind: c for c in award.contacts.all()}
    assert calls[ContactKind.PHONE].follow_up_by > timezone.localdate() > calls[ContactKind.MEETING].held_on

    manager = _staff(client_for, demo["programme.manager@lga.example.com"])
    page = _page(manager, bi6.get_absolute_url())
    assert staff_note.text in page and panel_note.text in page
    award_page = _page(manager, award.get_absolute_url())
    assert award_note.text in award_page and "Monitoring phone call" in award_page
    assert "Ruth Bell (Leeds)" in award_page
    return_url = reverse("awards:return", args=[award.pk, first_return.pk])
    assert return_note.text in _page(manager, return_url)

    # The panel reads the note meant for it, not the staff's.
    member = _staff(client_for, demo["panel.member@lga.example.com"])
    page = _page(member, reverse("scoring:assess_bid", args=[bi6.round.slug, bi6.pk]))
    assert panel_note.text in page and staff_note.text not in page

    # The councils' own pages: the bid, the award, the return.
    birmingham = client_for(demo["council.officer@birmingham.example.com"])
    page = _page(birmingham, bi6.get_absolute_url())
    assert staff_note.text not in page and panel_note.text not in page
    leeds = client_for(demo["council.officer@leeds.example.com"])
    page = _page(leeds, award.get_absolute_url()) + _page(leeds, return_url)
    for text in (award_note.text, return_note.text, "Monitoring phone call", "Trial design agreed"):
        assert text not in page
