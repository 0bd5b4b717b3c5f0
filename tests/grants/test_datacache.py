"""The data version (grants.core.datacache) changes with every write to a watched table, by any
route, and a kept figure is never served after its data changed."""

import pytest
from django.apps import apps
from django.db import connection, transaction

from grants.core import datacache, datacache_sql
from grants.models import Programme
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_every_project_table_but_those_named_changes_the_version():
    """A table added without the triggers would serve stale figures: its migration must call
    datacache_sql.install (reporting 0003 did it for every table there was)."""
    watched = set(datacache_sql.watched_tables(apps))
    from grants.awards.models import Award, PaymentTranche
    from scoring.models import BidTotals

    assert {m._meta.db_table for m in (Award, PaymentTranche, BidTotals, Programme)} <= watched
    installed = datacache_sql.tables_with_triggers(connection)
    assert not watched - installed, f"tables without the data version's triggers: {sorted(watched - installed)}"
    assert not installed - watched, f"tables left out that still have them: {sorted(installed - watched)}"
    assert set(datacache_sql.UNWATCHED) <= set(connection.introspection.table_names())


def _version_after(write) -> tuple[str | None, str | None]:
    """The version before and after `write`, committed as the caller's transaction allows."""
    before = _committed_version()
    write()
    return before, _committed_version()


def _committed_version() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM grants_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.django_db(transaction=True)
def test_each_route_of_writing_changes_the_version_when_it_commits():
    programme = f.ProgrammeFactory()
    routes = {
        "save": lambda: (setattr(programme, "name", "Renamed"), programme.save()),
        "queryset update": lambda: Programme.objects.filter(pk=programme.pk).update(name="Bulk"),
        "bulk create": lambda: f.OrganisationFactory.create_batch(2),
        "raw SQL": lambda: connection.cursor().execute("UPDATE grants_programme SET code = code"),
        "delete": lambda: f.ProgrammeFactory().delete(),
    }
    for name, write in routes.items():
        before, after = _version_after(write)
        assert after and after != before, name


@pytest.mark.django_db(transaction=True)
def test_an_unwatched_table_leaves_the_version_alone():
    """Sending an email must not throw away every kept figure (notifications are not read by any)."""
    from notifications.models import Notification

    user = f.UserFactory()
    note = Notification.objects.create(recipient=user, channel="email", event="test", subject="Hello", dedupe_key="k")
    before, after = _version_after(lambda: Notification.objects.filter(pk=note.pk).update(status="sent"))
    assert before == after


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_version_as_it_was():
    f.ProgrammeFactory()
    before = _committed_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Programme.objects.update(name="Never")
        raise RuntimeError
    assert _committed_version() == before


@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_has_written_never_reads_a_kept_figure():
    """Its own change is not yet in the version on PostgreSQL (that changes at commit): it must
    compute afresh, or it would read the figure from before its own write."""
    programme = f.ProgrammeFactory(name="Before")

    def name() -> str:
        return datacache.cached("test-name", (programme.pk,), lambda: Programme.objects.get(pk=programme.pk).name)

    assert name() == "Before"
    with transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(name="Inside")
        assert name() == "Inside"
    assert name() == "Inside"


def test_a_figure_is_kept_until_the_data_changes(settings):
    programme = f.ProgrammeFactory(name="First")
    calls = []

    def name() -> str:
        calls.append(1)
        return Programme.objects.get(pk=programme.pk).name

    def kept() -> str:
        return datacache.cached("test-kept", (programme.pk,), name)

    assert kept() == "First" and kept() == "First"
    if datacache.data_version() is not None:  # PostgreSQL: this test's transaction has written
        assert len(calls) == 1
    Programme.objects.filter(pk=programme.pk).update(name="Second")
    assert kept() == "Second"
    settings.DATA_CACHE = False
    Programme.objects.filter(pk=programme.pk).update(name="Third")
    assert kept() == "Third"
