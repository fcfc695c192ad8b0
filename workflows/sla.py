"""SLA clocks on cases: starting them, moving them with transitions, keeping the case's SLA columns.

The case row carries three derived columns that the sweep and the queues read:
``sla_next_action_at`` (when the sweep must look), ``sla_due_at`` (earliest deadline of a running
clock) and ``sla_warn_at`` (when it becomes at risk). ``sla_compute`` is the one place that sets them.
"""

import json
from collections.abc import Iterator
from datetime import datetime

from django.db.models import TextField
from django.db.models.functions import Cast

from core.bulk import rows_insert
from core.calendar import BUSINESS_DAY_SECONDS
from core.choices import NO_WORK_STATUSES, Status
from core.config_cache import ConfigSnapshot, calendars, config_snapshot
from core.models import CalendarCode, Case, ClockKind, PauseReason, SlaClock, SlaPause, WaitingReason
from core.models.sla import default_ladder
from core.sla import (
    Calendars,
    clock_due_at,
    clock_elapsed,
    clock_next_action_at,
    clock_running,
    clock_time_at,
    policy_budget,
    policy_max_pause,
)
from workflows.base import CLOCK_FLAGS

DEFAULT_AT_RISK_PERCENT = 75


def sla_start(case: Case, *, now: datetime, config: ConfigSnapshot | None = None) -> list[SlaClock]:
    """The acknowledge and resolve clocks of a new case (none if no policy applies), computed in memory
    together with the case's SLA columns, so that the case row is inserted once, complete.
    Insert them with ``sla_clocks_insert`` once the case has its primary key."""
    config = config or config_snapshot()
    policy = config.sla_policy_for(case.kind, case.category_id, case.priority)
    if policy is None:
        return []
    clocks = [
        SlaClock(case=case, kind=kind, policy=policy, calendar=policy.calendar, budget_seconds=policy_budget(policy, kind),
                 # Copies: the policy is this process's shared configuration.
                 ladder=[dict(step) for step in sorted(policy.ladder, key=lambda step: step["percent"])], max_pause_seconds=policy_max_pause(policy),
                 started_at=now)
        for kind in (ClockKind.ACKNOWLEDGE, ClockKind.RESOLVE)
    ]
    sla_compute(case, clocks, {}, config.calendars)
    return clocks


CLOCK_INSERT_COLUMNS = ("case_id", "kind", "policy_id", "calendar", "budget_seconds", "ladder", "max_pause_seconds",
                        "started_at", "paused_since", "met_at", "used_seconds", "due_at", "steps_applied")


def sla_clocks_insert(clocks: list[SlaClock]) -> None:
    """Insert a new case's clocks in one statement (``core.bulk``: no per-field preparation by the ORM)."""
    keys = rows_insert(SlaClock, CLOCK_INSERT_COLUMNS, [
        (clock.case.pk, clock.kind, clock.policy_id, clock.calendar, clock.budget_seconds, clock.ladder,
         clock.max_pause_seconds, clock.started_at, clock.paused_since, clock.met_at, clock.used_seconds, clock.due_at,
         clock.steps_applied) for clock in clocks])
    for clock, key in zip(clocks, keys, strict=True):
        clock.pk = key
        clock.case_id = clock.case.pk
        clock._state.adding = False
        clock.mark_saved()


def load_clocks(case: Case) -> tuple[list[SlaClock], dict[int, list[SlaPause]]]:
    return load_clocks_of([case.pk]).get(case.pk, ([], {}))


class ClockState:
    """An SlaClock row as plain attributes: what the clock maths read and the sweep writes back
    (``core.bulk.rows_set``). The sweep reads thousands of clocks per batch, and building model
    instances for them cost more than the query; everything else uses SlaClock itself."""

    FIELDS = ("id", "case_id", "kind", "calendar", "budget_seconds", "ladder", "max_pause_seconds", "started_at",
              "paused_since", "met_at", "used_seconds", "due_at", "steps_applied")
    __slots__ = (*FIELDS, "_saved_state")

    def __init__(self, values: tuple):
        for name, value in zip(self.FIELDS, values, strict=True):
            setattr(self, name, value)
        self._saved_state = self.state()

    @property
    def pk(self) -> int:
        return self.id

    state = SlaClock.state
    is_dirty = SlaClock.is_dirty
    mark_saved = SlaClock.mark_saved


def _clock_states(rows) -> Iterator[ClockState]:
    # Ladders are copies of a few policies' ladders: each distinct text is decoded once. (Shared
    # lists: the sweep only reads them.)
    ladders: dict[str, list] = {}
    fields = [name if name != "ladder" else "ladder_text" for name in ClockState.FIELDS]
    at = ClockState.FIELDS.index("ladder")
    for values in rows.annotate(ladder_text=Cast("ladder", TextField())).values_list(*fields):
        text = values[at]
        if text not in ladders:
            ladders[text] = json.loads(text)
        yield ClockState((*values[:at], ladders[text], *values[at + 1:]))


