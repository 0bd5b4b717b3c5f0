"""Money is Decimal pounds everywhere; this is the one place that says how it is stored and shown."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.validators import MinValueValidator

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Keyword arguments for every money column: pounds and pence, never negative.
money = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(ZERO)]}


def to_pounds(value) -> Decimal:
    """A value as pounds and pence (half up, as finance rounds)."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def pounds(value) -> str:
    """GOV.UK style: "£50,000" for whole pounds, "£1,234.50" otherwise, "-£200" below zero.

    The style guide drops ".00" from whole pounds and never writes "GBP"; "" for no value, so a
    missing amount is not shown as £0."""
    if value is None or value == "":
        return ""
    try:
        amount = to_pounds(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{sign}£{text}"


def percent(value, places: int = 0) -> str:
    """"10%", or "12.5%" with places=1; trailing zeros go, as GOV.UK writes percentages."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{amount:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"
