from datetime import date
from decimal import Decimal

import pytest
from django import forms

from grants.core.fields import GovDateField, GovDateTimeField, MoneyField


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


@pytest.mark.parametrize(
    "typed, message",
    [
        ("lots", "Amount must be an amount in pounds, like 25000 or 25,000.50"),
        ("1e5", "Amount must be an amount in pounds, like 25000 or 25,000.50"),
        ("1E5", "Amount must be an amount in pounds, like 25000 or 25,000.50"),
        ("1e5x", "Amount must be an amount in pounds, like 25000 or 25,000.50"),
        ("Infinity", "Amount must be an amount in pounds, like 25000 or 25,000.50"),
        ("0x10", "Amount must be an amount in pounds, like 25000 or 25,000.50"),
        ("-5", "Amount must be £0 or more"),
        ("1.234", "Amount must have no more than 2 decimal places"),
        ("1000000000000", "Amount must be less than £1,000,000,000,000"),
        ("", "Enter the amount"),
    ],
)
def test_money_refuses_nonsense_with_a_message_naming_the_field(typed, message):
    assert clean({"amount": typed}).errors["amount"] == [message]


def test_numbers_refuse_exponents_and_name_the_field():
    from grants.core.fields import NumberField, PercentField

    class NumbersForm(forms.Form):
        count = NumberField(label="Jobs created", decimal_places=0)
        share = PercentField(label="Match funding (%)")

    form = NumbersForm({"count": "1e3", "share": "101"})
    assert form.errors == {
        "count": ["Jobs created must be a number, like 1200"],
        "share": ["Match funding must be 100% or less"],
    }
    assert NumbersForm({"count": "1,200", "share": "12.5%"}).is_valid()


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
        (("30", "2", "2027"), "Planned start must be a real date"),
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


def test_a_uk_time_that_does_not_exist_is_an_error_not_a_shifted_deadline():
    # The clocks go forward at 1am on 29 March 2026: 1:30am that day never happens.
    form = WhenForm({"closes_0": "29", "closes_1": "3", "closes_2": "2026", "closes_3": "1:30am"})
    assert not form.is_valid()
    [message] = form.errors["closes"]
    assert message.startswith("Closes must be a time that exists in the UK")
    assert "29 March 2026" in message and "1:30am" in message
    for typed in ("12:59am", "2am"):  # either side of the gap is fine
        assert WhenForm({"closes_0": "29", "closes_1": "3", "closes_2": "2026", "closes_3": typed}).is_valid()


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