def load_clocks_of(case_ids: list[int], *, states: bool = False) -> dict[int, tuple[list, dict[int, list[SlaPause]]]]:
    """Clocks and pauses of many cases in two queries: case id -> (clocks by kind, pauses by clock id).
    ``states``: the clocks as ``ClockState`` rather than model instances."""
    loaded: dict[int, tuple[list, dict[int, list[SlaPause]]]] = {}
    pauses_by_clock: dict[int, list[SlaPause]] = {}
    rows = SlaClock.objects.filter(case_id__in=case_ids).order_by("case_id", "kind")
    for clock in (_clock_states(rows) if states else rows):
        clocks, pauses = loaded.setdefault(clock.case_id, ([], {}))
        clocks.append(clock)
        pauses[clock.pk] = pauses_by_clock[clock.pk] = []
    for pause in SlaPause.objects.filter(clock__case_id__in=case_ids).order_by("started_at"):
        pauses_by_clock[pause.clock_id].append(pause)
    return loaded


def sla_on_transition(change, custom: dict, *, now: datetime) -> None:
    """Meet, pause, resume or start the clocks of ``change.case`` as the transition declares (see
    workflows.base.step), in memory: the writer saves the clocks and pauses (``workflows.changes``)."""
    case = change.case
    stops = case.status in NO_WORK_STATUSES
    if not stops and not any(custom.get(flag) for flag in CLOCK_FLAGS):
        return
    clocks, pauses = change.clocks
    by_kind = {clock.kind: clock for clock in clocks}
    met = []
    if custom.get("acknowledges"):
        met.append(by_kind.get(ClockKind.ACKNOWLEDGE))
    if custom.get("resolves") or stops:
        # Telling the citizen the result also acknowledges the case, if nothing did before.
        met += [by_kind.get(ClockKind.ACKNOWLEDGE), by_kind.get(ClockKind.RESOLVE)]
    if custom.get("agency_replies") or stops:
        met.append(by_kind.get(ClockKind.AGENCY))
    if custom.get("resolves") or stops:
        met.append(by_kind.get(ClockKind.DECISION))
    cals = calendars()
    for clock in filter(None, met):
        if clock.met_at is None:
            _close_pause(change, clock, now)
            clock.met_at = now
            clock.used_seconds = clock_elapsed(clock, pauses.get(clock.pk, []), cals.of(clock), now)
    if custom.get("pauses"):
        _pause_running(change, clocks, now, PauseReason.AWAITING_CITIZEN)
    if custom.get("holds") and case.waiting_reason.stops_clock:
        _pause_running(change, clocks, now, case.waiting_reason.code)
    if custom.get("resumes"):
        for clock in clocks:
            _close_pause(change, clock, now)
    if custom.get("refers"):
        # The office is not late while the agency holds the case; the agency's own clock runs instead.
        if (resolve := by_kind.get(ClockKind.RESOLVE)) and clock_running(resolve):
            _pause_running(change, [resolve], now, PauseReason.REFERRED)
        _agency_clock_start(change, by_kind.get(ClockKind.AGENCY), now)
    if custom.get("deliberates"):
        _decision_clock_start(change, now)
    if custom.get("reopens") and (resolve := by_kind.get(ClockKind.RESOLVE)) and resolve.met_at:
        # The time between the answer and the reopening is not the office's: record it as a pause.
        _pause(change, resolve, SlaPause(clock_id=resolve.pk, started_at=resolve.met_at, ended_at=now,
                                         reason=PauseReason.ANSWERED))
        resolve.met_at = resolve.used_seconds = None
    sla_compute(case, clocks, pauses, cals)


def _pause_running(change, clocks: list, now: datetime, reason: str) -> None:
    for clock in clocks:
        if clock_running(clock):
            clock.paused_since = now
            _pause(change, clock, SlaPause(clock_id=clock.pk, started_at=now, reason=reason))


def _agency_clock_start(change, clock: SlaClock | None, now: datetime) -> None:
    """The referred case's follow-up clock: the agency's reply days on the business calendar, on the same ladder
    as the case's other clocks. A case referred again restarts its clock (one per case)."""
    _business_clock_start(change, ClockKind.AGENCY, clock, change.case.referred_to.reply_days, now,
                          policy_required=True)


def _decision_clock_start(change, now: datetime) -> None:
    """A co-decision item's consultation has closed: its committee has the item's business days to decide."""
    case = change.case
    if case.decision_days:
        by_kind = {clock.kind: clock for clock in change.clocks[0]}
        # Its days are the item's own, so it runs whether or not an SLA policy covers co-decision items.
        _business_clock_start(change, ClockKind.DECISION, by_kind.get(ClockKind.DECISION), case.decision_days, now,
                              policy_required=False)


