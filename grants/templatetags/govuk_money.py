"""`{{ award.amount|pounds }}` gives "£50,000" or "£1,234.50"; `{{ rate|percent }}`, `|percent:1`;
`{{ output|number }}` "1,200" or "12.5" for a count or quantity that is not money.

All call `grants.core.money`, the one formatter, so a page, an email and a PDF show an amount
the same way; the filters have no rules of their own."""

from django import template

from grants.core import money

register = template.Library()


@register.filter
def pounds(value) -> str:
    return money.pounds(value)


@register.filter
def percent(value, places: int = 0) -> str:
    return money.percent(value, int(places))


@register.filter
def number(value) -> str:
    return money.number(value)


@register.filter
def in_unit(value, unit: str) -> str:
    """An output's figure in its unit: `{{ value|in_unit:output.unit }}`."""
    return money.in_unit(value, unit)
