"""The SLA sweep: apply every ladder step that has come due, exactly once (docs/design.md, "SLA").

The sweep reads one indexed column, ``Case.sla_next_action_at``, and takes due rows with
``SELECT ... FOR UPDATE SKIP LOCKED`` in bounded batches: two sweeps running at once split the
work instead of repeating it, and a step is recorded on its clock (``steps_applied``) in the same
transaction as its audit event and notifications, so it can never be applied twice.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.bulk import fast_timestamps
from core.choices import FINAL_STATUSES, ActorKind, Status, Visibility
from core.config_cache import calendars
from core.models import Case, Heartbeat, SlaClock
from core.sla import Calendars, clock_running, clock_time_at
from workflows.changes import CaseChange, case_changes_write
from workflows.closures import calendar_recompute_started
from workflows.notify import StaffDirectory
from workflows.sla import load_clocks_of, sla_compute
from workflows.transitions import transition_plan

logger = logging.getLogger(__name__)
RETRY_BROKEN_CASE_AFTER = timedelta(minutes=5)
HEARTBEAT = "sla_sweep"


def sla_apply_due_steps(*, now: datetime | None = None, limit: int = 500) -> int:
    """Apply due steps of at most ``limit`` cases; returns how many cases it took.

    Each case's steps are planned like any change to a case (``workflows.changes``): the step's audit
    event, escalations through the same transition planner as staff use, an expired wait for the
    citizen resumed the same way, then the clocks and SLA columns recomputed. The batch's changes are
    then written together by the one writer, in the batch's one transaction: every step commits with
    its event and notifications or not at all. Should the batch's write fail, each case is planned
    again from a fresh read and written in its own savepoint, so one broken case never holds up the
    others; a case that fails alone is looked at again after ``RETRY_BROKEN_CASE_AFTER``.
    """
    now = now or timezone.now()
    cals = calendars()
    fast_timestamps()
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .only(*SWEEP_CASE_READS)
            .filter(sla_next_action_at__lte=now)
            .order_by("sla_next_action_at")[:limit]
        )
        clocks_by_case = load_clocks_of([case.pk for case in cases], states=True)
        staff = StaffDirectory()
        staff.preload_assignees(cases)
        changes = []
        for case in cases:
            try:
                changes.append(_plan_case(CaseChange(case, staff=staff, clocks=clocks_by_case.get(case.pk, ([], {}))),
                                          cals, now))
            except Exception:  # noqa: BLE001 - one broken case must not stop the others
                _postpone(case.pk, now)
        if changes and not _write_batch(changes):
            for change in changes:
                _apply_case_alone(change.case.pk, cals, now, staff)
        Heartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"last_run_at": timezone.now()})
    return len(cases)


# What planning reads of a case: what the steps, escalations and notifications look at.
# (The SLA columns are not read: the plan sets them afresh, and the writer writes what the plan set.)
SWEEP_CASE_READS = ("tracking_number", "kind", "status", "escalation_level", "unit_id", "assignee_id",
                    "resolve_due_at", "waiting_until", "consultation_closes_at", "decision_days", "event_head_seq",
                    "event_head_hash")
WAIT_ENDED = "The longest wait allowed for its reason has passed."
CONSULTATION_ENDED = "The consultation window has closed."


def _postpone(case_id: int, now: datetime) -> None:
    logger.exception("SLA step failed for case %s; retrying in %s", case_id, RETRY_BROKEN_CASE_AFTER)
    Case.objects.filter(pk=case_id).update(sla_next_action_at=now + RETRY_BROKEN_CASE_AFTER)


def _write_batch(changes: list[CaseChange]) -> bool:
    """Write the batch's changes; False (and nothing written) if the database refused them."""
    try:
        with transaction.atomic():
            case_changes_write(changes)
    except Exception:  # noqa: BLE001 - fall back to case by case, which isolates the culprit
        logger.exception("SLA write of %d cases failed; applying them one by one", len(changes))
        return False
    return True


def _apply_case_alone(case_id: int, cals: Calendars, now: datetime, staff: StaffDirectory) -> None:
    """One case (already locked) planned again from a fresh read and written in a savepoint."""
    try:
        with transaction.atomic():
            # A fresh instance, not refresh_from_db(): django-fsm's refresh briefly unprotects the state
            # field for every thread of the process, which races with a second sweep thread.
            case = Case.objects.only(*SWEEP_CASE_READS).get(pk=case_id)
            case_changes_write([_plan_case(CaseChange(case, staff=staff), cals, now)])
    except Exception:  # noqa: BLE001 - one broken case must not stop the others
        _postpone(case_id, now)


