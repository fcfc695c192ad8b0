"""What staff see of a case's SLA clocks: due, elapsed, remaining, pauses, met or breached."""

from datetime import datetime
from typing import Any

from core.models import Case, SlaClock
from core.sla import calendars, clock_breached, clock_elapsed


def case_clocks_describe(case: Case, *, now: datetime) -> list[dict[str, Any]]:
    cals = calendars()
    described = []
    for clock in SlaClock.objects.filter(case=case).prefetch_related("pauses").order_by("kind"):
        pauses = list(clock.pauses.all())
        elapsed = clock_elapsed(clock, pauses, cals.of(clock), now)
        described.append({
            "kind": clock.kind,
            "calendar": clock.calendar,
            "budget_seconds": clock.budget_seconds,
            "started_at": clock.started_at,
            "due_at": clock.due_at,
            "elapsed_seconds": round(elapsed),
            "remaining_seconds": round(clock.budget_seconds - elapsed),
            "paused": clock.paused_since is not None,
            "paused_intervals": [{"started_at": p.started_at, "ended_at": p.ended_at, "reason": p.reason}
                                 for p in pauses],
            "met_at": clock.met_at,
            "breached": clock_breached(clock, now),
            "steps_applied": clock.steps_applied,
        })
    return described
