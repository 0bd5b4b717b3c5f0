"""The data version under concurrent writers (PostgreSQL, real threads and connections).

1. The version changes when the writer commits, not before: a reader that keeps a figure while
   a write is still open keeps it under the old version, and sees the new figure once the write
   commits. (A version changed at write time, outside the transaction, would keep the old figure
   under the new version: stale for good.)
2. The version row is locked only while a transaction commits, so it adds no lock a writer can
   wait on while holding another: two transactions that lock a round in opposite order to their
   writes do not deadlock on it, as they would if the version changed at write time."""

import threading

import pytest
from django.db import connection, connections, transaction

from grants.core import datacache
from grants.models import Programme, Round
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; commit-time versions are PostgreSQL's")


def _thread(work) -> tuple[threading.Thread, list]:
    errors: list = []

    def run():
        try:
            work()
        except Exception as exc:  # noqa: BLE001  (reported by the test)
            errors.append(exc)
        finally:
            connections.close_all()

    t = threading.Thread(target=run)
    t.start()
    return t, errors


def test_a_figure_kept_while_a_write_is_open_gives_way_when_it_commits():
    programme = f.ProgrammeFactory(name="Before")
    written, read = threading.Event(), threading.Event()

    def name() -> str:
        return datacache.cached("concurrent-name", (programme.pk,), lambda: Programme.objects.get(pk=programme.pk).name)

    def writer():
        with transaction.atomic():
            Programme.objects.filter(pk=programme.pk).update(name="After")
            written.set()
            assert read.wait(10)

    t, errors = _thread(writer)
    assert written.wait(10)
    assert name() == "Before"  # the write is not committed: the old figure, kept
    read.set()
    t.join(10)
    assert not errors
    assert name() == "After"


def test_writers_that_lock_in_opposite_orders_do_not_deadlock_on_the_version():
    rnd = f.RoundFactory()
    a, b = f.ProgrammeFactory(), f.ProgrammeFactory()
    both_wrote = threading.Barrier(2, timeout=10)
    first_locked = threading.Event()

    def write_then_lock():
        with transaction.atomic():
            Programme.objects.filter(pk=a.pk).update(name="A")
            both_wrote.wait()
            assert first_locked.wait(10)
            Round.objects.select_for_update().get(pk=rnd.pk)  # waits for the other's commit

    def lock_then_write():
        with transaction.atomic():
            Round.objects.select_for_update().get(pk=rnd.pk)
            Programme.objects.filter(pk=b.pk).update(name="B")
            both_wrote.wait()
            first_locked.set()
            Round.objects.filter(pk=rnd.pk).update(name="Locked in turn")

    threads = [_thread(write_then_lock), _thread(lock_then_write)]
    for t, _ in threads:
        t.join(20)
    assert [e for _, errors in threads for e in errors] == []
    assert set(Programme.objects.filter(pk__in=[a.pk, b.pk]).values_list("name", flat=True)) == {"A", "B"}
