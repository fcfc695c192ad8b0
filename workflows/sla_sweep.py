"""The SLA sweep: apply every ladder step that has come due, exactly once (DESIGN §6).

The sweep reads one indexed column, ``Case.sla_next_action_at``, and takes due rows with
``SELECT ... FOR UPDATE SKIP LOCKED`` in bounded batches: two sweeps running at once split the
work instead of repeating it, and a step is recorded on its clock (``steps_applied``) in the same
transaction as its audit event and notifications, so it can never be applied twice.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_fsm import can_proceed

from core.audit import PlannedEvent, case_event_plan, case_events_insert
from core.bulk import fast_timestamps, rows_set
from core.choices import FINAL_STATUSES, NO_WORK_STATUSES, ActorKind, Status, Visibility
from core.config_cache import calendars
from core.models import Case, Heartbeat, SlaClock, SlaPause
from core.sla import Calendars, clock_running, clock_time_at
from workflows.closures import calendar_recompute_started
from workflows.events import case_event_record
from workflows.notify import OutboxRow, StaffDirectory, outbox_insert, outbox_rows_for
from workflows.registry import current_transition, workflow_for
from workflows.sla import (
    CASE_SLA_FIELDS,
    CLOCK_STATE_FIELDS,
    ClockState,
    load_clocks,
    load_clocks_of,
    sla_compute,
    sla_refresh,
)
from workflows.transitions import case_transition

logger = logging.getLogger(__name__)
RETRY_BROKEN_CASE_AFTER = timedelta(minutes=5)
HEARTBEAT = "sla_sweep"


def sla_apply_due_steps(*, now: datetime | None = None, limit: int = 500, set_based: bool = True) -> int:
    """Apply due steps of at most ``limit`` cases; returns how many cases it took.

    The batch is planned in memory (clock maths, escalations through the state machine, audit
    events chained from each case's recorded head, outbox rows) and written with a handful of
    set-based statements, all in the batch's one transaction: every step commits with its event
    and notifications or not at all. Cases the plan cannot express (an expired wait for the
    citizen: a status transition with pauses to correct) and, should the set-based write fail,
    every case of the batch go through the per-case path, each in its own savepoint, so one
    broken case never holds up the others. ``set_based=False`` takes the per-case path for every case.
    """
    now = now or timezone.now()
    cals = calendars()
    fast_timestamps()
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .only(*PLANNED_CASE_READS)
            .filter(sla_next_action_at__lte=now)
            .order_by("sla_next_action_at")[:limit]
        )
        clocks_by_case = load_clocks_of([case.pk for case in cases], states=True)
        staff = StaffDirectory()
        staff.preload_assignees(cases)
        plans, one_by_one = [], []
        for case in cases:
            try:
                plan = _plan_case(case, clocks_by_case.get(case.pk, ([], {})), cals, now, staff)
            except Exception:  # noqa: BLE001 - one broken case must not stop the others
                _postpone(case, now)
                continue
            if plan is not None and set_based:
                plans.append(plan)
            else:
                one_by_one.append(case)
        if plans and not _write_plans(plans, now):
            one_by_one += [plan.case for plan in plans]
        for case in one_by_one:  # (the plan changed these instances; they are read afresh)
            _apply_case_alone(case.pk, cals, now)
        Heartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"last_run_at": timezone.now()})
    return len(cases)


# What planning reads of a case (a case the plan cannot express is read again in full).
PLANNED_CASE_READS = ("tracking_number", "kind", "status", "escalation_level", "unit_id", "assignee_id",
                      "resolve_due_at", "event_head_seq", "event_head_hash")


def _postpone(case: Case, now: datetime) -> None:
    logger.exception("SLA step failed for %s; retrying in %s", case, RETRY_BROKEN_CASE_AFTER)
    Case.objects.filter(pk=case.pk).update(sla_next_action_at=now + RETRY_BROKEN_CASE_AFTER)


def _apply_case_alone(case_id: int, cals: Calendars, now: datetime) -> None:
    """The per-case path: a fresh read of the (already locked) case and its clocks, in a savepoint."""
    case = Case.objects.select_related("assignee").get(pk=case_id)
    try:
        with transaction.atomic():
            _apply_case(case, load_clocks(case), cals, now)
    except Exception:  # noqa: BLE001 - one broken case must not stop the others
        _postpone(case, now)


@dataclass
class _Plan:
    case: Case
    clocks: list[ClockState]  # the clocks whose state changed
    events: list[PlannedEvent] = field(default_factory=list)
    notifications: list[OutboxRow] = field(default_factory=list)
    escalated: bool = False


def _plan_case(case: Case, loaded: tuple, cals: Calendars, now: datetime, staff: StaffDirectory) -> "_Plan | None":
    """Everything the due steps of ``case`` change, in memory; None if only the per-case path can apply them."""
    clocks, pauses = loaded
    if case.status in FINAL_STATUSES:
        clocks = []
    elif case.status == Status.AWAITING_INFO and (expiry := _pause_expiry(clocks, cals)) and expiry <= now:
        return None
    plan = _Plan(case=case, clocks=[])
    for clock in clocks:
        for step, due in _due_steps(clock, pauses[clock.pk], cals, now):
            clock.steps_applied += 1
            if not _plan_step(plan, clock, step, due, now, staff):
                return None
    plan.clocks = sla_compute(case, clocks, pauses, cals)
    return plan


def _plan_step(plan: _Plan, clock: ClockState, step: dict, due: datetime, now: datetime,
               staff: StaffDirectory) -> bool:
    """The step's event and, as in ``_apply_step``, one escalation per level up to the step's; False if
    the state machine does not allow an escalation the step asks for (the per-case path decides)."""
    case = plan.case
    level = int(step["level"])
    escalations = range(case.escalation_level, min(level, 3))
    _plan_event(plan, staff, type="sla_step", actor_kind=ActorKind.SYSTEM, at=now, visibility=Visibility.INTERNAL,
                data={"clock": clock.kind, "percent": step["percent"], "level": level,
                      "step_due_at": due.isoformat(), "escalates": bool(escalations)})
    for _ in escalations:
        if not _plan_escalation(plan, f"{clock.kind} clock at {step['percent']}%", now, staff):
            return False
    return True


def _plan_escalation(plan: _Plan, reason: str, now: datetime, staff: StaffDirectory) -> bool:
    """The ``escalate`` transition as ``case_transition`` runs it for the system, in memory."""
    case = workflow_for(plan.case.kind).cast(plan.case)
    method = case.escalate
    if case.status in NO_WORK_STATUSES or not can_proceed(method):
        return False
    if ActorKind.SYSTEM not in current_transition(method).custom["origins"]:
        return False
    level = case.escalation_level
    method(reason=reason)
    case.updated_at = now
    plan.escalated = True
    _plan_event(plan, staff, type="escalate", actor_kind=ActorKind.SYSTEM, at=now, visibility=Visibility.INTERNAL,
                data={"params": {"reason": reason}, "from_level": level, "to_level": case.escalation_level})
    return True


def _plan_event(plan: _Plan, staff: StaffDirectory, **event_fields) -> None:
    event = case_event_plan(case=plan.case, **event_fields)
    plan.events.append(event)
    # Who hears about it is decided now, as the case stands after the steps before it.
    plan.notifications += outbox_rows_for(event, plan.case, staff)


def _write_plans(plans: list[_Plan], now: datetime) -> bool:
    """Write the planned batch set-based; False (and nothing written) if the database refused it."""
    try:
        with transaction.atomic():
            case_events_insert([event for plan in plans for event in plan.events])
            rows_set(SlaClock, [clock for plan in plans for clock in plan.clocks], CLOCK_STATE_FIELDS)
            rows_set(Case, [plan.case for plan in plans if not plan.escalated], PLANNED_CASE_FIELDS)
            rows_set(Case, [plan.case for plan in plans if plan.escalated], [*PLANNED_CASE_FIELDS, *ESCALATED_FIELDS])
            outbox_insert([row for plan in plans for row in plan.notifications])
    except Exception:  # noqa: BLE001 - fall back to case by case, which isolates the culprit
        logger.exception("set-based SLA write of %d cases failed; applying them one by one", len(plans))
        return False
    for plan in plans:
        for clock in plan.clocks:
            clock.mark_saved()
    return True




PLANNED_CASE_FIELDS = [*CASE_SLA_FIELDS, "event_head_seq", "event_head_hash"]
ESCALATED_FIELDS = ["escalation_level", "updated_at"]


def _apply_case(case: Case, loaded: tuple, cals: Calendars, now: datetime) -> None:
    clocks, pauses = loaded
    if case.status in FINAL_STATUSES:
        clocks = []
    elif case.status == Status.AWAITING_INFO and (expiry := _pause_expiry(clocks, cals)) and expiry <= now:
        open_pauses = [(clock.pk, clock.paused_since) for clock in clocks if clock.paused_since is not None]
        case_transition(tracking=case.tracking_number, name="resume", origin=ActorKind.SYSTEM,
                        comment="The maximum waiting time for the citizen's information has passed.")
        # The citizen's allowance ended at the expiry, not whenever this sweep happened to run
        # (beat may have been down): the time after it counts against the office.
        for clock_id, since in open_pauses:
            SlaPause.objects.filter(clock_id=clock_id, started_at=since).update(ended_at=expiry)
        case = _reread(case)
        clocks, pauses = load_clocks(case)
        for clock in clocks:
            clock.due_at = None  # recomputed below from the corrected pause
    for clock in clocks:
        for step, due in _due_steps(clock, pauses[clock.pk], cals, now):
            if _apply_step(case, clock, step, due):
                case = _reread(case)
    sla_refresh(case, clocks, pauses, cals)
    case.save(update_fields=["sla_next_action_at", "sla_due_at", "sla_warn_at", "resolve_due_at"])


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


def _reread(case: Case) -> Case:
    # A fresh instance, not refresh_from_db(): django-fsm's refresh briefly unprotects the state
    # field for every thread of the process, which races with a second sweep thread.
    return Case.objects.get(pk=case.pk)


def _pause_expiry(clocks: list[SlaClock], cals: Calendars) -> datetime | None:
    """When the earliest maximum pause of the case's paused clocks runs out (None if none has one)."""
    ends = [cals.of(clock).add(clock.paused_since, clock.max_pause_seconds) for clock in clocks
            if clock.paused_since is not None and clock.max_pause_seconds is not None]
    return min(ends, default=None)


def _apply_step(case: Case, clock: SlaClock, step: dict, due: datetime) -> bool:
    """Record the step on the clock and in the audit chain; escalate up to the step's level. True if escalated."""
    clock.steps_applied += 1
    clock.save(update_fields=["steps_applied"])
    level = int(step["level"])
    escalations = range(case.escalation_level, min(level, 3))
    case_event_record(
        case=case,
        type="sla_step",
        actor_kind=ActorKind.SYSTEM,
        # "escalates": whether this step raises the level; if not, the notification says "still overdue".
        data={"clock": clock.kind, "percent": step["percent"], "level": level, "step_due_at": due.isoformat(),
              "escalates": bool(escalations)},
        visibility=Visibility.INTERNAL,
    )
    for _ in escalations:
        case_transition(tracking=case.tracking_number, name="escalate", origin=ActorKind.SYSTEM,
                        params={"reason": f"{clock.kind} clock at {step['percent']}%"})
    return bool(escalations)


def sla_recompute_open(*, after_id: int = 0, limit: int = 500) -> int | None:
    """Recompute deadlines of open cases (after a calendar change), one batch; the last id done or None."""
    if after_id == 0:
        calendar_recompute_started()
    cals = calendars()
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(of=("self",))
            .filter(Exists(SlaClock.objects.filter(case=OuterRef("pk"))), pk__gt=after_id, closed_at__isnull=True)
            .order_by("pk")[:limit]
        )
        for case in cases:
            clocks, pauses = load_clocks(case)
            sla_refresh(case, clocks, pauses, cals)
            case.save(update_fields=["sla_next_action_at", "sla_due_at", "sla_warn_at", "resolve_due_at"])
    return cases[-1].pk if len(cases) == limit else None
