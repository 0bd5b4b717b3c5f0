"""Moving models between apps without losing a row.

Awards and reporting once lived in the grants app. Their models now belong to apps of their own,
with the same table names. On a database made before the move, the tables are already there, full
of rows: the new app adopts them. On a new database it creates them. Either way the migration
state is the same, and the old app's migrations no longer depend on the apps above it.
"""

from contextlib import contextmanager

from django.db import migrations


class CreateOrAdoptModels(migrations.SeparateDatabaseAndState):
    """CreateModel operations whose tables are created only where no table of that name exists."""

    def __init__(self, operations):
        super().__init__(state_operations=operations)

    def deconstruct(self):
        return self.__class__.__qualname__, [self.state_operations], {}

    def _models(self, app_label, state):
        return [state.apps.get_model(app_label, op.name) for op in self.state_operations if hasattr(op, "fields")]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        existing = set(schema_editor.connection.introspection.table_names())
        for model in self._models(app_label, to_state):
            if model._meta.db_table not in existing and self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.create_model(model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for model in reversed(self._models(app_label, from_state)):
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.delete_model(model)

    def describe(self):
        return "Create or adopt the tables of " + ", ".join(op.name for op in self.state_operations)


@contextmanager
def audit_rewrite(schema_editor, audit_model):
    """The audit table refuses UPDATE and DELETE on PostgreSQL (grants migration 0008's trigger).
    A migration that must rename what audit rows point at, and nothing else, switches the table's
    own triggers off for its statement, inside the migration's transaction."""
    table = schema_editor.quote_name(audit_model._meta.db_table)
    guarded = schema_editor.connection.vendor == "postgresql"
    if guarded:
        # Deferred foreign-key checks still queued in this transaction would block ALTER TABLE.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    if guarded:
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are deferred


def relabel(old_app: str, new_app: str, models: list[str]):
    """A RunPython step: content types and audit records that named a moved model by its old app
    label name it by the new one, so permissions, admin history and audit trails follow the rows."""

    def forwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        AuditEvent = apps.get_model("grants", "AuditEvent")
        for model in models:
            if not ContentType.objects.filter(app_label=new_app, model=model).exists():
                ContentType.objects.filter(app_label=old_app, model=model).update(app_label=new_app)
            with audit_rewrite(schema_editor, AuditEvent):
                AuditEvent.objects.filter(target_type=f"{old_app}.{model}").update(target_type=f"{new_app}.{model}")

    def backwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        AuditEvent = apps.get_model("grants", "AuditEvent")
        for model in models:
            ContentType.objects.filter(app_label=new_app, model=model).update(app_label=old_app)
            with audit_rewrite(schema_editor, AuditEvent):
                AuditEvent.objects.filter(target_type=f"{new_app}.{model}").update(target_type=f"{old_app}.{model}")

    return migrations.RunPython(forwards, backwards)
