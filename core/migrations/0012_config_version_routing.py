"""Routing rules and units count as configuration for ``core.config_cache`` too. A unit's
``last_assignee_id`` (the round-robin pointer, rewritten by every routing) does not: the trigger fires
only on updates of the unit's other columns."""

from django.db import migrations

UNIT_COLUMNS = "office_id, code, name_th, name_en, is_integrity, receives_unrouted, strategy, active"

CREATE = f"""
CREATE TRIGGER core_routingrule_config_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON core_routingrule
    FOR EACH STATEMENT EXECUTE FUNCTION rabfang_config_version_bump();
CREATE TRIGGER core_unit_config_version AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF {UNIT_COLUMNS} ON core_unit
    FOR EACH STATEMENT EXECUTE FUNCTION rabfang_config_version_bump();
"""

DROP = """
DROP TRIGGER IF EXISTS core_routingrule_config_version ON core_routingrule;
DROP TRIGGER IF EXISTS core_unit_config_version ON core_unit;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0011_config_version")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
