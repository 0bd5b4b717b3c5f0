"""Clarification questions (issue 16): staff or an assigned assessor ask the lead council about a
submitted bid with a reply-by date; the council answers once; staff may close one unanswered.
Each side hears once; the reminder goes once, the day before; other councils see nothing."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applications.models import BidStatus, Clarification
from applications.services import BidError
from applications.services.clarifications import (
    answer_clarification,
    ask_clarification,
    close_clarification,
    default_reply_by,
)
from grants.models import AuditEvent
from notifications.models import Notification
from notifications.reminders import send_due

from .factories import BidFactory

pytestmark = pytest.mark.django_db


def _sent(user, event):
    return Notification.objects.filter(recipient=user, event=event, channel="email").count()


@pytest.fixture
def bid(personas):
    return BidFactory(round=personas.round, lead=personas.lead_org, status=BidStatus.SUBMITTED, reference="THIS-000001")


def _ask(bid, personas, **kw):
    today = timezone.localdate()
    return ask_clarification(
        bid=bid,
        actor=kw.pop("actor", personas.programme_manager),
        question=kw.pop("question", "How many residents will the pilot reach?"),
        reply_by=kw.pop("reply_by", today + timedelta(days=5)),
        **kw,
    )


def test_default_reply_by_is_five_working_days_on():
    assert default_reply_by(date(2026, 12, 4)) == date(2026, 12, 11)  # Friday -> next Friday
    assert default_reply_by(date(2026, 12, 7)) == date(2026, 12, 14)  # Monday -> next Monday


def test_manager_asks_and_the_lead_council_hears_once(bid, personas):
    c = _ask(bid, personas)
    assert c.is_open and c.asked_by == personas.programme_manager
    assert AuditEvent.objects.filter(action="bid.clarification_asked", target_id=str(bid.pk)).count() == 1
    assert _sent(personas.lead_officer, "clarification_asked") == 1
    assert _sent(personas.signatory, "clarification_asked") == 1
    assert _sent(personas.partner_officer, "clarification_asked") == 0
    assert _sent(personas.other_officer, "clarification_asked") == 0


def test_reply_by_may_not_be_in_the_past_and_the_question_is_needed(bid, personas):
    with pytest.raises(BidError) as exc:
        _ask(bid, personas, reply_by=timezone.localdate() - timedelta(days=1), question=" ")
    assert set(exc.value.message_dict) == {"reply_by", "question"}
    _ask(bid, personas, reply_by=timezone.localdate())  # today is fine
    assert Clarification.objects.count() == 1


def test_only_staff_of_the_programme_or_an_assessor_may_ask_and_only_on_a_submitted_bid(bid, personas):
    for stranger in (personas.lead_officer, personas.other_programme_manager, personas.other_officer):
        with pytest.raises(BidError):
            _ask(bid, personas, actor=stranger)
    draft = BidFactory(round=personas.round, lead=personas.other_org, status=BidStatus.DRAFT)
    with pytest.raises(BidError):
        _ask(draft, personas)
    assert not Clarification.objects.exists()


def test_council_answers_once_and_the_asker_and_managers_hear_once(bid, personas, client_for):
    c = _ask(bid, personas)
    client = client_for(personas.lead_officer)
    url = reverse("applications:clarification_answer", args=[bid.pk, c.pk])
    page = client.get(url)
    assert page.status_code == 200 and "How many residents" in page.content.decode()
    empty = client.post(url, {"answer": "  "})
    assert empty.status_code == 200 and "Enter your answer" in empty.content.decode()
    assert client.post(url, {"answer": "About 4,000 households"}).status_code == 302
    c.refresh_from_db()
    assert (c.answer, c.answered_by, c.is_open) == ("About 4,000 households", personas.lead_officer, False)
    assert _sent(personas.programme_manager, "clarification_answered") == 1
    with pytest.raises(BidError):
        answer_clarification(clarification=c, actor=personas.signatory, answer="Changed my mind")
    client.post(url, {"answer": "Again"})
    c.refresh_from_db()
    assert c.answer == "About 4,000 households"
    assert _sent(personas.programme_manager, "clarification_answered") == 1
    assert AuditEvent.objects.filter(action="bid.clarification_answered", target_id=str(bid.pk)).count() == 1
    shown = client.get(bid.get_absolute_url()).content.decode()
    assert "About 4,000 households" in shown and "Answer question 1" not in shown


def test_staff_close_a_question_without_an_answer_and_the_council_cannot(bid, personas, client_for):
    c = _ask(bid, personas)
    with pytest.raises(BidError):
        close_clarification(clarification=c, actor=personas.lead_officer)
    url = reverse("applications:clarification_close", args=[bid.pk, c.pk])
    assert client_for(personas.lead_officer).post(url).status_code == 404
    assert client_for(personas.programme_manager).post(url).status_code == 302
    c.refresh_from_db()
    assert not c.is_open and not c.answered_at
    with pytest.raises(BidError):
        answer_clarification(clarification=c, actor=personas.lead_officer, answer="Late")


def test_manager_asks_from_the_bid_page(bid, personas, client_for):
    client = client_for(personas.programme_manager)
    page = client.get(bid.get_absolute_url()).content.decode()
    assert "Ask the lead council a question" in page
    url = reverse("applications:clarification_ask", args=[bid.pk])
    assert client.get(url).status_code == 200
    when = timezone.localdate() - timedelta(days=1)
    past = {"question": "Why?", "reply_by_0": when.day, "reply_by_1": when.month, "reply_by_2": when.year}
    bad = client.post(url, past)
    assert bad.status_code == 200 and "must be today or in the future" in bad.content.decode()
    when = timezone.localdate() + timedelta(days=3)
    ok = client.post(url, {**past, "reply_by_0": when.day, "reply_by_1": when.month, "reply_by_2": when.year})
    assert ok.status_code == 302 and ok["Location"] == bid.get_absolute_url()
    assert Clarification.objects.get().reply_by == when


def test_other_councils_and_partners_see_nothing(bid, personas, client_for):
    from applications.models import BidPartner, PartnerStatus

    BidPartner.objects.create(bid=bid, organisation=personas.partner_org, status=PartnerStatus.CONFIRMED)
    c = _ask(bid, personas, question="A question for the lead only")
    answer_url = reverse("applications:clarification_answer", args=[bid.pk, c.pk])
    for user in (personas.other_officer, personas.partner_officer, personas.other_programme_manager):
        assert client_for(user).get(answer_url).status_code == 404
        assert client_for(user).post(answer_url, {"answer": "x"}).status_code == 404
        assert client_for(user).get(reverse("applications:clarification_ask", args=[bid.pk])).status_code == 404
    partner_page = client_for(personas.partner_officer).get(bid.get_absolute_url())
    assert partner_page.status_code == 200 and "A question for the lead only" not in partner_page.content.decode()
    c.refresh_from_db()
    assert c.is_open


def test_reminder_goes_once_the_day_before_reply_by_if_unanswered(bid, personas):
    reply_by = timezone.localdate() + timedelta(days=3)
    open_one = _ask(bid, personas, reply_by=reply_by)
    answered = _ask(bid, personas, reply_by=reply_by, question="Second")
    answer_clarification(clarification=answered, actor=personas.lead_officer, answer="Done")
    day_before = timezone.make_aware(
        timezone.datetime.combine(reply_by - timedelta(days=1), timezone.datetime.min.time())
    )
    with time_machine.travel(day_before - timedelta(hours=12), tick=False):
        send_due()
    assert _sent(personas.lead_officer, "clarification_reminder") == 0
    for hour in (9, 15):
        with time_machine.travel(day_before + timedelta(hours=hour), tick=False):
            send_due()
    reminders = Notification.objects.filter(
        recipient=personas.lead_officer, event="clarification_reminder", channel="email"
    )
    assert reminders.count() == 1 and reminders.get().context["question"] == open_one.question
    assert _sent(personas.signatory, "clarification_reminder") == 1


def test_round_bid_list_shows_open_questions(bid, personas, client_for):
    c = _ask(bid, personas)
    other = BidFactory(round=personas.round, lead=personas.other_org, status=BidStatus.SUBMITTED, reference="THIS-2")
    closed = _ask(other, personas)
    close_clarification(clarification=closed, actor=personas.programme_manager)
    page = client_for(personas.programme_manager).get(
        reverse("applications:staff_bid_list", args=[personas.round.slug])
    )
    body = page.content.decode()
    assert "Open clarification questions" in body
    assert f"{reverse('applications:bid_detail', args=[bid.pk])}#clarifications" in body
    assert f"{reverse('applications:bid_detail', args=[other.pk])}#clarifications" not in body
    assert c.is_open
