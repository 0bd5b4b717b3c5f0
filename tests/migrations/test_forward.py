"""An existing database migrates forward with every row kept.

Awards and reporting moved from the grants app to apps of their own (labels `awards` and
`reporting`), keeping their table names. A database made before the move has those tables, full,
recorded as grants' models. Here a scratch database is built exactly as the old code built it (the
old migration files, kept in tests/migrations/legacy/), filled through the old historical models,
then migrated with today's migrations and read back with today's models. Two migrate runs, each in
its own process because the two runs need different settings (see forward_steps.py).
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

ROOT = Path(__file__).resolve().parents[2]
MOVED = {
    "awards": [
        "award",
        "paymenttranche",
        "milestone",
        "returnperiod",
        "monitoringreturn",
        "roundoutput",
        "outputvalue",
        "outputtarget",
        "variation",
        "fundreturn",
        "awardevidencefile",
    ],
    "reporting": ["exportjob", "boardsummary", "publishedfile"],
}
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}


def _step(step: str, settings_module: str, database_url: str, tmp_path: Path) -> dict:
    out = tmp_path / f"{step}.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.migrations.forward_steps", step, str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{step} run failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(out.read_text())


def _migrate_forward(database_url: str, tmp_path: Path) -> None:
    before = _step("old", "tests.migrations.legacy_settings", database_url, tmp_path)
    after = _step("new", "config.settings", database_url, tmp_path)

    # Every row of every moved table, read by today's models, is the row the old code wrote.
    assert set(before["rows"]) == set(after["rows"])
    for table, rows in before["rows"].items():
        assert rows, f"the test wrote no rows to {table}"
        kept = [{column: row[column] for column in rows[0]} for row in after["rows"][table]]
        assert kept == rows, table

    # Nothing anywhere was lost: every table the old database had has as many rows as before.
    for table, count in before["counts"].items():
        if table in BOOKKEEPING:
            assert after["counts"][table] >= count, table
        else:
            assert after["counts"].get(table) == count, table

    assert after["award_app_label"] == "awards"
    award = after["award"]
    assert award["id"] == before["award_id"] and award["bid_title"] == "Libraries online"
    assert award["partner_ids"] == before["partner_ids"]
    for related in ("tranches", "milestones", "returns", "variations", "evidence_files", "fund_returns"):
        assert award[related] == 1, related
    assert after["audit_target_types"] == ["awards.award"]

    # Content types are relabelled in place (same ids, so permissions and admin history follow),
    # not created afresh beside the old ones.
    for app_label, models in MOVED.items():
        for model in models:
            old_id = before["content_types"][f"grants.{model}"]
            assert after["content_types"].get(f"{app_label}.{model}") == old_id, model
            assert f"grants.{model}" not in after["content_types"], model

    assert after["makemigrations_clean"], "makemigrations --check found model changes with no migration"


def test_old_sqlite_database_migrates_forward_with_every_row_kept(tmp_path):
    _migrate_forward(f"sqlite:///{tmp_path / 'old.sqlite3'}", tmp_path)


def _on_postgres() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


@pytest.fixture
def scratch_postgres():
    """A database of this test's own on the server in DATABASE_URL, dropped afterwards."""
    import psycopg

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"gb_migrate_{uuid.uuid4().hex[:12]}"
    server = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        credentials = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
        yield f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(**server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.skipif(not _on_postgres(), reason="needs DATABASE_URL pointing to PostgreSQL")
def test_old_postgres_database_migrates_forward_with_every_row_kept(scratch_postgres, tmp_path):
    _migrate_forward(scratch_postgres, tmp_path)


@pytest.mark.django_db
def test_new_database_has_every_migration_applied_and_the_moved_tables():
    """The test database itself is a brand-new one migrated by today's migrations."""
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    tables = set(connection.introspection.table_names())
    assert {"grants_award", "grants_award_partners", "grants_exportjob", "grants_awardevidencefile"} <= tables
