"""The one write path for everything that happens to a case: plan the change in memory, then write it.

A service locks the case row, plans what happens on a ``CaseChange`` (fields set, state-machine
transitions through ``workflows.transitions.transition_plan``, SLA clocks met, paused and resumed,
audit events chained from the case row's head, who to tell, text that becomes searchable), and hands
the plans to ``case_changes_write``. That writer is the only code that inserts audit events
(``tests/workflows/test_write_path.py`` holds it to that). It writes a batch in a fixed order with a
statement per kind of row, whether the batch is one staff reply or a thousand SLA steps of the sweep:

1. new cases (intake) and their clocks; the changed columns of existing cases, named in ``update_fields``
   and carrying each case's new chain head;
2. the events;
3. new clocks of existing cases, clocks started again, the clocks whose state moved, pauses started and ended;
4. the outbox rows.

Tasks the change asks for (routing a new case) and the notifications' delivery are sent when the
transaction commits, in that order.

The caller holds the transaction: the change commits whole or not at all.
"""

from datetime import datetime
from typing import Any

from django.utils import timezone

from core.audit import PlannedEvent, event_next
from core.bulk import instance_insert, rows_insert, rows_set
from core.choices import ActorKind, Visibility
from core.dispatch import send_task_on_commit
from core.models import Case, CaseEvent, SlaClock, SlaPause
from workflows.notify import OutboxRow, StaffDirectory, outbox_insert, outbox_rows_for
from workflows.sla import CLOCK_STATE_FIELDS, load_clocks, sla_clocks_insert


class CaseChange:
    """What happens to one locked case, in memory until ``case_changes_write``.

    ``clocks``: the case's clocks and pauses when the caller already read them (the sweep reads a
    batch's at once); otherwise they are read the first time a step needs them.
    """

    def __init__(self, case: Case, *, new: bool = False, staff: StaffDirectory | None = None,
                 clocks: tuple[list, dict[int, list[SlaPause]]] | None = None,
                 new_clocks: list[SlaClock] | None = None):
        self.case = case
        self.new = new
        self.staff = staff or StaffDirectory()
        self.events: list[PlannedEvent] = []
        self.outbox: list[OutboxRow] = []
        self.new_clocks = new_clocks or []  # clocks to insert (a new case's; a referred case's agency clock)
        # Clocks whose set-up changed, written whole: started again (a case referred again), or measured against
        # another policy (a corrected category or priority).
        self.rewritten_clocks: list[SlaClock] = []
        self.new_pauses: list[SlaPause] = []
        self.ended_pauses: list[SlaPause] = []
        self.case_tasks: list[str] = []  # tasks to send the case's id to after commit
        self._clocks = clocks
        # The loaded columns as read, to name what changed (deferred columns are never compared).
        self._before = None if new else {name: value for name, value in case.__dict__.items() if name in _ATTNAMES}

    @property
    def clocks(self) -> tuple[list, dict[int, list[SlaPause]]]:
        if self._clocks is None:
            self._clocks = load_clocks(self.case)
        return self._clocks

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self.case, name, value)

    def event(self, *, type: str, actor=None, actor_kind: str = ActorKind.STAFF, data: dict[str, Any] | None = None,
              visibility: str = Visibility.INTERNAL, from_status: str = "", to_status: str = "",
              at: datetime | None = None) -> PlannedEvent:
        """Chain the next event and decide now, as the case stands, who hears about it."""
        case = self.case
        event = event_next(case=case, type=type, at=at or timezone.now(), actor=actor, actor_kind=actor_kind,
                           data=data, visibility=visibility, from_status=from_status, to_status=to_status)
        self.events.append(event)
        self.outbox += outbox_rows_for(event, case, self.staff)
        if visibility == Visibility.PUBLIC and actor_kind != ActorKind.CITIZEN and event.data.get("message"):
            # The office's public answers are searchable too.
            case.search_document = f"{case.search_document}\n{event.data['message']}"
        return event

    def task_for_case(self, name: str) -> None:
        """Ask for task ``name`` with the case's id once the change commits (before its notifications:
        a new case is routed first, so that its acknowledgement can name the unit)."""
        self.case_tasks.append(name)

    def changed_fields(self) -> list[str]:
        """The attribute names of the columns to write: those set since the case was read (a column the
        read deferred counts as changed once set)."""
        before, missing = self._before, object()
        return [name for name, value in self.case.__dict__.items()
                if name in _ATTNAMES and before.get(name, missing) != value]


