"""What the application's PostgreSQL sessions and schema carry for the staff search (docs/performance.md)."""

from django.db import connection


def test_sessions_get_enough_memory_for_exact_search_bitmaps(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "16MB"


def test_the_search_index_holds_the_unit_and_the_text(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'core_case' AND indexdef LIKE '%gin%'")
        [definition] = [row[0] for row in cursor.fetchall()]
    assert "USING gin (unit_id, upper(search_document) gin_trgm_ops)" in definition