def _plan_case(change: CaseChange, cals: Calendars, now: datetime) -> CaseChange:
    """Everything the due steps of the change's case do, in memory."""
    case = change.case
    clocks, pauses = change.clocks
    if case.status in FINAL_STATUSES:
        clocks = []
    elif case.status == Status.AWAITING_INFO and (expiry := _pause_expiry(clocks, cals)) and expiry <= now:
        transition_plan(change, name="resume", origin=ActorKind.SYSTEM, now=now,
                        comment="The maximum waiting time for the citizen's information has passed.")
        # The citizen's allowance ended at the expiry, not whenever this sweep happened to run
        # (beat may have been down): the time after it counts against the office.
        for pause in change.ended_pauses:
            pause.ended_at = expiry
    elif case.status == Status.ON_HOLD and case.waiting_until is not None and case.waiting_until <= now:
        expiry = case.waiting_until
        transition_plan(change, name="resume", origin=ActorKind.SYSTEM, now=now, comment=WAIT_ENDED)
        for pause in change.ended_pauses:  # as above: the wait ended at its maximum
            pause.ended_at = expiry
    elif (case.status == Status.CONSULTATION and case.consultation_closes_at is not None
          and case.consultation_closes_at <= now):
        transition_plan(change, name="start_deliberation", origin=ActorKind.SYSTEM, now=now,
                        comment=CONSULTATION_ENDED)
    for clock in clocks:
        for step, due in _due_steps(clock, pauses.get(clock.pk, []), cals, now):
            clock.steps_applied += 1
            _plan_step(change, clock, step, due, now)
    sla_compute(change.case, clocks, pauses, cals)
    return change


def _plan_step(change: CaseChange, clock, step: dict, due: datetime, now: datetime) -> None:
    """The step's audit event, then one escalation per level up to the step's."""
    level = int(step["level"])
    escalations = range(change.case.escalation_level, min(level, 3))
    change.event(type="sla_step", actor_kind=ActorKind.SYSTEM, at=now, visibility=Visibility.INTERNAL,
                 # "escalates": whether this step raises the level; if not, the notification says "still overdue".
                 data={"clock": clock.kind, "percent": step["percent"], "level": level,
                       "step_due_at": due.isoformat(), "escalates": bool(escalations)})
    for _ in escalations:
        transition_plan(change, name="escalate", origin=ActorKind.SYSTEM, now=now,
                        params={"reason": f"{clock.kind} clock at {step['percent']}%"})


def _due_steps(clock, pauses: list, cals: Calendars, now: datetime):
    """The clock's ladder steps that have come due, in order, with when each fell due. The caller
    records each step (``steps_applied``) before asking for the next; both sweep paths walk it."""
    calendar = cals.of(clock)
    while clock_running(clock) and clock.steps_applied < len(clock.ladder):
        step = clock.ladder[clock.steps_applied]
        due = clock_time_at(clock, pauses, calendar, step["percent"])
        if due is None or due > now:
            return
        yield step, due


def _pause_expiry(clocks: list[SlaClock], cals: Calendars) -> datetime | None:
    """When the earliest maximum pause of the case's paused clocks runs out (None if none has one)."""
    ends = [cals.of(clock).add(clock.paused_since, clock.max_pause_seconds) for clock in clocks
            if clock.paused_since is not None and clock.max_pause_seconds is not None]
    return min(ends, default=None)


def sla_recompute_open(*, after_id: int = 0, limit: int = 500) -> int | None:
    """Recompute deadlines of open cases (after a calendar change), one batch; the last id done or None."""
    if after_id == 0:
        calendar_recompute_started()
    cals = calendars()
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(of=("self",))
            .filter(Exists(SlaClock.objects.filter(case=OuterRef("pk"))), pk__gt=after_id, closed_at__isnull=True)
            .only(*SWEEP_CASE_READS)
            .order_by("pk")[:limit]
        )
        clocks_by_case = load_clocks_of([case.pk for case in cases])
        changes = [CaseChange(case, clocks=clocks_by_case[case.pk]) for case in cases]
        for change in changes:
            sla_compute(change.case, *change.clocks, cals)
        case_changes_write(changes)
    return cases[-1].pk if len(cases) == limit else None
