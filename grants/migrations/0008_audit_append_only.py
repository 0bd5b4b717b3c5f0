"""The audit trail is append-only on PostgreSQL: a trigger refuses every UPDATE and DELETE of an
audit row, whoever asks (the ORM, raw SQL, a bug, an injected statement).

Nothing in the service changes or removes audit rows. Deleting a person would have (SET NULL on the
actor), so the actor is now PROTECT: accounts are switched off, never deleted. TRUNCATE, which
Django's flush uses between transactional tests, fires no row trigger and still empties the table.
The one migration step that rewrites audit rows, relabelling models moved out of grants
(grants.core.migration_ops.relabel), switches the table's triggers off for its own statement.

SQLite gets no trigger: its flush deletes row by row, which a trigger would refuse.
"""

from django.conf import settings
from django.db import migrations, models

FUNCTION = "grants_auditevent_append_only"
TRIGGER = "grants_auditevent_append_only"


def _table(apps, schema_editor) -> str:
    return schema_editor.quote_name(apps.get_model("grants", "AuditEvent")._meta.db_table)


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'The audit trail is append-only: % of an audit row refused', TG_OP
                USING ERRCODE = 'restrict_violation';
        END;
        $$
        """,
        params=None,  # the % in RAISE is PL/pgSQL's placeholder, not a query parameter
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {_table(apps, schema_editor)} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {_table(apps, schema_editor)}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0007_award_evidence_file"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=models.deletion.PROTECT, to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.RunPython(add_trigger, remove_trigger),
    ]
