"""Entering a historic award: who may, what the page refuses, and what the service records."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.awards import services as s
from grants.awards.models import Award, AwardStatus, MonitoringReturn
from grants.models import AuditEvent
from notifications.models import Notification

from .factories import ReturnPeriodFactory

pytestmark = pytest.mark.django_db
URL = "/staff/awards/historic/new/"


def _form(personas, **extra) -> dict:
    return {
        "round": str(personas.round.pk),
        "lead": "KEX",
        "partners": "MDX",
        "title": "Sugar in schools",
        "amount": "30,000",
        "award_date": "2016-09-01",
        "status": "completed",
        "planned_start": "2016-09-01",
        "planned_end": "2017-03-31",
        **extra,
    }


def test_url_and_who_may_open_it(personas, client_for):
    assert reverse("awards:historic_new") == URL
    allowed = {"programme_manager", "other_programme_manager", "administrator"}
    for who, user in personas.all().items():
        if user is None:
            continue
        assert client_for(user).get(URL).status_code == (200 if who in allowed else 404), who


def test_portfolio_links_to_it_for_those_who_may(personas, client_for):
    link = f'href="{URL}"'
    assert link in client_for(personas.programme_manager).get(reverse("awards:portfolio")).content.decode()
    assert link not in client_for(personas.finance_officer).get(reverse("awards:portfolio")).content.decode()


def test_manager_enters_a_completed_award_without_returns(personas, client_for):
    ReturnPeriodFactory(round=personas.round)
    response = client_for(personas.programme_manager).post(URL, _form(personas))
    award = Award.objects.get(title="Sugar in schools")
    assert response.status_code == 302 and response["Location"] == award.get_absolute_url()
    assert award.is_historic and award.status == AwardStatus.COMPLETED and award.bid is None
    assert award.lead == personas.lead_org and list(award.partners.all()) == [personas.partner_org]
    assert award.amount == Decimal("30000.00") and award.award_date == date(2016, 9, 1)
    assert award.planned_end == date(2017, 3, 31) and award.created_by == personas.programme_manager
    assert not MonitoringReturn.objects.filter(award=award).exists()  # reported outside the service
    assert award.tranches.get().amount == award.amount
    event = AuditEvent.objects.get(action="award.historic", target_id=str(award.pk))
    assert event.actor == personas.programme_manager and "£30,000" in event.summary
    assert not Notification.objects.exists()  # history: nobody is told


def test_a_live_historic_award_gets_the_round_returns(personas):
    ReturnPeriodFactory(round=personas.round)
    award = s.award_create_historic(
        round=personas.round,
        lead=personas.lead_org,
        title="Still running",
        amount=Decimal("1000"),
        award_date=date(2024, 4, 1),
        actor=personas.administrator,
        status=AwardStatus.ACTIVE,
    )
    assert award.returns.count() == 1


def test_page_errors_name_the_field_and_keep_the_input(personas, client_for):
    c = client_for(personas.programme_manager)
    body = c.post(URL, _form(personas, lead="Nowhere", amount="lots", planned_end="2016-01-01")).content.decode()
    assert "There is a problem" in body
    assert "No council matches &#x27;Nowhere&#x27;" in body or "No council matches 'Nowhere'" in body
    assert "an amount in pounds, like 25000" in body
    assert "The planned end must be the same as or after the planned start" in body
    assert 'value="Sugar in schools"' in body
    body = c.post(URL, {}).content.decode()
    for message in ("Choose the round", "Enter the lead council", "Enter the project title", "Enter the amount"):
        assert message in body
    assert not Award.objects.exists()


def test_manager_cannot_enter_an_award_in_another_programme(personas, client_for):
    # The other programme's manager is not offered this round and cannot post it.
    c = client_for(personas.other_programme_manager)
    assert personas.round.name not in c.get(URL).content.decode()
    body = c.post(URL, _form(personas)).content.decode()
    assert "Select a valid choice" in body and not Award.objects.exists()
    with pytest.raises(s.AwardError):
        s.award_create_historic(
            round=personas.round,
            lead=personas.lead_org,
            title="X",
            amount=Decimal("1"),
            award_date=date(2020, 1, 1),
            actor=personas.other_programme_manager,
        )
