"""Clarification questions seen from the panel (issue 16): an assigned assessor asks from the
scoring page and reads the answer there; a conflicted panel member, whatever else they are, sees
no question on any page and hears of none."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Clarification
from applications.services import BidError
from applications.services.clarifications import answer_clarification, ask_clarification
from grants.models import StaffRole
from notifications.models import Notification
from scoring.models import Assignment

from .factories import SubmittedBidFactory, declare

pytestmark = pytest.mark.django_db

QUESTION = "Which wards does the pilot cover?"
ANSWER = "Dartford and Gravesham"


@pytest.fixture
def bid(personas):
    bid = SubmittedBidFactory(round=personas.round, lead=personas.lead_org)
    for user in (personas.assessor, personas.conflicted_assessor):
        Assignment.objects.create(bid=bid, assessor=user, assigned_by=personas.programme_manager)
        declare(user, personas.round)
    # The conflicted member (employed by the lead council) also manages the programme.
    StaffRole.objects.create(user=personas.conflicted_assessor, role="programme_manager", programme=personas.programme)
    return bid


def _emails(user):
    return Notification.objects.filter(recipient=user, channel="email", event__startswith="clarification_")


def test_assessor_asks_from_the_scoring_page_and_reads_the_answer_there(bid, personas, client_for):
    client = client_for(personas.assessor)
    scoring = reverse("scoring:assess_bid", args=[personas.round.slug, bid.pk])
    page = client.get(scoring).content.decode()
    assert "Questions from the assessors" in page and "Ask the lead council a question" in page
    when = timezone.localdate() + timedelta(days=4)
    asked = client.post(
        reverse("applications:clarification_ask", args=[bid.pk]) + f"?next={scoring}",
        {"question": QUESTION, "reply_by_0": when.day, "reply_by_1": when.month, "reply_by_2": when.year},
    )
    assert asked.status_code == 302 and asked["Location"] == scoring
    c = Clarification.objects.get()
    assert c.asked_by == personas.assessor
    answer_clarification(clarification=c, actor=personas.lead_officer, answer=ANSWER)
    page = client.get(scoring).content.decode()
    assert QUESTION in page and ANSWER in page
    assert _emails(personas.assessor).filter(event="clarification_answered").count() == 1
    assert _emails(personas.programme_manager).filter(event="clarification_answered").count() == 1


def test_an_unassigned_panel_member_may_not_ask(bid, personas, client_for):
    with pytest.raises(BidError):
        ask_clarification(bid=bid, actor=personas.panel_chair, question="?", reply_by=timezone.localdate())
    assert (
        client_for(personas.panel_chair).get(reverse("applications:clarification_ask", args=[bid.pk])).status_code
        == 404
    )


def test_a_conflicted_member_sees_no_question_anywhere_and_hears_of_none(bid, personas, client_for):
    with pytest.raises(BidError):
        ask_clarification(bid=bid, actor=personas.conflicted_assessor, question="?", reply_by=timezone.localdate())
    c = ask_clarification(bid=bid, actor=personas.assessor, question=QUESTION, reply_by=timezone.localdate())
    answer_clarification(clarification=c, actor=personas.signatory, answer=ANSWER)
    c2 = ask_clarification(
        bid=bid, actor=personas.programme_manager, question="Still open", reply_by=timezone.localdate()
    )
    client = client_for(personas.conflicted_assessor)
    for url in (
        reverse("scoring:assess_bid", args=[personas.round.slug, bid.pk]),
        bid.get_absolute_url(),
        reverse("applications:clarification_ask", args=[bid.pk]),
        reverse("applications:clarification_answer", args=[bid.pk, c2.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("applications:clarification_close", args=[bid.pk, c2.pk])).status_code == 404
    for url in (
        reverse("applications:staff_bid_list", args=[personas.round.slug]),
        reverse("scoring:queue", args=[personas.round.slug]),
    ):
        page = client.get(url)
        body = page.content.decode()
        assert page.status_code == 200, url
        assert QUESTION not in body and ANSWER not in body and "Still open" not in body
        assert f"{bid.get_absolute_url()}#clarifications" not in body
    assert not _emails(personas.conflicted_assessor).exists()
    # The programme's other manager sees the open one on the round's bid list.
    staff = client_for(personas.programme_manager).get(
        reverse("applications:staff_bid_list", args=[personas.round.slug])
    )
    assert f"{bid.get_absolute_url()}#clarifications" in staff.content.decode()
