"""One write path: every audit event is inserted by ``workflows.changes.case_changes_write``, chained
from the case row's head, with the case's changed columns named."""

import ast
from pathlib import Path

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from core.audit import chain_verify
from core.models import Case, CaseEvent
from tests.conftest import put_in_status, submit, user_named
from workflows.staff_work import case_note_add

ROOT = Path(__file__).resolve().parents[2]
APP_FOLDERS = ("config", "core", "workflows", "workers", "api", "portal")
WRITER = Path("workflows/changes.py")


def _inserts_events(tree: ast.AST) -> list[int]:
    """Lines that build or insert CaseEvent rows: ``CaseEvent(...)``, ``CaseEvent.objects.create`` and
    friends, or ``CaseEvent`` handed to a function (``rows_insert(CaseEvent, ...)``, ``bulk_create``)."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "CaseEvent":
            lines.append(node.lineno)
        elif isinstance(func, ast.Attribute) and func.attr in {"create", "bulk_create", "get_or_create",
                                                               "update_or_create", "save"}:
            if "CaseEvent" in ast.unparse(func.value):
                lines.append(node.lineno)
        elif any(isinstance(arg, ast.Name) and arg.id == "CaseEvent" for arg in node.args):
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if "insert" in name or "create" in name or "copy" in name:
                lines.append(node.lineno)
    return lines


def test_only_the_writer_inserts_audit_events():
    found = {}
    for folder in APP_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = _inserts_events(ast.parse(path.read_text()))
            if lines:
                found[str(path.relative_to(ROOT))] = lines
    assert set(found) == {str(WRITER)}, (
        f"CaseEvent rows are built or inserted outside {WRITER}: {found}. Plan the event on a CaseChange "
        "(change.event(...)) and write it with case_changes_write.")


def test_the_detector_sees_each_way_of_inserting():
    for source in ("CaseEvent(case=c)", "CaseEvent.objects.create(case=c)", "CaseEvent.objects.bulk_create([])",
                   "rows_insert(CaseEvent, cols, rows)"):
        assert _inserts_events(ast.parse(source)), source
    assert not _inserts_events(ast.parse("CaseEvent.objects.filter(case=c)"))
    assert not _inserts_events(ast.parse("models.ForeignKey(CaseEvent, on_delete=models.PROTECT)"))


@pytest.mark.django_db
def test_the_chain_head_is_the_case_row_not_the_last_event(demo):
    """A head that disagrees with the rows makes the write fail (unique case and seq) instead of forking
    or silently following the last row."""
    case = submit().case
    put_in_status(case, "assigned", unit="personnel", assignee=user_named("officer1"))
    case_note_add(tracking=case.tracking_number, actor=user_named("officer1"), text="first")
    Case.objects.filter(pk=case.pk).update(event_head_seq=1)
    with pytest.raises(IntegrityError):
        case_note_add(tracking=case.tracking_number, actor=user_named("officer1"), text="second")


@pytest.mark.django_db
def test_a_note_writes_the_changed_columns_by_name_and_nothing_reads_the_last_event(demo):
    case = submit().case
    put_in_status(case, "assigned", unit="personnel", assignee=user_named("officer1"))
    with CaptureQueriesContext(connection) as queries:
        event = case_note_add(tracking=case.tracking_number, actor=user_named("officer1"), text="โทรหาผู้ร้องแล้ว")
    statements = [query["sql"] for query in queries.captured_queries]
    updates = [sql for sql in statements if sql.startswith('UPDATE "core_case"')]
    assert len(updates) == 1
    assert 'SET "updated_at" = ' in updates[0] and '"title"' not in updates[0]  # only what changed
    assert not [sql for sql in statements if "core_caseevent" in sql and sql.startswith("SELECT")]
    stored = CaseEvent.objects.get(pk=event.pk)
    assert (stored.seq, stored.hash) == (2, Case.objects.get(pk=case.pk).event_head_hash)
    assert chain_verify(case).ok
