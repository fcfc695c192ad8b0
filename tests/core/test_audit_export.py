"""The auditor's export (core/audit_export.py): every audit event of a period in JSON Lines and CSV, each chain
verified, SHA256SUMS, the export recorded and made by its task (a real worker in the last test); sealed reports for
the director and the integrity unit only."""

import csv
import hashlib
import io
import json
import zipfile
from datetime import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.utils.timezone import now as timezone_now

from core.audit_export import audit_export_make, audit_export_request, export_file_name
from core.calendar import BANGKOK
from core.errors import PermissionDenied
from core.models import AuditExport, CaseEvent, FilesStatus
from core.periods import period_parse
from tests.conftest import submit, user_named
from tests.workers.conftest import task_results, worker_process  # noqa: F401 - fixtures
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=BANGKOK)


def exported(code: str, username: str) -> tuple[AuditExport, bytes]:
    export = audit_export_request(period=period_parse(code), user=user_named(username), now=NOW)
    assert audit_export_make(export_id=export.pk) is True
    assert audit_export_make(export_id=export.pk) is False  # made once
    export.refresh_from_db()
    with default_storage.open(export.file, "rb") as archive:
        return export, archive.read()


@pytest.fixture
def cases(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime(2026, 2, 2, 9, 0, tzinfo=BANGKOK), tick=True):
        complaint = submit().case
        case_transition(tracking=complaint.tracking_number, name="assign", actor=user_named("supervisor1"),
                        params={"assignee": "officer1"})
        report = submit("corruption").case
    with time_machine.travel(datetime(2026, 4, 2, 9, 0, tzinfo=BANGKOK), tick=True):
        later = submit().case  # in the second half: not in H1's export
    return {"complaint": complaint, "sealed": report, "later": later}


def opened(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_director_exports_every_event_with_the_chains_and_their_checksums(cases):
    export, content = exported("2569-H1", "director")
    assert export_file_name(export) == "rabfang-audit-2569-H1.zip"
    files = opened(content)
    assert set(files) == {"events.jsonl", "events.csv", "chains.csv", "SHA256SUMS"}
    for line in files["SHA256SUMS"].decode().splitlines():
        digest, file_name = line.split("  ")
        assert hashlib.sha256(files[file_name]).hexdigest() == digest
    events = [json.loads(line) for line in files["events.jsonl"].decode().splitlines()]
    expected = CaseEvent.objects.filter(case__in=[cases["complaint"], cases["sealed"]]).count()
    assert len(events) == expected == 3  # submit + assign, and the report's submit
    assert {event["tracking_number"] for event in events} == {cases["complaint"].tracking_number,
                                                              cases["sealed"].tracking_number}
    assert events[1]["type"] == "assign" and events[1]["actor"] == "supervisor1"
    rows = list(csv.DictReader(io.StringIO(files["events.csv"].decode("utf-8-sig"))))
    assert [row["hash"] for row in rows] == [event["hash"] for event in events]
    chains = list(csv.DictReader(io.StringIO(files["chains.csv"].decode("utf-8-sig"))))
    assert [(row["ok"], row["events"]) for row in chains] == [("True", "2"), ("True", "1")]
    assert (export.period, export.sealed_included, export.events, export.chains, export.status) == (
        "2569-H1", True, 3, 2, FilesStatus.READY)
    assert export.sha256 == hashlib.sha256(content).hexdigest()


def test_auditors_get_no_sealed_report(cases):
    export, content = exported("2569", "auditor1")
    assert export_file_name(export).endswith("-unsealed.zip")
    text = opened(content)["events.jsonl"].decode()
    assert cases["sealed"].tracking_number not in text and cases["later"].tracking_number in text


def test_a_rewritten_event_shows_as_a_broken_chain(cases):
    with connection.cursor() as cursor:  # what someone with SQL could do (tests/security/test_audit_tampering.py)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE core_caseevent DISABLE TRIGGER USER")
        cursor.execute("UPDATE core_caseevent SET data = %s WHERE case_id = %s AND seq = 2",
                       [json.dumps({"assignee": "officer2"}), cases["complaint"].pk])
        cursor.execute("ALTER TABLE core_caseevent ENABLE TRIGGER USER")
    chains = opened(exported("2569-H1", "integrity1")[1])
    rows = list(csv.DictReader(io.StringIO(chains["chains.csv"].decode("utf-8-sig"))))
    broken = next(row for row in rows if row["tracking_number"] == cases["complaint"].tracking_number)
    assert (broken["ok"], broken["broken_seq"]) == ("False", "2") and "hash" in broken["reason"]


def test_officers_and_heads_cannot_export(cases):
    for username in ("officer1", "supervisor1", "clerk1"):
        with pytest.raises(PermissionDenied):
            audit_export_request(period=period_parse("2569"), user=user_named(username), now=NOW)
    assert not AuditExport.objects.exists()


def test_an_export_that_cannot_be_stored_is_marked_failed_with_its_reason(cases, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage expects a folder")
    settings.MEDIA_ROOT = blocked
    export = audit_export_request(period=period_parse("2569"), user=user_named("director"), now=NOW)
    audit_export_make(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == FilesStatus.FAILED and export.error and not export.file and not export.sha256


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_the_export(demo, worker_process, settings):  # noqa: F811
    import time

    submit()
    export = audit_export_request(period=period_parse("2570"), user=user_named("auditor1"), now=timezone_now())
    deadline = time.monotonic() + 60
    while AuditExport.objects.get(pk=export.pk).status in (FilesStatus.PENDING, FilesStatus.RUNNING):
        assert time.monotonic() < deadline, "the worker did not make the export"
        time.sleep(0.2)
    export.refresh_from_db()
    assert export.status == FilesStatus.READY, export.error
    assert export.events == CaseEvent.objects.count()  # the intake and the routing it caused
    default_storage.delete(export.file)
