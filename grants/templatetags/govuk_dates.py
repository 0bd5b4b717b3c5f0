"""`{{ round.closes_at|govuk_datetime }}`, `|govuk_datetime:"j M Y"` for tables, `|govuk_time`."""

from datetime import datetime

from django import template

from grants.core import dates

register = template.Library()


@register.filter
def govuk_time(value: datetime | None) -> str:
    return dates.govuk_time(value) if value else ""


@register.filter
def govuk_datetime(value: datetime | None, date_part: str = "j F Y") -> str:
    return dates.govuk_datetime(value, date_part) if value else ""


@register.filter
def govuk_when_exact(value: datetime | None) -> str:
    """'4 December 2026 at 11:59:58am (UK time)': when a submission was received."""
    return dates.govuk_when_exact(value) if value else ""
