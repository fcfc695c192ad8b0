"""Finding 5: the audit chain holds against someone with database access. A rewrite with correctly
recomputed hashes and an updated head passes the chain's own check, but not the signed checkpoints (whose
key is not in the database); the runtime role cannot disable the triggers, truncate or replicate around them."""

import hashlib
import io
import json
import os

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from core.audit import chain_verify, event_hash
from core.audit_checkpoints import checkpoint_create
from core.models import Case, CaseEvent
from tests.conftest import put_in_status, submit, user_named
from workflows.staff_work import case_reply_add


def forge_reply(case: Case, text: str) -> None:
    """What an attacker with SQL does: change the reply, recompute every hash after it, move the head."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # (the test's own transaction holds deferred checks)
        cursor.execute("ALTER TABLE core_caseevent DISABLE TRIGGER USER")  # the app's superuser could, until now
        events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
        prev = events[0].prev_hash
        for event in events:
            if event.type == "reply":
                event.data = {**event.data, "message": text}
            event.prev_hash = prev
            event.hash = event_hash(event, tracking_number=case.tracking_number)
            cursor.execute("UPDATE core_caseevent SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
                           [json.dumps(event.data), event.prev_hash, event.hash, event.pk])
            prev = event.hash
        cursor.execute("UPDATE core_case SET event_head_hash = %s WHERE id = %s", [prev, case.pk])
        cursor.execute("ALTER TABLE core_caseevent ENABLE TRIGGER USER")


@pytest.mark.django_db
def test_a_recomputed_forgery_passes_the_chain_but_not_the_signed_checkpoint(demo, staff):
    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    case_reply_add(tracking=case.tracking_number, actor=user_named("officer1"), text="จะดำเนินการภายใน 7 วัน")
    checkpoint_create(now=timezone.now())
    forge_reply(case, "เรื่องนี้ไม่อยู่ในอำนาจ")
    report = chain_verify(case)
    assert not report.ok and "checkpoint" in report.reason
    answer = staff("officer1").get(f"/api/v1/cases/{case.tracking_number}/events/verify/").json()
    assert answer["ok"] is False and "checkpoint" in answer["reason"]
    with pytest.raises(CommandError, match="1 of 1 chains are broken"):
        call_command("verify_audit", case.tracking_number, stdout=io.StringIO())


@pytest.mark.django_db
def test_a_forged_checkpoint_entry_does_not_verify_without_the_key(demo):
    case = submit().case
    checkpoint_create(now=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE core_auditcheckpointentry DISABLE TRIGGER USER")
        cursor.execute("UPDATE core_auditcheckpointentry SET hash = %s WHERE case_id = %s",
                       [hashlib.sha256(b"forged").hexdigest(), case.pk])
        cursor.execute("ALTER TABLE core_auditcheckpointentry ENABLE TRIGGER USER")
    report = chain_verify(case)
    assert not report.ok and "signature" in report.reason


@pytest.mark.django_db
def test_deleted_checkpoints_are_still_held_by_the_exported_copy(demo, tmp_path):
    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    case_reply_add(tracking=case.tracking_number, actor=user_named("officer1"), text="ตอบแล้ว")
    export = tmp_path / "checkpoints.jsonl"
    call_command("audit_checkpoints_export", str(export), "--checkpoint-first", stderr=io.StringIO())
    assert case.tracking_number in export.read_text()
    call_command("verify_audit", "--checkpoints", str(export), stdout=io.StringIO())  # intact: passes
    forge_reply(case, "ปลอม")
    with connection.cursor() as cursor:  # and the attacker removes the database's checkpoints
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE core_auditcheckpointentry DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM core_auditcheckpointentry")
        cursor.execute("ALTER TABLE core_auditcheckpointentry ENABLE TRIGGER USER")
    assert chain_verify(case).ok  # the database alone can no longer tell
    out = io.StringIO()
    with pytest.raises(CommandError, match="broken"):
        call_command("verify_audit", "--checkpoints", str(export), stdout=out)
    assert case.tracking_number in out.getvalue()


@pytest.mark.django_db
def test_checkpoints_record_only_the_heads_that_moved(demo):
    submit()
    first = checkpoint_create(now=timezone.now())
    assert first is not None and first.cases == Case.objects.count()
    assert checkpoint_create(now=timezone.now()) is None
    case = submit().case
    again = checkpoint_create(now=timezone.now())
    assert again.cases == 1 and again.entries.get().case_id == case.pk


RUNTIME_ROLE = "rabfang_probe_runtime"


@pytest.fixture
def runtime_connection(transactional_db, demo, monkeypatch):
    monkeypatch.setenv("RUNTIME_DATABASE_PASSWORD", "probe-password")
    call_command("db_runtime_role", RUNTIME_ROLE, stdout=io.StringIO())
    db = connection.settings_dict
    probe = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, dbname=db["NAME"],
                            user=RUNTIME_ROLE, password="probe-password", autocommit=True)
    yield probe
    probe.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {RUNTIME_ROLE}")
        cursor.execute(f"DROP ROLE {RUNTIME_ROLE}")


@pytest.mark.parametrize("statement", [
    "SET session_replication_role = replica",
    "ALTER TABLE core_caseevent DISABLE TRIGGER ALL",
    "TRUNCATE core_caseevent",
    "UPDATE core_caseevent SET type = 'forged'",
    "DELETE FROM core_caseevent",
    "DELETE FROM core_auditcheckpointentry",
    "DROP TRIGGER caseevent_append_only ON core_caseevent",
])
def test_the_runtime_role_cannot_get_around_the_audit_rules(runtime_connection, statement):
    submit()
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        runtime_connection.execute(statement)
    assert runtime_connection.execute("SELECT count(*) FROM core_caseevent").fetchone()[0] >= 1  # rows: yes


def test_a_truncate_grant_given_by_mistake_still_meets_the_trigger(runtime_connection):
    submit()
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT TRUNCATE ON core_caseevent, core_notification TO {RUNTIME_ROLE}")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
        runtime_connection.execute("TRUNCATE core_caseevent, core_notification")
    assert CaseEvent.objects.exists()


def test_the_application_works_as_the_runtime_role(runtime_connection):
    """Intake, a transition and the audit writes, through the app's own code, connected as the runtime role."""
    import subprocess
    import sys
    from pathlib import Path

    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": f"postgres://{RUNTIME_ROLE}:probe-password@{db['HOST'] or '127.0.0.1'}:"
                                         f"{db['PORT'] or 5432}/{db['NAME']}"}
    script = ("import django; django.setup();"
              "from tests.conftest import submit, user_named; from workflows.transitions import case_transition;"
              "from core.audit import chain_verify; from core.audit_checkpoints import checkpoint_create;"
              "from django.utils import timezone;"
              "case = submit().case;"
              "case_transition(tracking=case.tracking_number, name='assign', actor=user_named('supervisor1'),"
              " params={'assignee': 'officer1'});"
              "checkpoint_create(now=timezone.now());"
              "print(chain_verify(case).ok)")
    run = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip().endswith("True"), run.stderr[-3000:]


@pytest.mark.django_db
def test_a_process_with_only_the_public_key_verifies_but_cannot_sign(demo, settings):
    from django.core.exceptions import ImproperlyConfigured

    from core.audit_checkpoints import public_key_text

    case = submit().case
    checkpoint_create(now=timezone.now())
    settings.AUDIT_CHECKPOINT_PUBLIC_KEY, settings.AUDIT_CHECKPOINT_SIGNING_KEY = public_key_text(), ""
    assert chain_verify(case).ok and chain_verify(case).checkpointed_seq == 1
    submit()
    with pytest.raises(ImproperlyConfigured):
        checkpoint_create(now=timezone.now())
    out = io.StringIO()
    call_command("audit_checkpoint_keys", "--new", stdout=out)
    other_public = out.getvalue().split("AUDIT_CHECKPOINT_PUBLIC_KEY=")[1].strip()
    settings.AUDIT_CHECKPOINT_PUBLIC_KEY = other_public  # a key that did not sign them: nothing verifies
    assert not chain_verify(case).ok
