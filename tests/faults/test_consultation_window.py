"""A consultation window closes by itself (issue 15): real beat and worker processes, the real broker, SMTP."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict
from core.models import Case, CaseEvent, SlaClock
from tests.conftest import submit, user_named
from tests.faults.conftest import wait_for
from workflows.consultation import OpinionInput, opinion_submit
from workflows.follow_up import follow_start
from workflows.transitions import case_transition

pytestmark = [pytest.mark.slow, pytest.mark.faults]


def test_beat_and_a_worker_close_the_window_start_the_decision_clock_and_tell_the_followers(stack, smtp_sink):
    item = submit("codecision", title="ปรับเวลาเข้าเรียน", unit_code="personnel").case
    now = timezone.now()
    # The window ends a few seconds from now: it is the sweep that must close it, not this test.
    case_transition(tracking=item.tracking_number, name="open_consultation", actor=user_named("supervisor1"),
                    params={"opens_at": now, "closes_at": now + timedelta(seconds=3), "committee": "participation",
                            "decision_days": 15})
    opinion_submit(tracking=item.tracking_number, opinion=OpinionInput(stance="support", body="เห็นด้วย", answers={}))
    follow_start(tracking=item.tracking_number, email="follower@example.com", consent=True)
    stack.start_worker()
    stack.start_beat()
    wait_for(lambda: Case.objects.get(pk=item.pk).status == "deliberation", timeout=180,
             message=lambda: f"the window to close\n{stack.log('worker')}\n{stack.log('beat')}")
    event = CaseEvent.objects.filter(case=item, type="start_deliberation").get()
    assert event.actor_kind == "system" and event.at >= now + timedelta(seconds=3)
    assert SlaClock.objects.get(case=item, kind="decision").budget_seconds == 15 * 8 * 3600
    wait_for(lambda: len(smtp_sink.messages) >= 2, timeout=120,
             message=lambda: f"the followers' emails\n{stack.log('worker')}")
    assert any("การพิจารณาของคณะกรรมการ" in message.get_content() for message in smtp_sink.messages)
    with pytest.raises(Conflict):
        opinion_submit(tracking=item.tracking_number, opinion=OpinionInput(stance="support", body="ช้าไป", answers={}))
