"""The Plan payments page: splitting an award over the rows the page renders, adding a row, and
errors that point at the row they are about."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.awards.models import AwardStatus

from .factories import AwardFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(personas):
    return AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACCEPTED)


def _fields(body: str) -> dict[str, str]:
    """Every input and select the page renders, with its value, as the browser would post it."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", body):
        name = re.search(r'name="([^"]+)"', tag)
        if name and 'type="submit"' not in tag:
            value = re.search(r'value="([^"]*)"', tag)
            fields[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def _amount_rows(body: str) -> list[str]:
    return re.findall(r'name="(t-\d+-amount)"', body)


def test_split_thirty_thousand_over_the_rows_the_page_renders(personas, client_for, award):
    c = client_for(personas.programme_manager)
    url = reverse("awards:tranches", args=[award.pk])
    body = c.get(url).content.decode()
    rows = _amount_rows(body)
    assert rows == ["t-0-amount", "t-1-amount"]  # the planned tranche and a blank row
    data = _fields(body)
    later = (timezone.localdate() + timedelta(days=90)).isoformat()
    data.update({"t-0-amount": "10,000", "t-1-amount": "20000", "t-1-due_on": later})
    response = c.post(url, data)
    assert response.status_code == 302
    assert [(t.number, t.amount) for t in award.tranches.order_by("number")] == [
        (1, Decimal("10000.00")),
        (2, Decimal("20000.00")),
    ]


def test_add_another_tranche_keeps_what_was_typed(personas, client_for, award):
    c = client_for(personas.programme_manager)
    url = reverse("awards:tranches", args=[award.pk])
    data = _fields(c.get(url).content.decode())
    data.update({"t-0-amount": "5000", "t-1-amount": "12500", "t-1-due_on": "2030-05-01", "add_row": "1"})
    body = c.post(url, data).content.decode()
    assert _amount_rows(body) == ["t-0-amount", "t-1-amount", "t-2-amount"]
    assert 'value="12500"' in body and 'value="2030-05-01"' in body
    assert "There is a problem" not in body  # adding a row is not a failed save
    assert award.tranches.get().amount == Decimal("30000.00")  # nothing saved yet
    # Fill the three rows the page now shows: 5,000 + 12,500 + 12,500.
    data = _fields(body)
    data.update({"t-2-amount": "12500", "t-2-due_on": "2030-09-01"})
    assert c.post(url, data).status_code == 302
    assert [t.amount for t in award.tranches.order_by("number")] == [
        Decimal("5000"),
        Decimal("12500"),
        Decimal("12500"),
    ]


def test_errors_link_to_the_row_they_are_about(personas, client_for, award):
    c = client_for(personas.programme_manager)
    url = reverse("awards:tranches", args=[award.pk])
    data = _fields(c.get(url).content.decode())
    data.update({"t-0-amount": "10000", "t-1-amount": "20000", "t-1-due_on": ""})
    body = c.post(url, data).content.decode()
    summary = re.search(r'data-testid="tranche-errors">(.*?)</ul>', body, re.S).group(1)
    # The second row has no date: its message names tranche 2 and links to that row's date box.
    assert re.search(r'href="#(id_t-1-due_on[^"]*)">Tranche 2: Enter a due date', summary)
    link = re.search(r'href="#(id_t-1-due_on[^"]*)"', summary).group(1)
    assert f'id="{link}"' in body
    # Amounts that do not add up: one message, linked to the first amount box.
    data.update({"t-1-due_on": "2030-01-01", "t-1-amount": "1000"})
    body = c.post(url, data).content.decode()
    summary = re.search(r'data-testid="tranche-errors">(.*?)</ul>', body, re.S).group(1)
    assert 'href="#id_t-0-amount">The tranches must add up to the award of £30,000' in summary
    assert 'id="id_t-0-amount"' in body and 'value="1000"' in body  # input kept
    assert award.tranches.get().amount == Decimal("30000.00")


def test_a_tranche_can_wait_for_a_milestone(personas, client_for, award):
    milestone = MilestoneFactory(award=award, description="Pilot live")
    c = client_for(personas.programme_manager)
    url = reverse("awards:tranches", args=[award.pk])
    data = _fields(c.get(url).content.decode())
    data.update({"t-0-amount": "10000", "t-1-amount": "20000", "t-1-milestone": str(milestone.pk)})
    assert c.post(url, data).status_code == 302
    assert award.tranches.get(number=2).milestone == milestone


def test_after_a_payment_rows_are_numbered_after_the_paid_tranche(personas, client_for, award):
    paid = award.tranches.get()
    paid.amount, paid.status, paid.paid_on, paid.payment_reference = (
        Decimal("10000"),
        "paid",
        timezone.localdate(),
        "P1",
    )
    paid.save()
    award.tranches.create(number=2, amount=Decimal("20000"), due_on=timezone.localdate())
    body = client_for(personas.programme_manager).get(reverse("awards:tranches", args=[award.pk])).content.decode()
    assert "Tranche 2 amount" in body and "Tranche 3 amount" in body and "Tranche 1 amount" not in body
