"""The audit trail is append-only: the database itself rejects UPDATE and DELETE of an event.

PostgreSQL (production and tests) gets a trigger function; SQLite (the embedded ``make run``
default) gets the equivalent RAISE(ABORT) triggers so the rule holds everywhere.
"""

from django.db import migrations

PG_INSTALL = """
CREATE OR REPLACE FUNCTION rabfang_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_caseevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER caseevent_append_only
    BEFORE UPDATE OR DELETE ON core_caseevent
    FOR EACH ROW EXECUTE FUNCTION rabfang_caseevent_append_only();
"""
PG_REMOVE = """
DROP TRIGGER IF EXISTS caseevent_append_only ON core_caseevent;
DROP FUNCTION IF EXISTS rabfang_caseevent_append_only();
"""
SQLITE_INSTALL = [
    "CREATE TRIGGER caseevent_no_update BEFORE UPDATE ON core_caseevent "
    "BEGIN SELECT RAISE(ABORT, 'core_caseevent is append-only: UPDATE is not allowed'); END;",
    "CREATE TRIGGER caseevent_no_delete BEFORE DELETE ON core_caseevent "
    "BEGIN SELECT RAISE(ABORT, 'core_caseevent is append-only: DELETE is not allowed'); END;",
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS caseevent_no_update;", "DROP TRIGGER IF EXISTS caseevent_no_delete;"]


def install(apps, schema_editor):
    _run(schema_editor, PG_INSTALL, SQLITE_INSTALL)


def remove(apps, schema_editor):
    _run(schema_editor, PG_REMOVE, SQLITE_REMOVE)


def _run(schema_editor, postgresql: str, sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql, params=None)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
