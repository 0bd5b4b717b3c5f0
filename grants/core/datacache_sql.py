"""The triggers that change the data version (`grants.core.datacache`) with every write.

PostgreSQL, on each watched table:
- a statement trigger marks the transaction as having written (a transaction-local setting), so
  its own reads skip the cache until it commits; on TRUNCATE it changes the token at once;
- a deferred constraint trigger changes the token once per transaction, at commit. Deferred, so
  the version row is locked only while the transaction commits: a bid submitted at the deadline
  never waits on a long transaction elsewhere, and no lock taken after it can deadlock on it.
  The token is random, so a restored or rebuilt database never meets the keys of an old one.

SQLite has no deferred triggers and serialises writers anyway: each row written changes the
token at once, in the writer's transaction (its own reads see it; a rollback takes it back).

A migration that adds a table calls `install(schema_editor, [table])`;
tests/grants/test_datacache_triggers.py fails for any project table left without them.
"""

from collections.abc import Iterable

# App labels whose tables are watched, and the tables left out: written on nearly every request
# or job step and read by no cached figure (an audit row is written beside the rows it records,
# which are watched). Leaving a table out wrongly would serve stale figures, so each is named.
APPS = ("grants", "notifications", "applications", "awards", "scoring", "reporting", "api")
UNWATCHED = {
    "grants_auditevent": "append-only record of changes to watched rows",
    "notifications_notification": "every email and message sent; no cached figure reads it",
    "grants_exportjob": "a download's progress, saved every few hundred rows",
    "awards_importjob": "an import's progress, saved as it runs",
    "api_apitoken": "last used time, saved on every API call",
    "grants_dataversion": "the version itself",
}
BUMP = "grantbench_data_bump"
DIRTY = "grantbench_data_dirty"
# A new random token, in each database's SQL. Every statement below is built from these
# constants and table names from the models, never from input (hence the noqa: S608).
FRESH_PG = "gen_random_uuid()::text"
FRESH_SQLITE = "lower(hex(randomblob(16)))"


_SQLITE_UPSERT = f"INSERT OR REPLACE INTO grants_dataversion (id, token) VALUES (1, {FRESH_SQLITE});"  # noqa: S608


def watched_tables(apps, unwatched: Iterable[str] = tuple(UNWATCHED)) -> list[str]:
    """Every table of the project's apps (many-to-many tables included) but those left out. A
    migration passes the list as it stood when it was written, so it means the same thing later."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in APPS and model._meta.managed and not model._meta.proxy
    }
    return sorted(tables - set(unwatched))


def create_functions(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    upsert = f"INSERT INTO grants_dataversion (id, token) VALUES (1, {FRESH_PG}) ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;"  # noqa: S608, E501
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {DIRTY}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                {upsert}
            END IF;
            PERFORM set_config('grantbench.data_dirty', '1', true);
            RETURN NULL;
        END;
        $$
        """,
        params=None,
    )
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {BUMP}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF current_setting('grantbench.data_bumped', true) = '1' THEN
                RETURN NULL;
            END IF;
            {upsert}
            PERFORM set_config('grantbench.data_bumped', '1', true);
            RETURN NULL;
        END;
        $$
        """,
        params=None,
    )


def drop_functions(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {BUMP}()")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {DIRTY}()")


def _statements(vendor: str, table: str, quoted: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE TRIGGER {DIRTY} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quoted} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {DIRTY}()",
            f"CREATE CONSTRAINT TRIGGER {BUMP} AFTER INSERT OR UPDATE OR DELETE ON {quoted} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {BUMP}()",
        ]
    return [
        f"CREATE TRIGGER {BUMP}_{table}_{event.lower()} AFTER {event} ON {quoted} BEGIN {_SQLITE_UPSERT} END"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def bump(schema_editor) -> None:
    """A new token now, as a write would give (for data loaded before the triggers existed)."""
    token = FRESH_PG if schema_editor.connection.vendor == "postgresql" else FRESH_SQLITE
    schema_editor.execute("DELETE FROM grants_dataversion WHERE id = 1")
    schema_editor.execute(f"INSERT INTO grants_dataversion (id, token) VALUES (1, {token})")  # noqa: S608


def install(schema_editor, tables: Iterable[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for table in tables:
        for sql in _statements(vendor, table, schema_editor.quote_name(table)):
            schema_editor.execute(sql, params=None)


def uninstall(schema_editor, tables: Iterable[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        quoted = schema_editor.quote_name(table)
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {DIRTY} ON {quoted}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {BUMP} ON {quoted}")
        elif vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {BUMP}_{table}_{event}")


def tables_with_triggers(connection) -> set[str]:
    """Tables that carry the version triggers now (for the test that none is left out)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname IN (%s, %s) AND NOT t.tgisinternal GROUP BY c.relname HAVING count(*) = 2",
                [BUMP, DIRTY],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{BUMP}_%"])
        rows = [row[0] for row in cursor.fetchall()]
    return {t for t in rows if rows.count(t) == 3}
