"""The sweep's set-based path against its per-case path: the same steps, events, notifications and
escalations; chains that verify; a batch the database refuses falls back to case by case."""

import pytest
from django.db.models import F
from django.utils import timezone

from core.audit import chain_verify
from core.models import Case, CaseEvent, ClockKind, Notification, SlaClock
from tests.conftest import user_named
from tests.workflows.test_sla import MINUTE, clock, fast_case, fast_policy
from workflows.sla_sweep import sla_apply_due_steps
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db


def events_of(case) -> list[tuple]:
    return [(e.seq, e.type, e.actor_kind, e.actor_id, e.from_status, e.to_status, e.visibility, e.data)
            for e in CaseEvent.objects.filter(case=case).order_by("seq")]


def outbox_of(case) -> list[tuple]:
    return sorted((n.event.seq, n.template, n.channel, n.user_id, n.to_citizen, n.status)
                  for n in Notification.objects.filter(event__case=case).select_related("event"))


def state_of(case) -> dict:
    case = Case.objects.get(pk=case.pk)
    clocks = [(c.kind, c.steps_applied, c.due_at, c.met_at, c.paused_since)
              for c in SlaClock.objects.filter(case=case).order_by("kind")]
    return {"status": case.status, "level": case.escalation_level, "next": case.sla_next_action_at,
            "due": case.sla_due_at, "warn": case.sla_warn_at, "resolve_due": case.resolve_due_at,
            "head": case.event_head_seq, "clocks": clocks}


def twins(prepare=None) -> tuple[Case, Case]:
    """Two cases alike in every way the sweep looks at, their clocks started at the same moment."""
    fast_policy()
    first, second = fast_case(), fast_case()
    if prepare:
        prepare(first)
        prepare(second)
    start = clock(first, ClockKind.ACKNOWLEDGE).started_at
    for case in (first, second):
        SlaClock.objects.filter(case=case).update(started_at=start)
    return first, second


def sweep_one(case, *, now, set_based: bool) -> None:
    """Sweep only ``case`` (the other twin waits, not due) by the chosen path."""
    from core.config_cache import calendars
    from workflows.sla import load_clocks, sla_refresh

    Case.objects.exclude(pk=case.pk).update(sla_next_action_at=None)
    fresh = Case.objects.get(pk=case.pk)
    clocks, pauses = load_clocks(fresh)
    sla_refresh(fresh, clocks, pauses, calendars())
    fresh.save(update_fields=["sla_next_action_at", "sla_due_at", "sla_warn_at", "resolve_due_at"])
    assert sla_apply_due_steps(now=now, set_based=set_based) == 1


def without_dates(events: list[tuple]) -> list[tuple]:
    return [row[:-1] + ({k: v for k, v in row[-1].items() if k != "step_due_at"},) for row in events]


@pytest.mark.parametrize("minutes", [8, 11, 16, 45])
def test_set_based_and_per_case_paths_write_the_same_steps(demo, minutes):
    by_case, set_based = twins()
    start = clock(by_case, ClockKind.ACKNOWLEDGE).started_at
    now = start + minutes * MINUTE
    sweep_one(by_case, now=now, set_based=False)
    expected = state_of(by_case)
    sweep_one(set_based, now=now, set_based=True)

    assert events_of(set_based) == events_of(by_case)
    assert outbox_of(set_based) == outbox_of(by_case)
    assert {**state_of(set_based), "head": expected["head"]} == expected
    for case in (by_case, set_based):
        assert chain_verify(case).ok
    assert sla_apply_due_steps(now=now) == 0  # applied once: nothing is due any more


def test_the_same_with_a_met_clock_and_no_assignee(demo):
    def prepare(case):
        case_transition(tracking=case.tracking_number, name="accept", actor=user_named("officer1"))
        Case.objects.filter(pk=case.pk).update(assignee=None)

    by_case, set_based = twins(prepare)
    now = clock(by_case, ClockKind.RESOLVE).started_at + 45 * MINUTE
    sweep_one(by_case, now=now, set_based=False)
    sweep_one(set_based, now=now, set_based=True)
    assert without_dates(events_of(set_based)) == without_dates(events_of(by_case))
    assert outbox_of(set_based) == outbox_of(by_case)
    assert {n.user.username for n in Notification.objects.filter(event__case=set_based, template="sla_warning")} == {
        "supervisor1"}  # no assignee: the unit's heads are warned
    assert chain_verify(set_based).ok


def test_many_cases_in_one_batch_each_step_once_with_verified_chains(demo):
    fast_policy()
    cases = [fast_case() for _ in range(12)]
    now = timezone.now() + 45 * MINUTE
    assert sla_apply_due_steps(now=now, limit=5) == 5
    while sla_apply_due_steps(now=now, limit=5):
        pass
    for case in cases:
        assert [e.data["percent"] for e in CaseEvent.objects.filter(case=case, type="sla_step").order_by("seq")] == [
            75, 100, 150, 200, 75, 100, 150, 200]
        assert CaseEvent.objects.filter(case=case, type="escalate").count() == 3
        assert chain_verify(case).ok
    assert sla_apply_due_steps(now=now) == 0


def test_a_batch_the_database_refuses_is_applied_case_by_case(demo):
    fast_policy()
    healthy, stale = fast_case(), fast_case()
    # The stale case's row records one event fewer than it has: its planned event would reuse a
    # sequence number, so the set-based insert fails and the whole batch goes case by case.
    Case.objects.filter(pk=stale.pk).update(event_head_seq=F("event_head_seq") - 1)
    now = timezone.now() + 9 * MINUTE
    assert sla_apply_due_steps(now=now) == 2
    for case in (healthy, stale):
        assert CaseEvent.objects.filter(case=case, type="sla_step").count() == 1
        assert Notification.objects.filter(event__case=case, template="sla_warning").count() == 1
    assert chain_verify(healthy).ok
    assert sla_apply_due_steps(now=now) == 0


def test_an_expired_wait_for_the_citizen_takes_the_per_case_path_beside_set_based_cases(demo):
    fast_policy(max_pause_value=30, max_pause_unit="minutes")
    waiting, plain = fast_case(), fast_case()
    officer = user_named("officer1")
    case_transition(tracking=waiting.tracking_number, name="accept", actor=officer)
    case_transition(tracking=waiting.tracking_number, name="request_info", actor=officer, params={"question": "?"})
    now = timezone.now() + 45 * MINUTE
    assert sla_apply_due_steps(now=now) == 2
    assert Case.objects.get(pk=waiting.pk).status == "in_progress"
    assert CaseEvent.objects.filter(case=waiting, type="resume", actor_kind="system").count() == 1
    assert CaseEvent.objects.filter(case=plain, type="sla_step").count() == 8
    for case in (waiting, plain):
        assert chain_verify(case).ok
