import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from core.audit import GENESIS_HASH, chain_verify, event_hash
from core.models import CaseEvent
from tests.conftest import put_in_status, submit, user_named
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked_case(demo):
    """A complaint with a chain of four events: submit, assign, accept, respond."""
    case = submit().case
    supervisor, officer = user_named("supervisor1"), user_named("officer1")
    case_transition(tracking=case.tracking_number, name="assign", actor=supervisor, params={"assignee": "officer1"})
    case_transition(tracking=case.tracking_number, name="accept", actor=officer)
    case_transition(tracking=case.tracking_number, name="respond", actor=officer, params={"reply": "แก้ไขแล้ว"})
    return case


def _tamper(sql: str, params: list) -> None:
    """Alter events behind the trigger's back, as someone with database access could."""
    with connection.cursor() as cursor:
        # The test's own transaction holds deferred FK checks; PostgreSQL won't ALTER a table with those pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE core_caseevent DISABLE TRIGGER caseevent_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE core_caseevent ENABLE TRIGGER caseevent_append_only")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_chain_links_each_event_to_the_previous_one(worked_case):
    events = list(CaseEvent.objects.filter(case=worked_case).order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert [e.type for e in events] == ["submit", "assign", "accept", "respond"]
    assert events[0].prev_hash == GENESIS_HASH
    for previous, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == previous.hash
    for event in events:
        assert event.hash == event_hash(event, tracking_number=worked_case.tracking_number)
    assert chain_verify(worked_case).ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_caseevent SET data = '{\"reply\": \"forged\"}' WHERE case_id = %s",
        "UPDATE core_caseevent SET hash = 'x' WHERE case_id = %s",
        "DELETE FROM core_caseevent WHERE case_id = %s",
    ],
)
def test_the_database_rejects_update_and_delete_of_events(worked_case, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [worked_case.pk])
    assert CaseEvent.objects.filter(case=worked_case).count() == 4
    assert chain_verify(worked_case).ok


def test_orm_update_and_delete_are_rejected_too(worked_case):
    event = CaseEvent.objects.filter(case=worked_case).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(type="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()


def test_verify_names_the_first_altered_event(worked_case, staff):
    _tamper("UPDATE core_caseevent SET data = %s WHERE case_id = %s AND seq = 3",
            ['{"params": {}, "comment": "forged"}', worked_case.pk])

    report = chain_verify(worked_case)
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "contents" in report.reason

    response = staff("supervisor1").get(f"/api/v1/cases/{worked_case.tracking_number}/events/verify/")
    assert response.status_code == 200
    assert response.json() == {"tracking_number": worked_case.tracking_number, "events": 3, "ok": False,
                               "broken_seq": 3, "reason": report.reason, "checkpointed_seq": 0}

    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=out)
    assert failure.value.returncode == 1
    assert f"{worked_case.tracking_number}: broken at event 3" in out.getvalue()


def test_verify_detects_a_rewritten_hash_by_the_next_link(worked_case):
    # A forger who recomputes the altered event's own hash still breaks the next event's prev_hash.
    event = CaseEvent.objects.get(case=worked_case, seq=2)
    event.data = {"params": {"assignee": "someone-else"}}
    forged_hash = event_hash(event, tracking_number=worked_case.tracking_number)
    _tamper("UPDATE core_caseevent SET data = %s, hash = %s WHERE id = %s",
            ['{"params": {"assignee": "someone-else"}}', forged_hash, event.pk])
    report = chain_verify(worked_case)
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "prev_hash" in report.reason


def test_verify_detects_a_removed_event(worked_case):
    _tamper("DELETE FROM core_notification WHERE event_id IN "
            "(SELECT id FROM core_caseevent WHERE case_id = %s AND seq = 2)", [worked_case.pk])
    _tamper("DELETE FROM core_caseevent WHERE case_id = %s AND seq = 2", [worked_case.pk])
    report = chain_verify(worked_case)
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "sequence gap" in report.reason


def test_verify_audit_command_passes_on_intact_chains(worked_case):
    other = submit("suggestion").case
    put_in_status(other, "assigned", unit="promotion")
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "2 chains verified, all intact." in out.getvalue()
    out = io.StringIO()
    call_command("verify_audit", worked_case.tracking_number.lower(), stdout=out)
    assert "1 chains verified" in out.getvalue()


def test_verify_detects_events_removed_from_the_end(worked_case):
    _tamper("DELETE FROM core_notification WHERE event_id IN "
            "(SELECT id FROM core_caseevent WHERE case_id = %s AND seq >= 3)", [worked_case.pk])
    _tamper("DELETE FROM core_caseevent WHERE case_id = %s AND seq >= 3", [worked_case.pk])
    report = chain_verify(worked_case)
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "records 4 events" in report.reason
