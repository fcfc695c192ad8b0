"""Clock arithmetic: elapsed time, due times and ladder step times of SLA clocks.

Everything is derived from the clock's start, its pause intervals and its calendar, so that a
change of calendar (an office closure added or removed) recomputes every open deadline exactly.
Nothing here touches the database: the calendars come from ``core.config_cache.calendars``.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q

from core.calendar import Calendar, duration_seconds
from core.models import CalendarCode, PauseReason, SlaClock, SlaPause, SlaPolicy


@dataclass(frozen=True)
class Calendars:
    business: Calendar
    always: Calendar

    def of(self, clock: SlaClock) -> Calendar:
        return self.business if clock.calendar == CalendarCode.BUSINESS else self.always


def policy_budget(policy: SlaPolicy, which: str) -> float:
    return duration_seconds(float(getattr(policy, f"{which}_value")), getattr(policy, f"{which}_unit"))


def policy_max_pause(policy: SlaPolicy) -> float | None:
    if policy.max_pause_value is None or not policy.max_pause_unit:
        return None
    return duration_seconds(float(policy.max_pause_value), policy.max_pause_unit)


def _paused_seconds(pauses: list[SlaPause], calendar: Calendar, start: datetime, at: datetime) -> float:
    total = 0.0
    for pause in pauses:
        begin, end = max(pause.started_at, start), min(pause.ended_at or at, at)
        total += calendar.between(begin, end)
    return total


def clock_elapsed(clock: SlaClock, pauses: list[SlaPause], calendar: Calendar, at: datetime) -> float:
    """Business (or 24x7) seconds the clock has run from its start until ``at``; paused time never counts."""
    end = min(at, clock.met_at) if clock.met_at else at
    return max(0.0, calendar.between(clock.started_at, end) - _paused_seconds(pauses, calendar, clock.started_at, end))


def met_on_time() -> Q:
    """Clocks met within their budget: the one on-time rule of every figure (statistics, dashboard, supervisor)."""
    return Q(met_at__isnull=False, used_seconds__lte=F("budget_seconds"))


def met_late() -> Q:
    return Q(met_at__isnull=False, used_seconds__gt=F("budget_seconds"))


def clock_running(clock: SlaClock) -> bool:
    return clock.met_at is None and clock.paused_since is None


def _resume_point(clock: SlaClock, pauses: list[SlaPause]) -> datetime:
    ended = [pause.ended_at for pause in pauses if pause.ended_at is not None]
    return max([clock.started_at, *ended])


def clock_time_at(clock: SlaClock, pauses: list[SlaPause], calendar: Calendar, percent: float) -> datetime | None:
    """When a running clock reaches ``percent`` of its budget; None if it is met or paused.

    A point already passed before the last pause is reported as the moment the clock resumed,
    which is what the sweep needs: the step is due now.
    """
    if not clock_running(clock):
        return None
    resumed, used = _progress(clock, pauses, calendar)
    remaining = clock.budget_seconds * percent / 100 - used
    if remaining <= 0:
        return resumed  # already passed: due now, even outside office hours
    return calendar.add(resumed, remaining)


_last_progress: tuple = (None, None)


def _progress(clock: SlaClock, pauses: list[SlaPause], calendar: Calendar) -> tuple[datetime, float]:
    """When a running clock last (re)started and how much it had used by then.

    The same clock is asked about several ladder points in a row (its steps, its deadline, its
    at-risk point), and on the business calendar the answer walks every day since the start, so
    the last answer is kept, keyed by everything it depends on.
    """
    global _last_progress
    key = (clock.started_at, tuple((pause.started_at, pause.ended_at) for pause in pauses), calendar.code,
           getattr(calendar, "closures", None))
    last_key, last = _last_progress  # one read: another thread may replace the pair, never half of it
    if last_key == key:
        return last
    resumed = _resume_point(clock, pauses)
    progress = resumed, clock_elapsed(clock, pauses, calendar, resumed)
    _last_progress = (key, progress)
    return progress


def clock_due_at(clock: SlaClock, pauses: list[SlaPause], calendar: Calendar) -> datetime | None:
    """The deadline of a running clock; a paused or met clock keeps the deadline it had."""
    return clock_time_at(clock, pauses, calendar, 100) if clock_running(clock) else clock.due_at


def clock_next_action_at(clock: SlaClock, pauses: list[SlaPause], calendar: Calendar) -> datetime | None:
    """When the sweep must next look at this clock: its next ladder step, or the end of the maximum wait for the
    citizen. (A hold's maximum is the case's ``waiting_until``; a referral's is the agency clock's ladder.)"""
    if clock.met_at is not None:
        return None
    if clock.paused_since is not None:
        if clock.max_pause_seconds is None or not _waits_for_citizen(pauses):
            return None
        return calendar.add(clock.paused_since, clock.max_pause_seconds)
    if clock.steps_applied >= len(clock.ladder):
        return None
    return clock_time_at(clock, pauses, calendar, clock.ladder[clock.steps_applied]["percent"])


def _waits_for_citizen(pauses: list[SlaPause]) -> bool:
    return any(pause.ended_at is None and pause.reason == PauseReason.AWAITING_CITIZEN for pause in pauses)


def clock_due_if_resumed(clock: SlaClock, pauses: list[SlaPause], calendar: Calendar, at: datetime) -> datetime:
    """For a paused clock: when it would fall due if work resumed at ``at``."""
    remaining = clock.budget_seconds - clock_elapsed(clock, pauses, calendar, at)
    return at if remaining <= 0 else calendar.add(at, remaining)
