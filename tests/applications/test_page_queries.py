"""The council's bid page and check-your-answers page read the task list, the partners and the
other partners once each, and cost the same however many sections, questions and partners."""

import pytest
from django.urls import reverse

from applications import services
from applications.models import BidStatus, OtherPartnerKind, PartnerStatus
from tests import factories as f

from .factories import BidPartnerFactory, QuestionFactory, SectionFactory
from .test_services import complete, start

# Session, user, roles, bid; sections, questions, answers, files; partners, other partners;
# unread notifications.
CEILINGS = {"applications:bid_detail": 11, "applications:bid_check": 11}


def _other(bid, personas, name):
    services.add_other_partner(bid=bid, actor=personas.lead_officer, name=name, kind=OtherPartnerKind.VOLUNTARY)


@pytest.mark.parametrize("page", sorted(CEILINGS))
def test_bid_pages_read_each_thing_once(personas, client_for, form, django_assert_max_num_queries, page):
    bid = start(personas, partners=[personas.partner_org])
    _other(bid, personas, "Victim Support")
    complete(bid, personas, form)
    client = client_for(personas.lead_officer)
    url = reverse(page, args=[bid.pk])
    client.get(url)  # warm caches (sessions, site settings)
    with django_assert_max_num_queries(CEILINGS[page]) as few:
        body = client.get(url).content.decode()
    assert "Medway" in body and "has not yet confirmed it is a partner" in body
    for n in range(3):
        section = SectionFactory(round=personas.round, title=f"More {n}", order=10 + n)
        for m in range(4):
            QuestionFactory(section=section, text=f"Extra {n}.{m}", order=m)
        BidPartnerFactory(bid=bid, organisation=f.OrganisationFactory(short_name=f"Partner {n}"))
        _other(bid, personas, f"Charity {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert "Partner 2" in body and "Answer &#x27;Extra 2.3&#x27; in More 2" in body


@pytest.mark.parametrize("confirmed", [True, False])
def test_submitting_judges_the_bid_afresh_not_on_the_pages_reads(personas, client_for, form, monkeypatch, confirmed):
    """Only the pages reuse what they read: submit_bid works out the problems itself, under its
    lock, from nothing the view read first; a refused submit shows the page with the problems."""
    from applications.services import lifecycle

    bid = start(personas, partners=[personas.partner_org])
    complete(bid, personas, form)
    if confirmed:
        bid.partners.update(status=PartnerStatus.CONFIRMED)
    calls = []
    judge = lifecycle.submission_problems
    for module in (lifecycle, services):  # submit_bid's, and the view's
        monkeypatch.setattr(module, "submission_problems", lambda **kw: calls.append(set(kw)) or judge(**kw))
    declaration = {"declaration_name": "Alex Example", "declaration_role": "Chief Executive", "confirm": "on"}
    url = reverse("applications:bid_check", args=[bid.pk])
    response = client_for(personas.lead_officer).post(url, {**declaration, "seen_submissions": "0"})
    assert calls[0] == {"bid", "now"}
    bid.refresh_from_db()
    if confirmed:
        assert response.status_code == 302 and bid.status == BidStatus.SUBMITTED and len(calls) == 1
    else:
        assert response.status_code == 200 and bid.status == BidStatus.DRAFT
        assert calls[1] == {"bid", "now", "tasks", "partners", "other_partners"}  # the page shown again
        assert "Medway has not yet confirmed it is a partner" in response.content.decode()
