"""The one money formatter: GOV.UK style amounts and percentages, as pages, emails and PDFs show them."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from grants.core.money import number, percent, pounds, to_pounds


class TestPounds:
    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (Decimal("50000"), "£50,000"),
            (Decimal("50000.00"), "£50,000"),
            (Decimal("0"), "£0"),
            (Decimal("999"), "£999"),
            (Decimal("1000"), "£1,000"),
        ],
    )
    def test_whole_pounds_have_no_pence(self, value, shown):
        assert pounds(value) == shown

    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (Decimal("1234.5"), "£1,234.50"),
            (Decimal("1234.05"), "£1,234.05"),
            (Decimal("0.99"), "£0.99"),
            (Decimal("0.5"), "£0.50"),
        ],
    )
    def test_pence_always_have_two_digits(self, value, shown):
        assert pounds(value) == shown

    def test_rounds_half_up_to_the_penny(self):
        assert pounds(Decimal("10.005")) == "£10.01"
        assert pounds(Decimal("10.004")) == "£10"
        assert pounds(Decimal("0.995")) == "£1"

    def test_negative_puts_the_sign_before_the_pound(self):
        assert pounds(Decimal("-200")) == "-£200"
        assert pounds(Decimal("-1234.5")) == "-£1,234.50"

    def test_a_negative_that_rounds_to_nothing_is_zero(self):
        assert pounds(Decimal("-0.004")) == "£0"

    @pytest.mark.parametrize("value", [None, ""])
    def test_no_value_shows_nothing_rather_than_zero(self, value):
        assert pounds(value) == ""

    def test_large_amounts(self):
        assert pounds(Decimal("999999999999.99")) == "£999,999,999,999.99"
        assert pounds(Decimal("12000000")) == "£12,000,000"

    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (25000, "£25,000"),
            ("25000.00", "£25,000"),
            ("1234.5", "£1,234.50"),
            (1234.5, "£1,234.50"),
            (1.005, "£1.01"),  # the float's shortest text, not 1.00499999...
            ("25,000.00", "£25,000"),  # notifications queued before the filters
        ],
    )
    def test_int_str_and_float_input(self, value, shown):
        assert pounds(value) == shown

    @pytest.mark.parametrize("value", ["not money", "NaN", "Infinity", object])
    def test_what_is_not_a_number_is_shown_as_it_is(self, value):
        assert pounds(value) == str(value)


class TestToPounds:
    def test_quantizes_to_pence_half_up(self):
        assert to_pounds("10.005") == Decimal("10.01")
        assert to_pounds(2.675) == Decimal("2.68")

    def test_nothing_is_zero(self):
        assert to_pounds(None) == Decimal("0.00")


class TestPercent:
    @pytest.mark.parametrize(
        ("value", "places", "shown"),
        [
            (10, 0, "10%"),
            (Decimal("10.00"), 0, "10%"),
            (Decimal("12.5"), 0, "13%"),
            (Decimal("12.5"), 1, "12.5%"),
            (Decimal("12.50"), 2, "12.5%"),
            (Decimal("10.00"), 2, "10%"),
            (Decimal("33.333"), 2, "33.33%"),
            ("7.25", 1, "7.3%"),
            (0, 0, "0%"),
            (-5, 0, "-5%"),
            (1500, 0, "1,500%"),
            (12.345, 2, "12.35%"),
        ],
    )
    def test_places_and_no_trailing_zeros(self, value, places, shown):
        assert percent(value, places) == shown

    @pytest.mark.parametrize("value", [None, ""])
    def test_no_value_shows_nothing(self, value):
        assert percent(value) == ""

    def test_what_is_not_a_number_is_shown_as_it_is(self):
        assert percent("n/a") == "n/a"


class TestNumber:
    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (1200, "1,200"),
            (Decimal("7253.00"), "7,253"),
            (Decimal("12.5"), "12.50"),
            ("10,000", "10,000"),
            (0, "0"),
            (10**12, "1,000,000,000,000"),
            (-165, "-165"),
        ],
    )
    def test_thousands_grouped_and_no_needless_pence(self, value, shown):
        assert number(value) == shown

    @pytest.mark.parametrize(("value", "shown"), [(None, ""), ("", ""), ("n/a", "n/a"), (Decimal("NaN"), "NaN")])
    def test_no_value_or_not_a_number(self, value, shown):
        assert number(value) == shown


class TestFilters:
    def render(self, source: str, **context) -> str:
        return Template("{% load govuk_money %}" + source).render(Context(context))

    def test_pounds_filter_uses_the_one_formatter(self):
        assert self.render("{{ a|pounds }} and {{ b|pounds }}", a=Decimal("880000.00"), b=Decimal("1234.5")) == (
            "£880,000 and £1,234.50"
        )

    def test_pounds_filter_on_text_from_a_notification_context(self):
        assert self.render("{{ a|pounds }}", a="25000.00") == "£25,000"

    def test_pounds_filter_shows_nothing_for_none(self):
        assert self.render("[{{ a|pounds }}]", a=None) == "[]"

    def test_percent_filter_with_and_without_places(self):
        assert self.render("{{ a|percent }} {{ a|percent:1 }}", a=Decimal("12.50")) == "13% 12.5%"
