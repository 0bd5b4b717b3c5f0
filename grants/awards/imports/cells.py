"""One cell to one value: pounds, dates, whole numbers, statuses, RAG. Each raises CellError with
the words the row's message will carry."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from grants.awards.models import AwardStatus, Rag
from grants.core.words import counted


class CellError(ValueError):
    """The cell cannot be read as what its column holds."""


def money(value) -> Decimal:
    """Pounds, up to 2 decimal places: "£1,234.50", "1234.5" and numbers."""
    if isinstance(value, bool):
        raise CellError(f"'{value}' is not an amount in pounds")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = re.sub(r"[£,\s]", "", str(value))
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise CellError(f"'{value}' is not an amount in pounds, for example 1234.50") from exc
    if not amount.is_finite():
        raise CellError(f"'{value}' is not an amount in pounds")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(f"'{value}' has more than 2 decimal places")
    if abs(amount) >= Decimal("1e10"):
        raise CellError(f"'{value}' is too large")
    return amount.quantize(Decimal("0.01"))


def day(value) -> date:
    """An Excel date, 2019-04-01 or 01/04/2019 (day first)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()  # a date cell saved without a date format: Excel's day number
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"'{value}' is not a date: use 2019-04-01 or 01/04/2019")


def whole(value) -> int:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise CellError(f"'{value}' is not a whole number") from exc
    if number != number.to_integral_value() or number < 1 or number > 999:
        raise CellError(f"'{value}' is not a whole number from 1")
    return int(number)


def status(value) -> str:
    text = str(value).strip().lower()
    for choice in (AwardStatus.ACTIVE, AwardStatus.COMPLETED, AwardStatus.WITHDRAWN, AwardStatus.TERMINATED):
        if text in (choice.value, choice.label.lower()):
            return choice.value
    raise CellError(f"'{value}' is not a status: use active, completed, withdrawn or terminated")


def rag(value) -> str:
    text = str(value).strip().lower()
    for choice in Rag:
        if text in (choice.value, choice.label.lower(), choice.value[0]):
            return choice.value
    raise CellError(f"'{value}' is not a RAG rating: use Red, Amber or Green")


def text(value, *, limit: int = 0) -> str:
    out = value.strftime("%Y-%m-%d") if isinstance(value, date) else str(value).strip()
    if isinstance(value, float) and value.is_integer():
        out = str(int(value))
    if limit and len(out) > limit:
        raise CellError(f"is longer than {counted(limit, 'character')}")
    return out
