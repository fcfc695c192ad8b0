"""Django's icontains compiles to UPPER(column) LIKE UPPER(pattern): index that expression, not the bare column."""

from django.db import migrations

OLD, NEW = "case_search_trgm", "case_search_upper_trgm"


def forward(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD}", params=None)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NEW} ON core_case USING gin ((UPPER(search_document)) gin_trgm_ops)",
        params=None,
    )


def backward(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NEW}", params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_config")]
    operations = [migrations.RunPython(forward, backward)]
