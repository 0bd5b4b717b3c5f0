"""The audit trail cannot be edited: on PostgreSQL a trigger refuses every UPDATE and DELETE of an
audit row, from the ORM or raw SQL, while new rows are still written and the test framework's
TRUNCATE still empties the table. Deleting a person who appears in the trail is refused on every
database (PROTECT), since it would rewrite their rows."""

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from grants.core.audit import audit_record
from grants.core.migration_ops import relabel
from grants.models import AuditEvent, User
from tests import factories as f

TABLE = AuditEvent._meta.db_table


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (SQLite's flush deletes row by row)")


def _event() -> AuditEvent:
    programme = f.ProgrammeFactory()
    return audit_record(actor=None, action="programme.update", target=programme, summary="Changed the budget")


def _refused(attempt) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        attempt()


@pytest.mark.postgres
@pytest.mark.django_db
def test_orm_cannot_change_or_delete_an_audit_row():
    _needs_postgres()
    event = _event()
    event.summary = "Nothing happened"

    _refused(event.save)
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(summary="Nothing happened"))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(actor=f.UserFactory()))
    _refused(event.delete)
    _refused(AuditEvent.objects.all().delete)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.summary, stored.actor_id) == ("Changed the budget", None)


@pytest.mark.postgres
@pytest.mark.django_db
def test_raw_sql_cannot_change_or_delete_an_audit_row():
    """As an injected statement or a hand-typed fix in a database shell would try it."""
    _needs_postgres()
    event = _event()
    assert TABLE == "grants_auditevent"
    for sql in (
        "UPDATE grants_auditevent SET summary = 'Nothing happened' WHERE id = %s",
        "UPDATE grants_auditevent SET at = at - interval '1 year' WHERE id = %s",
        "DELETE FROM grants_auditevent WHERE id = %s",
    ):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, summary="Changed the budget").exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_relabelling_a_moved_model_still_renames_its_audit_targets_and_leaves_the_guard_on():
    """The one rewrite the project makes: the migrations that moved awards and reporting out of
    grants rename `grants.<model>` targets, and on an old database may run after the trigger."""
    _needs_postgres()
    event = AuditEvent.objects.create(action="export.done", target_type="grants.exportjob", target_id="1")
    with connection.schema_editor() as editor:
        relabel("grants", "reporting", ["exportjob"]).code(apps, editor)
    assert AuditEvent.objects.get(pk=event.pk).target_type == "reporting.exportjob"
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(target_type="grants.exportjob"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_new_rows_are_written_and_the_frameworks_truncate_still_empties_the_table():
    """Django's flush between transactional tests is TRUNCATE on PostgreSQL: no row trigger fires,
    so the suite can still reset the database (this test's own teardown does it too)."""
    _needs_postgres()
    _event()
    _event()
    assert AuditEvent.objects.count() == 2
    statements = connection.ops.sql_flush(no_style(), [TABLE])
    assert all(sql.startswith("TRUNCATE") for sql in statements)
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_a_person_in_the_trail_cannot_be_deleted():
    """SET NULL would rewrite their audit rows (refused by the trigger on PostgreSQL, done silently
    on SQLite): Django refuses first, on every database; accounts are switched off instead."""
    person = f.UserFactory()
    event = audit_record(actor=person, action="programme.update", target=f.ProgrammeFactory())
    with pytest.raises(ProtectedError), transaction.atomic():
        person.delete()
    assert User.objects.filter(pk=person.pk).exists()
    assert AuditEvent.objects.get(pk=event.pk).actor_id == person.pk