def _business_clock_start(change, kind: str, clock: SlaClock | None, days: int, now: datetime, *,
                          policy_required: bool) -> None:
    """Start (or restart) a clock of ``days`` business days on the ladder of the case's other clocks (the
    default ladder if it has none). ``policy_required``: no clock for a case no SLA policy covers."""
    case, clocks = change.case, change.clocks[0]
    budget = days * BUSINESS_DAY_SECONDS
    if clock is not None:
        clock.started_at, clock.budget_seconds, clock.met_at, clock.used_seconds, clock.paused_since = (
            now, budget, None, None, None)
        clock.steps_applied = 0
        change.rewritten_clocks.append(clock)
        return
    template = next(iter(clocks), None)
    policy_id = template.policy_id if template else getattr(
        config_snapshot().sla_policy_for(case.kind, case.category_id, case.priority), "pk", None)
    if policy_id is None and policy_required:
        return  # no SLA applies to this case: nothing to escalate on
    ladder = [dict(step) for step in template.ladder] if template else default_ladder()
    clock = SlaClock(case=case, kind=kind, policy_id=policy_id, calendar=CalendarCode.BUSINESS,
                     budget_seconds=budget, ladder=ladder, max_pause_seconds=None, started_at=now)
    clocks.append(clock)
    change.new_clocks.append(clock)


def _pause(change, clock, pause: SlaPause) -> None:
    change.clocks[1][clock.pk].append(pause)
    change.new_pauses.append(pause)


def _close_pause(change, clock, now: datetime) -> None:
    if clock.paused_since is None:
        return
    for pause in change.clocks[1][clock.pk]:
        if pause.ended_at is None:
            pause.ended_at = now
            change.ended_pauses.append(pause)
    clock.paused_since = None


CLOCK_STATE_FIELDS = ["due_at", "met_at", "used_seconds", "paused_since", "steps_applied"]
CASE_SLA_FIELDS = ["sla_next_action_at", "sla_due_at", "sla_warn_at", "resolve_due_at"]


def sla_compute(case: Case, clocks: list[SlaClock], pauses: dict[int, list[SlaPause]],
                cals: Calendars) -> list[SlaClock]:
    """Recompute each clock's due time and the case's three SLA columns, in memory: the stored clocks
    whose state changed, which the writer saves (``workflows.changes``; new clocks are inserted whole)."""
    next_actions, dues, warns, changed = [], [], [], []
    for clock in clocks:
        calendar = cals.of(clock)
        clock_pauses = pauses.get(clock.pk, [])
        clock.due_at = clock_due_at(clock, clock_pauses, calendar)
        if clock.pk is not None and clock.is_dirty():
            changed.append(clock)
        if (action := clock_next_action_at(clock, clock_pauses, calendar)) is not None:
            next_actions.append(action)
        if clock_running(clock):
            dues.append(clock.due_at)
            warns.append(clock_time_at(clock, clock_pauses, calendar, _at_risk_percent(clock)))
    resolve = next((clock for clock in clocks if clock.kind == ClockKind.RESOLVE), None)
    if resolve is not None and resolve.due_at is not None:
        case.resolve_due_at = resolve.due_at  # what the citizen is told to expect
    if case.waiting_until is not None:
        next_actions.append(case.waiting_until)  # the sweep resumes a wait that reached its maximum
    if case.status == Status.CONSULTATION and case.consultation_closes_at is not None:
        next_actions.append(case.consultation_closes_at)  # the sweep closes the consultation window
    case.sla_next_action_at = min(next_actions, default=None)
    case.sla_due_at = min(dues, default=None)
    case.sla_warn_at = min(warns, default=None)
    return changed


def _at_risk_percent(clock: SlaClock) -> float:
    first = clock.ladder[0]["percent"] if clock.ladder else DEFAULT_AT_RISK_PERCENT
    return first if first < 100 else DEFAULT_AT_RISK_PERCENT


DEFAULT_ANSWER_WINDOW_DAYS = 10
DEFAULT_REOPEN_LIMIT = 2


def answer_window_end(case: Case, now: datetime) -> datetime:
    """When the citizen's window after the office's answer ends: the case's policy's business days (10 if no
    policy applies), counted on the business calendar."""
    policy = config_snapshot().sla_policy_for(case.kind, case.category_id, case.priority)
    days = policy.answer_window_days if policy is not None else DEFAULT_ANSWER_WINDOW_DAYS
    return calendars().business.add(now, days * BUSINESS_DAY_SECONDS)


def waiting_end(reason: WaitingReason, now: datetime) -> datetime | None:
    """When a wait for ``reason`` that starts now reaches its maximum (None: no maximum)."""
    if reason.max_business_days is None:
        return None
    return calendars().business.add(now, reason.max_business_days * BUSINESS_DAY_SECONDS)


def reopen_limit(case: Case) -> int:
    policy = config_snapshot().sla_policy_for(case.kind, case.category_id, case.priority)
    return policy.reopen_limit if policy is not None else DEFAULT_REOPEN_LIMIT
