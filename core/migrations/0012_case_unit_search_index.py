"""Staff search: one GIN index on (unit, UPPER(search_document) trigrams) instead of the text alone.

A search is always limited to the cases the user may see, mostly by unit. With the unit inside the text
index (``btree_gin``), the index itself returns only the matches in the user's units, instead of every
match in the office being read from the table and discarded (docs/performance.md). Queries on the text
alone (director, clerks, auditors) use the same index.

Built CONCURRENTLY, so that an installation with many cases keeps taking writes while it builds.
"""

from django.db import migrations

OLD, NEW = "case_search_upper_trgm", "case_unit_search"


def forward(apps, schema_editor):
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin", params=None)
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NEW} ON core_case "
        "USING gin (unit_id, (UPPER(search_document)) gin_trgm_ops)",
        params=None,
    )
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {OLD}", params=None)


def backward(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {OLD} ON core_case USING gin ((UPPER(search_document)) gin_trgm_ops)",
        params=None,
    )
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NEW}", params=None)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("core", "0011_config_version")]
    operations = [migrations.RunPython(forward, backward)]
