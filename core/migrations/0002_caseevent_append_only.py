"""The audit trail is append-only: the database itself rejects UPDATE and DELETE of an event."""

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

class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunSQL(PG_INSTALL, PG_REMOVE)]
