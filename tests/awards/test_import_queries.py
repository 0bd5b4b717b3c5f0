"""The history import's queries do not grow with the rows it creates: a file of 2N new awards
(each with a partner and a return) costs exactly what a file of N does, whatever the file's size
(the bulk path, creating.py, saves them a batch at a time); rows the services write one by one
(an award already saved) cost a fixed number each. Counted, not timed, so a slower import cannot
slip in unnoticed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.awards.imports import creating, import_file
from grants.awards.models import Award, MonitoringReturn
from grants.models import AuditEvent

from .importing import AWARD_HEADINGS, award_row, workbook

pytestmark = pytest.mark.django_db
RETURNS = ["Award reference", "Period", "Period start", "Period end", "Sent on", "RAG", "Commentary"]


def _book(personas, n: int, status: str = "completed", prefix: str = "Q"):
    refs = [f"{prefix}-{i}" for i in range(n)]
    return workbook({
        "Awards": [AWARD_HEADINGS, *(award_row(personas, r, amount="1000", Partners="MDX", Status=status) for r in refs)],
        "Returns": [RETURNS, *([r, f"{prefix} 2019/20 Q1", "2019-04-01", "2019-06-30", "2019-07-20", "Green", "Fine"] for r in refs)],
    })  # fmt: skip


def _queries(book, confirm=True) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = import_file(book, filename="h.xlsx", actor=None, confirm=confirm)
    assert result.errors == []
    return len(queries), result


def test_new_awards_and_returns_cost_the_same_queries_for_n_and_2n_rows(personas, monkeypatch):
    monkeypatch.setattr(creating, "BATCH", 1000)
    small, result = _queries(_book(personas, 10, prefix="A"))
    assert result.created == 20
    big, result = _queries(_book(personas, 20, prefix="B"))
    assert result.created == 40 and big - small == 0
    assert Award.objects.count() == 30 and MonitoringReturn.objects.filter(status="approved").count() == 30
    assert AuditEvent.objects.filter(action__in=["award.historic", "award.historic_return"]).count() == 60


def test_a_batch_costs_a_fixed_number_of_queries(personas, monkeypatch):
    """Saved BATCH rows at a time: each further batch of new awards costs the same few queries."""
    monkeypatch.setattr(creating, "BATCH", 5)
    one, _ = _queries(_book(personas, 5, prefix="A"), confirm=False)
    two, _ = _queries(_book(personas, 10, prefix="B"), confirm=False)
    three, _ = _queries(_book(personas, 15, prefix="C"), confirm=False)
    # per batch of 5 awards: a savepoint and its release, awards, partners, tranches, audit rows;
    # per batch of 5 returns: a savepoint and its release, returns, audit rows (no figures to save)
    assert two - one == three - two == 6 + 4


def test_live_awards_cost_no_more_per_row_than_a_fixed_count(personas, monkeypatch):
    """A live award's returns are scheduled in bulk; its imported return (an update of a due
    return) goes through historic_return_put row by row, at a fixed cost per row."""
    monkeypatch.setattr(creating, "BATCH", 1000)
    small, _ = _queries(_book(personas, 10, status="active", prefix="A"), confirm=False)
    big, _ = _queries(_book(personas, 20, status="active", prefix="B"), confirm=False)
    assert (big - small) % 10 == 0 and (big - small) // 10 == PER_UPDATED_RETURN


def test_reimporting_costs_a_fixed_number_of_queries_per_row(personas):
    """Importing a saved file again changes nothing, at a fixed cost per row (the services'
    unchanged path)."""
    for book in (_book(personas, 10, prefix="A"), _book(personas, 20, prefix="B")):
        _queries(book)
    small, result = _queries(_book(personas, 10, prefix="A"))
    assert result.unchanged == 20
    big, result = _queries(_book(personas, 20, prefix="B"))
    assert result.unchanged == 40
    assert (big - small) % 10 == 0 and (big - small) // 10 == PER_UNCHANGED_PAIR


PER_UPDATED_RETURN = 7  # historic_return_put: a due return approved, row by row
PER_UNCHANGED_PAIR = 11  # an unchanged award and an unchanged return, row by row
