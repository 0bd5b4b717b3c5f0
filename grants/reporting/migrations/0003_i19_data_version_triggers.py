"""Issue 19: every project table, but those `datacache_sql.UNWATCHED` names, changes the data
version when written (grants.core.datacache). Here, above every app, so all their tables exist."""

from django.db import migrations

from grants.core import datacache_sql

# datacache_sql.UNWATCHED as it stood for this migration.
UNWATCHED = (
    "grants_auditevent",
    "notifications_notification",
    "grants_exportjob",
    "awards_importjob",
    "api_apitoken",
    "grants_dataversion",
)


def install(apps, schema_editor):
    datacache_sql.install(schema_editor, datacache_sql.watched_tables(apps, UNWATCHED))
    datacache_sql.bump(schema_editor)  # the data already here has a version from the start


def uninstall(apps, schema_editor):
    datacache_sql.uninstall(schema_editor, datacache_sql.watched_tables(apps, UNWATCHED))


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0020_i19_data_version"),
        ("notifications", "0003_notification_subject_uncut"),
        ("applications", "0007_other_partners"),
        ("awards", "0012_i18c_updated_at"),
        ("scoring", "0008_i19_bid_totals"),
        ("reporting", "0002_i17e_commitments"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
