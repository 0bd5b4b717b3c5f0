"""Dates and times as the text 360Giving files carry, written by the database.

The export used to load every award's dates and modification time as Python objects only to turn
them straight back into text: for 100,000 grants that was about a third of its Python time
(Django's timestamptz loader is pure Python, and `isoformat` is not free). These expressions
select the finished text instead, and they are the only formula the export has for it: `grant`
reads what they give on every path (one grant or a stream), and tests/reporting/
test_open_data_previous.py proves on SQLite and PostgreSQL that they give exactly what
`date.isoformat()` and `datetime.isoformat()` of the values Django loads give.
"""

from django.db import NotSupportedError
from django.db.models import CharField, Func


class IsoDate(Func):
    """A date column as `date.isoformat()` writes it: YYYY-MM-DD (NULL stays NULL).

    to_char on PostgreSQL so that a DateStyle other than ISO cannot change it; SQLite already
    stores Django's dates as that text (cast, or Python's sqlite3 would parse the bare column
    back into a date by its declared type)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"IsoDate is written for SQLite and PostgreSQL, not {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS text)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra)


class IsoDateTimeUTC(Func):
    """A timestamp column as `datetime.isoformat()` writes Django's aware value in UTC:
    YYYY-MM-DDTHH:MM:SS, then .ffffff only when there are microseconds, then +00:00.

    PostgreSQL: converted to UTC whatever the session's time zone. SQLite: Django stores an aware
    datetime as its naive UTC value in `str()` form (a space for the T, microseconds only when
    there are some), so the text needs only the T and the offset."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"IsoDateTimeUTC is written for SQLite and PostgreSQL, not {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="(REPLACE(%(expressions)s, ' ', 'T') || '+00:00')", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        # Microseconds always, then ".000000" taken out: the only "." in the text is the
        # fraction's, and one to_char of one conversion costs half what a CASE of two did.
        template = (
            "(REPLACE(to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '')"
            " || '+00:00')"
        )
        return super().as_sql(compiler, connection, template=template, **extra)
