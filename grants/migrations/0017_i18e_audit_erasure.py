"""Erasure may rewrite the text of audit rows, and nothing else (issue 18, personal data).

The append-only trigger (0008) still refuses every DELETE, and every UPDATE, except one: inside
a transaction that set `grantbench.erasure` to 'on' (grants.erasure.person_erase, with
set_config(..., true), which ends with the transaction), an UPDATE that leaves the row's time,
actor, action and target as they were may change its summary and data, so a person's old name
and email can be replaced by their pseudonym. Who did what to what, and when, stays immutable;
the erasure writes an audit row of its own.
"""

from django.db import migrations

FUNCTION = "grants_auditevent_append_only"

ERASURE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND current_setting('grantbench.erasure', true) = 'on'
        AND NEW.id = OLD.id
        AND NEW.at = OLD.at
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.action = OLD.action
        AND NEW.target_type = OLD.target_type
        AND NEW.target_id = OLD.target_id
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: % of an audit row refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$
"""

APPEND_ONLY = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only: % of an audit row refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$
"""


def _replace(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # % is PL/pgSQL's placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("grants", "0016_i17a_round_spend")]

    operations = [migrations.RunPython(_replace(ERASURE), _replace(APPEND_ONLY))]
