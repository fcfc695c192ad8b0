"""What staff see of a case's SLA clocks: due, elapsed, remaining, pauses, met or breached."""

from datetime import datetime
from typing import Any

from core.models import Case, SlaClock
from core.sla import calendars, clock_due_if_resumed, clock_elapsed


def case_clocks_describe(case: Case, *, now: datetime) -> list[dict[str, Any]]:
    cals = calendars()
    described = []
    for clock in SlaClock.objects.filter(case=case).prefetch_related("pauses").order_by("kind"):
        pauses = list(clock.pauses.all())
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
            # clock_breached(clock, pauses, calendar, now) is exactly this; the elapsed time, a walk over
            # every day since the clock started, is computed once.
            "breached": elapsed > clock.budget_seconds,
            "steps_applied": clock.steps_applied,
        })
    return described
