"""Dates and times in the GOV.UK style: '29 December 2026 at 5:30pm', 'midday', 'midnight'.

Django's `a` format gives 'p.m.' in en-GB, which the GOV.UK style guide rules out, and
'12:00 p.m.' is ambiguous to readers; a deadline is where that ambiguity costs a council its bid.
Pages use the `govuk_dates` template filters; emails and services call these functions.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.dateformat import format as date_format


def end_of_day(day: date) -> datetime:
    """The aware moment `day` ends here (the next midnight, UK time): `sent_at__lt=end_of_day(d)`
    means what `sent_at__date__lte=d` means, but the database compares the stored timestamps
    as they are instead of converting every row to UK time first (issue 19: a third of the board
    report's as-at queries over 40,000 returns went on that conversion). The last day there is
    has no next midnight: its end is the last moment a datetime can hold (a report as at
    31 December 9999 is typed, and must not fail)."""
    if day >= date.max:
        return timezone.make_aware(datetime.combine(date.max, time.max))
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def govuk_time(value: datetime) -> str:
    value = _local(value)
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def govuk_datetime(value: datetime, date_part: str = "j F Y", joiner: str = ", ") -> str:
    return f"{date_format(_local(value), date_part)}{joiner}{govuk_time(value)}"


def govuk_when(value: datetime) -> str:
    """For sentences: '29 December 2026 at midday'."""
    return govuk_datetime(value, joiner=" at ")


def govuk_time_exact(value: datetime) -> str:
    """To the second, for the moment a submission was received: '11:59:58am', '12:00:00pm'.

    An appeal about a deadline is judged on this, so no 'midday' that hides the seconds."""
    value = _local(value)
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value.minute:02d}:{value.second:02d}{suffix}"


def govuk_when_exact(value: datetime) -> str:
    """For receipts: '4 December 2026 at 11:59:58am (UK time)'."""
    return f"{date_format(_local(value), 'j F Y')} at {govuk_time_exact(value)} (UK time)"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def duration_words(seconds: int) -> str:
    """How long something lasts, in words: '8 hours', '1 year' (Django's 52 weeks is a year)."""
    days = seconds // 86400
    if days >= 364:
        return _plural(max(round(days / 365), 1), "year")
    if days >= 7 and seconds % (7 * 86400) == 0:
        return _plural(days // 7, "week")
    if days >= 1 and seconds % 86400 == 0:
        return _plural(days, "day")
    if seconds >= 3600:
        return _plural(round(seconds / 3600), "hour")
    return _plural(max(round(seconds / 60), 1), "minute")
