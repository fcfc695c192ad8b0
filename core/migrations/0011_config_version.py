"""The configuration version that ``core.config_cache`` checks: statement triggers on the configuration
tables set it to a fresh sequence value in the changing transaction. PostgreSQL only; elsewhere the
cache keeps nothing and needs no version.

A unit's ``last_assignee_id`` (the round-robin pointer, rewritten by every routing) is not configuration:
the unit trigger fires only on updates of the unit's other columns."""

from django.db import migrations

TABLES = ("core_category", "core_slapolicy", "core_officeclosure", "core_routingrule")
UNIT_COLUMNS = "office_id, code, name_th, name_en, is_integrity, receives_unrouted, strategy, active"

CREATE = """
CREATE SEQUENCE rabfang_config_version_seq;
CREATE TABLE rabfang_config_version (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO rabfang_config_version VALUES (1, nextval('rabfang_config_version_seq'));
CREATE FUNCTION rabfang_config_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE rabfang_config_version SET version = nextval('rabfang_config_version_seq') WHERE id = 1;
    RETURN NULL;
END
$$;
""" + "".join(
    f"CREATE TRIGGER {table}_config_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION rabfang_config_version_bump();\n"
    for table in TABLES
) + f"""
CREATE TRIGGER core_unit_config_version AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF {UNIT_COLUMNS} ON core_unit
    FOR EACH STATEMENT EXECUTE FUNCTION rabfang_config_version_bump();
"""

DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_config_version ON {table};\n" for table in (*TABLES, "core_unit")) + """
DROP FUNCTION IF EXISTS rabfang_config_version_bump();
DROP TABLE IF EXISTS rabfang_config_version;
DROP SEQUENCE IF EXISTS rabfang_config_version_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0010_case_fk_indexes_covered_by_composites")]

    operations = [migrations.RunSQL(CREATE, DROP)]
