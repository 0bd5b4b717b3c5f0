"""The council's "what next" on its bids names an open clarification question and its reply-by
date (before, a submitted bid said "Wait for the assessment" while a question waited for it), to
the lead council only; once answered the bid goes back to waiting."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import BidPartner, BidStatus, PartnerStatus
from applications.services.clarifications import answer_clarification, ask_clarification

from .factories import BidFactory

pytestmark = pytest.mark.django_db


def test_dashboard_says_answer_the_question_until_it_is_answered(personas, client_for):
    bid = BidFactory(round=personas.round, lead=personas.lead_org, status=BidStatus.SUBMITTED, reference="THIS-000001")
    BidPartner.objects.create(bid=bid, organisation=personas.partner_org, status=PartnerStatus.CONFIRMED)
    reply_by = timezone.localdate() + timedelta(days=5)
    c = ask_clarification(bid=bid, actor=personas.programme_manager, question="How many?", reply_by=reply_by)
    expected = f"Answer the programme's question by {reply_by:%-d %B %Y}"
    dashboard = reverse("applications:bid_dashboard")

    def page(user, url=dashboard):
        return html.unescape(client_for(user).get(url).content.decode())

    assert expected in page(personas.lead_officer) and expected in page(personas.lead_officer, reverse("home"))
    assert expected not in page(personas.partner_officer)  # the question is put to the lead council
    answer_clarification(clarification=c, actor=personas.lead_officer, answer="About 600.")
    after = page(personas.lead_officer)
    assert expected not in after and "Wait for the assessment" in after
