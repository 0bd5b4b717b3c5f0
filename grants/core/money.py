"""Money is Decimal pounds everywhere; this is the one place that says how it is stored and shown."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.validators import MinValueValidator

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Keyword arguments for every money column: pounds and pence, never negative.
money = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(ZERO)]}


def _decimal(value) -> Decimal:
    # A float goes through its shortest text, so 1.005 is 1.005 and not 1.00499999... Text may
    # carry thousands separators: notifications queued before the filters carry "25,000.00".
    if isinstance(value, Decimal):
        return value  # the usual case, from a money column: the ranking page formats thousands
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        return Decimal(value.replace(",", "").strip() or 0)
    return Decimal(value or 0)


def to_pounds(value) -> Decimal:
    """A value as pounds and pence (half up, as finance rounds)."""
    return _decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _finite(value, convert) -> Decimal | None:
    try:
        amount = convert(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return amount if amount.is_finite() else None


def _grouped(amount: Decimal) -> str:
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


def pounds(value) -> str:
    """GOV.UK style: "£50,000" for whole pounds, "£1,234.50" otherwise, "-£200" below zero.

    The style guide drops ".00" from whole pounds and never writes "GBP"; "" for no value, so a
    missing amount is not shown as £0. Anything that is not a number is shown as it came."""
    if value is None or value == "":
        return ""
    amount = _finite(value, to_pounds)
    if amount is None:
        return str(value)
    return f"{'-' if amount < 0 else ''}£{_grouped(abs(amount))}"


def number(value) -> str:
    """A count or quantity as people read it: "1,200", "12.50"; "" for no value."""
    if value is None or value == "":
        return ""
    amount = _finite(value, _decimal)
    return str(value) if amount is None else _grouped(amount)


def percent(value, places: int = 0) -> str:
    """ "10%", or "12.5%" with places=1; trailing zeros go, as GOV.UK writes percentages."""
    if value is None or value == "":
        return ""
    amount = _finite(value, lambda v: _decimal(v).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    if amount is None:
        return str(value)
    text = f"{amount:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def in_unit(value, unit: str) -> str:
    """An output's figure in its unit: pounds "£42,000", percent "61%" or "2.3%", else a count
    "7,253". The one formatter for outputs (pages, the board report, emails)."""
    if unit == "pounds":
        return pounds(value)
    if unit == "percent":
        return percent(value, places=2)
    return number(value)
