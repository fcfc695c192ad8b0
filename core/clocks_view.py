"""What staff see of a case's SLA clocks: due, elapsed, remaining, pauses, met or breached."""

from datetime import datetime
from typing import Any

from core.config_cache import calendars
from core.models import Case, SlaClock, SlaPause
from core.sla import clock_due_if_resumed, clock_elapsed

CLOCK_FIELDS = ("id", "kind", "calendar", "budget_seconds", "ladder", "max_pause_seconds", "started_at", "paused_since",
                "met_at", "due_at", "steps_applied")


def case_clocks_with_pauses(case: Case) -> list[tuple[SlaClock, list[SlaPause]]]:
    """The case's clocks (by kind) and each one's pauses (in order), in one query (clocks LEFT JOIN pauses)."""
    rows = (SlaClock.objects.filter(case=case).order_by("kind", "pauses__started_at")
            .values_list(*CLOCK_FIELDS, "pauses__started_at", "pauses__ended_at", "pauses__reason"))
    loaded: dict[int, tuple[SlaClock, list[SlaPause]]] = {}
    for row in rows:
        clock_id = row[0]
        if clock_id not in loaded:
            loaded[clock_id] = (SlaClock(case_id=case.pk, **dict(zip(CLOCK_FIELDS, row, strict=False))), [])
        started_at, ended_at, reason = row[len(CLOCK_FIELDS):]
        if started_at is not None:
            loaded[clock_id][1].append(SlaPause(clock_id=clock_id, started_at=started_at, ended_at=ended_at,
                                                reason=reason))
    return list(loaded.values())


def case_clocks_describe(case: Case, *, now: datetime) -> list[dict[str, Any]]:
    cals = calendars()
    described = []
    for clock, pauses in case_clocks_with_pauses(case):
        calendar = cals.of(clock)
        elapsed = clock_elapsed(clock, pauses, calendar, now)
        paused = clock.paused_since is not None and clock.met_at is None
        described.append({
            "kind": clock.kind,
            "calendar": clock.calendar,
            "budget_seconds": clock.budget_seconds,
            "started_at": clock.started_at,
            # While paused, the deadline moves with the pause: show where it stands if work resumed now.
            "due_at": clock_due_if_resumed(clock, pauses, calendar, now) if paused else clock.due_at,
            "elapsed_seconds": round(elapsed),
            "remaining_seconds": round(clock.budget_seconds - elapsed),
            "paused": paused,
            "paused_intervals": [{"started_at": p.started_at, "ended_at": p.ended_at, "reason": p.reason}
                                 for p in pauses],
            "met_at": clock.met_at,
            # More time used than the budget (pauses never count); the elapsed time, a walk over every day
            # since the clock started, is computed once for this and the remaining time.
            "breached": elapsed > clock.budget_seconds,
            "steps_applied": clock.steps_applied,
        })
    return described