_ATTNAMES = {field.attname for field in Case._meta.concrete_fields if not field.primary_key}


def case_changes_write(changes: list[CaseChange]) -> None:
    """Write planned changes (see the module's docstring for the order). Call inside the transaction
    that locked their cases."""
    new = [change for change in changes if change.new]
    for change in new:
        instance_insert(change.case)
        sla_clocks_insert(change.new_clocks)
    _cases_update([change for change in changes if not change.new])
    for change in changes:
        for name in change.case_tasks:
            send_task_on_commit(name, change.case.pk)
    events = [event for change in changes for event in change.events]
    keys = rows_insert(CaseEvent, EVENT_COLUMNS, [
        (e.case.pk, e.seq, e.at, e.actor_id, e.actor_kind, e.type, e.from_status, e.to_status, e.data, e.visibility,
         e.prev_hash, e.hash) for e in events])
    for event, key in zip(events, keys, strict=True):
        event.pk = key
    _clocks_write(changes)
    outbox_insert([row for change in changes for row in change.outbox])


CLOCK_SETUP_FIELDS = ("policy", "calendar", "budget_seconds", "ladder", "max_pause_seconds", "started_at",
                      *CLOCK_STATE_FIELDS)
EVENT_COLUMNS = ("case_id", "seq", "at", "actor_id", "actor_kind", "type", "from_status", "to_status", "data",
                 "visibility", "prev_hash", "hash")
PAUSE_COLUMNS = ("clock_id", "started_at", "ended_at", "reason")


def _cases_update(changes: list[CaseChange]) -> None:
    """Each case's changed columns; cases that changed the same columns go in one statement."""
    by_fields: dict[tuple[str, ...], list[Case]] = {}
    for change in changes:
        if fields := tuple(sorted(change.changed_fields())):
            by_fields.setdefault(fields, []).append(change.case)
    for attnames, cases in by_fields.items():
        fields = [Case._meta.get_field(name).name for name in attnames]
        if len(cases) == 1:
            cases[0].save(update_fields=fields)
        else:
            rows_set(Case, cases, fields)


def _clocks_write(changes: list[CaseChange]) -> None:
    # (A new case's clocks went in with the case; an existing case's new clocks, a referral's, go in here.)
    sla_clocks_insert([clock for change in changes if not change.new for clock in change.new_clocks])
    moved, rewritten, started, ended = [], [], [], []
    for change in changes:
        rewritten += change.rewritten_clocks
        if change._clocks is not None:
            moved += [clock for clock in change._clocks[0]
                      if clock.pk is not None and clock.is_dirty() and clock not in change.rewritten_clocks]
        started += change.new_pauses
        ended += [pause for pause in change.ended_pauses if pause.pk is not None]
    rows_set(SlaClock, rewritten, CLOCK_SETUP_FIELDS)
    rows_set(SlaClock, moved, CLOCK_STATE_FIELDS)
    for clock in rewritten:
        clock.mark_saved()
    for clock in moved:
        clock.mark_saved()
    keys = rows_insert(SlaPause, PAUSE_COLUMNS, [(p.clock_id, p.started_at, p.ended_at, p.reason) for p in started])
    for pause, key in zip(started, keys, strict=True):
        pause.pk = key
    rows_set(SlaPause, ended, ["ended_at"])


def case_change_record(case: Case, *, updates: dict[str, Any] | None = None, **event_fields) -> PlannedEvent:
    """The common change: set some of the locked case's fields, chain one event, write both."""
    change = CaseChange(case)
    change.set(**(updates or {}))
    event = change.event(**event_fields)
    case_changes_write([change])
    return event
