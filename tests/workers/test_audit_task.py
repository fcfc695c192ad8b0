import pytest
from celery import current_app
from celery.result import AsyncResult
from django.db import connection

from tests.conftest import submit


@pytest.mark.slow
def test_a_real_worker_reverifies_recent_chains_and_reports_broken_ones(demo, worker_process, task_results):
    _intact, tampered = submit().case, submit().case
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_caseevent DISABLE TRIGGER caseevent_append_only")
        cursor.execute("UPDATE core_caseevent SET data = '{\"channel\": \"forged\"}' WHERE case_id = %s",
                       [tampered.pk])
        cursor.execute("ALTER TABLE core_caseevent ENABLE TRIGGER caseevent_append_only")

    sent = current_app.send_task("audit.verify_recent_chains", kwargs={"hours": 1})
    assert AsyncResult(sent.id, backend=task_results).get(timeout=60) == 1  # the tampered one, not the intact one
