"""The SLA sweep plans each case's due steps with the transition planner and writes a batch with the one
writer: each step once, chains that verify, escalations as the transition service writes them, and a
batch the database refuses applied case by case."""

import pytest
from django.db.models import F
from django.utils import timezone

from core.audit import chain_verify
from core.models import Case, CaseEvent, ClockKind, Notification
from tests.conftest import user_named
from tests.workflows.test_sla import MINUTE, clock, fast_case, fast_policy
from workflows.sla_sweep import RETRY_BROKEN_CASE_AFTER, sla_apply_due_steps
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db


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
        assert Case.objects.get(pk=case.pk).escalation_level == 3
    assert sla_apply_due_steps(now=now) == 0


def test_the_sweep_escalates_exactly_as_the_transition_service_does_for_the_system(demo):
    fast_policy()
    swept, by_hand = fast_case(), fast_case()
    Case.objects.filter(pk=by_hand.pk).update(sla_next_action_at=None)
    now = clock(swept, ClockKind.ACKNOWLEDGE).started_at + 11 * MINUTE  # 110%: level 1
    assert sla_apply_due_steps(now=now) == 1
    case_transition(tracking=by_hand.tracking_number, name="escalate", origin="system",
                    params={"reason": "acknowledge clock at 100%"})

    def escalation(case):
        event = CaseEvent.objects.get(case=case, type="escalate")
        notified = sorted(Notification.objects.filter(event=event).values_list("template", "user__username",
                                                                                "channel"))
        return event.actor_kind, event.actor_id, event.visibility, event.data, notified

    assert escalation(swept) == escalation(by_hand)
    assert [Case.objects.get(pk=case.pk).escalation_level for case in (swept, by_hand)] == [1, 1]


def test_no_assignee_the_unit_heads_are_warned(demo):
    fast_policy()
    case = fast_case()
    case_transition(tracking=case.tracking_number, name="accept", actor=user_named("officer1"))
    Case.objects.filter(pk=case.pk).update(assignee=None)
    now = clock(case, ClockKind.RESOLVE).started_at + 16 * MINUTE  # 80% of the resolve clock
    assert sla_apply_due_steps(now=now) == 1
    assert {n.user.username for n in Notification.objects.filter(event__case=case, template="sla_warning")} == {
        "supervisor1"}
    assert chain_verify(case).ok


def test_a_batch_the_database_refuses_is_applied_case_by_case_and_the_broken_case_waits(demo):
    fast_policy()
    healthy, stale = fast_case(), fast_case()
    # The stale case's row records one event fewer than it has. The row's head is the one source of
    # truth, so its planned event reuses a sequence number: the batch's insert fails, the batch goes
    # case by case, and the stale case alone is refused (never forked) and looked at again later.
    Case.objects.filter(pk=stale.pk).update(event_head_seq=F("event_head_seq") - 1)
    events_before = CaseEvent.objects.filter(case=stale).count()
    now = timezone.now() + 9 * MINUTE
    assert sla_apply_due_steps(now=now) == 2
    assert CaseEvent.objects.filter(case=healthy, type="sla_step").count() == 1
    assert Notification.objects.filter(event__case=healthy, template="sla_warning", channel="email").count() == 1
    assert chain_verify(healthy).ok
    assert CaseEvent.objects.filter(case=stale).count() == events_before
    assert Case.objects.get(pk=stale.pk).sla_next_action_at == now + RETRY_BROKEN_CASE_AFTER
    assert sla_apply_due_steps(now=now) == 0


def test_an_expired_wait_for_the_citizen_resumes_in_the_same_batch_as_other_cases(demo):
    fast_policy(max_pause_value=30, max_pause_unit="minutes")
    waiting, plain = fast_case(), fast_case()
    officer = user_named("officer1")
    case_transition(tracking=waiting.tracking_number, name="accept", actor=officer)
    case_transition(tracking=waiting.tracking_number, name="request_info", actor=officer, params={"question": "?"})
    paused_at = clock(waiting, ClockKind.RESOLVE).paused_since
    now = timezone.now() + 45 * MINUTE
    assert sla_apply_due_steps(now=now) == 2
    assert Case.objects.get(pk=waiting.pk).status == "in_progress"
    assert CaseEvent.objects.filter(case=waiting, type="resume", actor_kind="system").count() == 1
    # The citizen's allowance ended at the maximum pause, not when the sweep ran.
    pause = clock(waiting, ClockKind.RESOLVE).pauses.get()
    assert pause.ended_at == paused_at + 30 * MINUTE
    assert clock(waiting, ClockKind.RESOLVE).paused_since is None
    assert CaseEvent.objects.filter(case=plain, type="sla_step").count() == 8
    for case in (waiting, plain):
        assert chain_verify(case).ok
