"""The SLA sweep: apply every ladder step that has come due, exactly once (DESIGN §6).

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

from core.choices import FINAL_STATUSES, ActorKind, Status, Visibility
from core.models import Case, Heartbeat, SlaClock, SlaPause
from core.sla import Calendars, calendars, clock_running, clock_time_at
from workflows.closures import calendar_recompute_started
from workflows.events import case_event_record
from workflows.sla import load_clocks, load_clocks_of, sla_refresh
from workflows.transitions import case_transition

logger = logging.getLogger(__name__)
RETRY_BROKEN_CASE_AFTER = timedelta(minutes=5)
HEARTBEAT = "sla_sweep"


def sla_apply_due_steps(*, now: datetime | None = None, limit: int = 500) -> int:
    """Apply due steps of at most ``limit`` cases; returns how many cases it took."""
    now = now or timezone.now()
    cals = calendars()
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("assignee")
            .filter(sla_next_action_at__lte=now)
            .order_by("sla_next_action_at")[:limit]
        )
        clocks_by_case = load_clocks_of([case.pk for case in cases])
        for case in cases:
            try:
                with transaction.atomic():
                    _apply_case(case, clocks_by_case.get(case.pk, ([], {})), cals, now)
            except Exception:  # noqa: BLE001 - one broken case must not stop the others
                logger.exception("SLA step failed for %s; retrying in %s", case, RETRY_BROKEN_CASE_AFTER)
                Case.objects.filter(pk=case.pk).update(sla_next_action_at=now + RETRY_BROKEN_CASE_AFTER)
        Heartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"last_run_at": timezone.now()})
    return len(cases)


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
        calendar = cals.of(clock)
        while clock_running(clock) and clock.steps_applied < len(clock.ladder):
            step = clock.ladder[clock.steps_applied]
            due = clock_time_at(clock, pauses[clock.pk], calendar, step["percent"])
            if due is None or due > now:
                break
            if _apply_step(case, clock, step, due):
                case = _reread(case)
    sla_refresh(case, clocks, pauses, cals)
    case.save(update_fields=["sla_next_action_at", "sla_due_at", "sla_warn_at", "resolve_due_at"])


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
