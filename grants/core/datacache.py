"""Figures added up over every award, kept until the data under them changes.

The dashboard, the board report, the portfolio and the ranking each add up every award, return,
output value or score the person may see: the cost grows with the programme, on every view. The
result is a pure function of the data, so it is kept in the cache under the database's *data
version*, a token the database itself changes (triggers: `grants.core.datacache_sql`) in the
same transaction as any insert, update, delete or truncate on a watched table, whoever writes:
the services, bulk writers, imports, the admin, raw SQL. A new write means a new token, so a
figure is never served from before a change that had committed when its reader began. One owner
decides "has anything changed": the database, not each of the fourteen write paths.

Why it is correct under concurrency: the version is read first, then the figures (PostgreSQL's
READ COMMITTED: each statement sees at least what the earlier one saw). Figures read after the
version are at least as new as it, so figures kept under a version are never older than it; a
later commit changes the token and the next reader recomputes. Within a transaction that has
itself written a watched table the token is not yet changed on PostgreSQL (it changes at
commit), so such a reader is told "no version" and computes afresh without keeping it.

Each key also holds what the figures depend on besides the data: who is asking (their
programmes and conflicts of interest are data, but which user is not), the filters, and the
date when "today" matters. Entries expire after a day.
"""

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

T = TypeVar("T")

# Set for the rest of a transaction by the statement trigger once it has written a watched table.
DIRTY = "grantbench.data_dirty"
TIMEOUT = 24 * 60 * 60
# Part of every key: change it when what a cached function returns changes shape, so a deploy
# never reads entries written by the code before it.
SCHEMA = "2"


def data_version() -> str | None:
    """The token of the data as this transaction sees it, or None when there is none to trust:
    no row yet (a new or just-flushed database), or this transaction has written a watched
    table and not yet committed (PostgreSQL changes the token at commit)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT (SELECT token FROM grants_dataversion WHERE id = 1), current_setting(%s, true)", [DIRTY]
            )
            token, dirty = cursor.fetchone()
            return None if dirty == "1" else token
        cursor.execute("SELECT token FROM grants_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def key(name: str, version: str, parts: Iterable) -> str:
    digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
    return f"data:{SCHEMA}:{name}:{version}:{digest}"


def cached(
    name: str, parts: Iterable, compute: Callable[[], T], until: Callable[[T], datetime | None] | None = None
) -> T:
    """`compute()`, or what it returned for the same `name` and `parts` on the same data.
    `parts` must name everything besides the data that the result depends on. Where the clock
    changes the result too (a round opens or closes), `until(result)` gives the moment it stops
    being true (None: not before the data changes); from then it is worked out afresh."""
    version = data_version() if settings.DATA_CACHE else None
    if version is None:
        return compute()
    k = key(name, version, parts)
    found = cache.get(k)
    if found is not None and (len(found) == 1 or found[1] is None or timezone.now() < found[1]):
        return found[0]
    value = compute()
    cache.set(k, (value,) if until is None else (value, until(value)), TIMEOUT)
    return value
