from datetime import date
from decimal import Decimal

import pytest
from django import forms

from grants.fields import GovDateField, GovDateTimeField, MoneyField


class ExampleForm(forms.Form):
    amount = MoneyField(label="Amount (£)")
    start = GovDateField(label="Planned start", required=False)


def clean(data: dict) -> ExampleForm:
    form = ExampleForm(data)
    form.is_valid()
    return form


@pytest.mark.parametrize("typed, expected", [("25000", "25000"), ("£25,000.50", "25000.50"), (" 1 500 ", "1500")])
def test_money_accepts_what_people_type(typed, expected):
    assert clean({"amount": typed}).cleaned_data["amount"] == Decimal(expected)


@pytest.mark.parametrize("typed", ["lots", "-5", "1.234", "1e5x"])
def test_money_refuses_nonsense_with_a_clear_message(typed):
    assert "amount" in clean({"amount": typed}).errors


def test_money_is_a_text_input_not_a_spinner():
    html = str(ExampleForm()["amount"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html


def test_date_boxes_give_a_date():
    form = clean({"amount": "1", "start_0": "1", "start_1": "4", "start_2": "2027"})
    assert form.cleaned_data["start"] == date(2027, 4, 1)


def test_date_plain_iso_form_is_accepted_for_scripts():
    assert clean({"amount": "1", "start": "2027-04-01"}).cleaned_data["start"] == date(2027, 4, 1)


@pytest.mark.parametrize(
    "parts, message",
    [
        (("30", "2", "2027"), "Enter a real date"),
        (("1", "", "2027"), "Planned start must include a month"),
        (("1", "4", "27"), "four digits"),
        (("x", "4", "2027"), ""),
    ],
)
def test_date_errors_are_plain(parts, message):
    form = clean({"amount": "1", **{f"start_{i}": v for i, v in enumerate(parts)}})
    assert "start" in form.errors
    assert message in " ".join(form.errors["start"])


def test_blank_optional_date_is_none():
    assert clean({"amount": "1", "start_0": "", "start_1": "", "start_2": ""}).cleaned_data["start"] is None


class WhenForm(forms.Form):
    closes = GovDateTimeField(label="Closes")


@pytest.mark.parametrize(
    "typed, hour, minute",
    [
        ("5pm", 17, 0),
        ("5:30pm", 17, 30),
        ("17:30", 17, 30),
        ("9am", 9, 0),
        ("12pm", 12, 0),
        ("midday", 12, 0),
        ("12am", 0, 0),
        ("09.15", 9, 15),
    ],
)
def test_times_as_people_write_them(typed, hour, minute):
    form = WhenForm({"closes_0": "29", "closes_1": "3", "closes_2": "2026", "closes_3": typed})
    assert form.is_valid(), form.errors
    value = form.cleaned_data["closes"]
    assert (value.hour, value.minute) == (hour, minute)
    assert str(value.tzinfo) == "Europe/London"


def test_uk_time_either_side_of_the_clock_change():
    before = WhenForm({"closes_0": "28", "closes_1": "3", "closes_2": "2026", "closes_3": "12pm"})
    after = WhenForm({"closes_0": "29", "closes_1": "3", "closes_2": "2026", "closes_3": "12pm"})
    assert before.is_valid() and after.is_valid()
    assert before.cleaned_data["closes"].utcoffset().total_seconds() == 0  # GMT
    assert after.cleaned_data["closes"].utcoffset().total_seconds() == 3600  # BST


@pytest.mark.parametrize("typed", ["25:00", "13pm", "noonish", ""])
def test_bad_times_are_refused(typed):
    form = WhenForm({"closes_0": "29", "closes_1": "3", "closes_2": "2026", "closes_3": typed})
    assert not form.is_valid()
    assert "closes" in form.errors


def test_datetime_redisplays_in_uk_time():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    html = str(WhenForm(initial={"closes": datetime(2026, 7, 1, 16, 0, tzinfo=ZoneInfo("UTC"))})["closes"])
    assert 'value="5:00pm"' in html  # 4pm UTC is 5pm BST
