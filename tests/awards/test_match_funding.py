"""Match funding on awards: from the bid on issue, on the historic award form, on the offer terms."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.awards.models import Award
from grants.awards.services import AwardError, award_issue, offer_terms_set

from .factories import FundedBidFactory
from .test_historic import URL, _form

pytestmark = pytest.mark.django_db


def test_an_award_takes_the_match_funding_its_bid_offered(personas):
    bid = FundedBidFactory(round=personas.round, lead=personas.lead_org, match_funding=Decimal("7500"))
    award = award_issue(bid=bid, amount=Decimal("30000"), actor=personas.programme_manager)
    assert award.match_funding == Decimal("7500.00")


def test_manager_enters_match_funding_on_a_historic_award(personas, client_for):
    c = client_for(personas.programme_manager)
    response = c.post(URL, _form(personas, match_funding="30,000"))
    assert response.status_code == 302
    award = Award.objects.get(title="Sugar in schools")
    assert award.match_funding == Decimal("30000.00")
    assert "£30,000 from the council" in c.get(award.get_absolute_url()).content.decode()
    body = c.post(URL, _form(personas, title="Another", match_funding="-5")).content.decode()
    assert "Match funding" in body and not Award.objects.filter(title="Another").exists()


def test_manager_sets_match_funding_on_the_offer_terms(personas, client_for):
    bid = FundedBidFactory(round=personas.round, lead=personas.lead_org)
    award = award_issue(bid=bid, amount=Decimal("30000"), actor=None)
    respond_by = timezone.localdate() + timedelta(days=20)
    c = client_for(personas.programme_manager)
    url = reverse("awards:offer_terms", args=[award.pk])
    c.post(url, {"conditions": "", "match_funding": "3,000", "respond_by": respond_by.isoformat()})
    award.refresh_from_db()
    assert award.match_funding == Decimal("3000.00")
    letter = client_for(personas.signatory).get(reverse("awards:offer_letter", args=[award.pk])).content.decode()
    assert "£3,000 from" in letter
    with pytest.raises(AwardError):
        offer_terms_set(
            award=award, actor=personas.programme_manager, conditions="", respond_by=respond_by, match_funding=-1
        )
