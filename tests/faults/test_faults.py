"""Nothing accepted is lost (docs/operations.md, "Faults, as tested"): Redis stopped, a worker SIGKILLed, beat down — with real processes."""

import json
import threading
import urllib.request
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Agency, Case, CaseEvent, Category, Heartbeat, Notification, SlaClock, SlaPolicy
from tests.conftest import submit, user_named
from tests.faults.conftest import wait_for, wait_while_progressing
from workflows.sla_sweep import sla_recompute_open
from workflows.transitions import case_transition

pytestmark = [pytest.mark.slow, pytest.mark.faults]


def post_cases(base_url: str, count: int, *, threads: int = 8, tag: str = "") -> list[str]:
    """Submit ``count`` complaints over HTTP from ``threads`` clients; every answer must be 201."""
    numbers, failures, lock = [], [], threading.Lock()

    def client(share: int):
        for n in range(share):
            body = json.dumps({
                "kind": "complaint", "category": "teacher-conduct", "title": f"ทดสอบ {tag} {n}",
                "description": "ครูไม่เข้าสอน", "contact": {"email": f"parent{n}@example.com"}, "consent": True,
            }).encode()
            request = urllib.request.Request(f"{base_url}/api/v1/public/cases/", data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    payload = json.loads(response.read())
                    with lock:
                        numbers.append(payload["tracking_number"]) if response.status == 201 else failures.append(
                            response.status)
            except urllib.error.HTTPError as error:
                with lock:
                    failures.append((error.code, error.read()[:200]))

    shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    workers = [threading.Thread(target=client, args=(share,)) for share in shares]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert failures == [], failures[:5]
    assert len(numbers) == count
    return numbers


def everything_routed_and_acknowledged(numbers: list[str]):
    def check() -> bool:
        cases = Case.objects.filter(tracking_number__in=numbers)
        routed = cases.filter(status="assigned").count()
        acknowledged = Notification.objects.filter(event__case__in=cases, template="acknowledgement",
                                                   status="sent").count()
        return routed == len(numbers) and acknowledged == len(numbers)
    return check


def assert_each_effect_once(numbers: list[str], smtp, *, duplicate_emails_allowed: int = 0):
    cases = Case.objects.filter(tracking_number__in=numbers)
    assert cases.count() == len(numbers)
    assigns = Counter(CaseEvent.objects.filter(case__in=cases, type="assign").values_list("case_id", flat=True))
    assert set(assigns.values()) == {1} and len(assigns) == len(numbers)
    acks = Notification.objects.filter(event__case__in=cases, template="acknowledgement")
    assert acks.count() == len(numbers) and set(acks.values_list("status", flat=True)) == {"sent"}
    received = smtp.by_message_id()
    ack_ids = [f"<notification-{pk}@rabfang.local>" for pk in acks.values_list("pk", flat=True)]
    assert all(received.get(message_id, 0) >= 1 for message_id in ack_ids)
    duplicates = sum(received.get(message_id, 0) - 1 for message_id in ack_ids)
    assert duplicates <= duplicate_emails_allowed, duplicates
    return duplicates


def test_redis_stopped_during_intake_loses_nothing(stack, private_redis, smtp_sink):
    base = stack.start_web()
    stack.start_worker()

    private_redis.stop()
    numbers = post_cases(base, 200, tag="redis-down")
    # A 201 means committed: every case and its first event are in the database already.
    assert CaseEvent.objects.filter(case__tracking_number__in=numbers, type="submit").count() == 200
    assert Case.objects.filter(tracking_number__in=numbers, status="submitted").count() == 200

    private_redis.start()
    stack.start_beat()  # the sweeps find the routing and notifications whose messages were lost
    wait_for(everything_routed_and_acknowledged(numbers), timeout=180,
             message=lambda: f"routing and acknowledgements\n{stack.log('worker')}\n{stack.log('beat')}")
    assert_each_effect_once(numbers, smtp_sink)


def test_a_worker_killed_mid_batch_has_its_tasks_redelivered(stack, smtp_sink):
    smtp_sink.delay = 0.05  # slow mail, so that the kill lands while tasks are running
    base = stack.start_web()
    first = stack.start_worker("worker-a", ready=True)
    numbers = post_cases(base, 100, tag="sigkill")

    emails = Notification.objects.filter(channel="email")  # (the workspace's bell rows need no delivery)
    wait_while_progressing(lambda: emails.filter(status="sent").count(),
                           done=lambda: emails.filter(status="sent").count() >= 10, stall=60,
                           message=lambda: f"the first worker to get going\n{stack.log('worker-a')}")
    stack.kill(first)
    done_before = emails.filter(status="sent").count()
    assert done_before < emails.count()  # the kill really did land mid-batch

    stack.start_worker("worker-b", ready=True)  # no beat: recovery is by redelivery of the unacknowledged tasks
    wait_while_progressing(lambda: emails.filter(status="sent").count() + Case.objects.filter(
                               tracking_number__in=numbers, status="assigned").count(),
                           done=everything_routed_and_acknowledged(numbers), stall=60,
                           message=lambda: f"redelivery\nworker-b:\n{stack.log('worker-b')}")
    # A message the killed worker had handed to the mail server but not yet marked sent is sent
    # again: email is at-least-once. At most one per pool process can be in that window.
    duplicates = assert_each_effect_once(numbers, smtp_sink, duplicate_emails_allowed=2)
    print(f"sent before the kill: {done_before}; duplicate emails after redelivery: {duplicates}")


def test_beat_down_while_cases_fall_overdue_applies_each_step_once(stack):
    SlaPolicy.objects.create(name="fast", kind="complaint", category=Category.objects.get(kind="complaint", code="other"),
                             calendar="24x7", acknowledge_value=10, acknowledge_unit="minutes", resolve_value=20,
                             resolve_unit="minutes")
    cases = []
    for _ in range(30):
        case = submit(category_code="other").case
        case_transition(tracking=case.tracking_number, name="assign", actor=user_named("supervisor1"),
                        params={"assignee": "officer1"})
        cases.append(case)
    # Beat was down for an hour: every step of both ladders is now overdue.
    SlaClock.objects.filter(case__in=cases).update(started_at=timezone.now() - timedelta(hours=1))
    sla_recompute_open()
    stack.start_worker()
    assert not CaseEvent.objects.filter(type="sla_step").exists()  # nothing moves without beat

    stack.start_beat()
    wait_while_progressing(lambda: CaseEvent.objects.filter(type="sla_step").count(),
                           done=lambda: not Case.objects.filter(pk__in=[c.pk for c in cases],
                                                                sla_next_action_at__isnull=False).exists(),
                           stall=90, message=lambda: f"the sweep to catch up\n{stack.log('worker')}\n{stack.log('beat')}")
    # Two more sweeps finish (their heartbeat moves twice): they must find nothing more to do.
    for _ in range(2):
        before = Heartbeat.objects.get(name="sla_sweep").last_run_at
        wait_for(lambda before=before: Heartbeat.objects.get(name="sla_sweep").last_run_at > before, timeout=120,
                 message=lambda: f"another sweep\n{stack.log('beat')}")
    for case in cases:
        steps = CaseEvent.objects.filter(case=case, type="sla_step")
        assert steps.count() == 8, case
        assert CaseEvent.objects.filter(case=case, type="escalate").count() == 3
    assert Case.objects.filter(pk__in=[c.pk for c in cases], escalation_level=3).count() == 30


def test_beat_and_a_worker_close_answered_cases_when_their_window_ends_and_leave_reopened_ones(stack):
    from tests.conftest import put_in_status

    officer = user_named("officer1")
    cases = []
    for _ in range(2):
        case = put_in_status(submit(contact={"email": "parent@example.com"}).case, "in_progress", unit="personnel",
                             assignee=officer)
        case_transition(tracking=case.tracking_number, name="respond", actor=officer, params={"reply": "ตอบแล้ว"})
        cases.append(case)
    ended, reopened = cases
    case_transition(tracking=reopened.tracking_number, name="reopen", actor=user_named("supervisor1"))
    # The first answer's window ended a minute ago (as if ten business days had passed).
    Case.objects.filter(pk=ended.pk).update(answer_window_ends_at=timezone.now() - timedelta(minutes=1))
    stack.start_worker()
    stack.start_beat()
    wait_for(lambda: Case.objects.get(pk=ended.pk).status == "closed", timeout=120,
             message=lambda: f"the answered case to close\n{stack.log('worker')}\n{stack.log('beat')}")
    event = CaseEvent.objects.filter(case=ended).latest("seq")
    assert (event.type, event.actor_kind) == ("close", "system")
    assert Notification.objects.filter(event=event, template="closed", to_citizen=True).exists()
    # Beat's sweeps keep ticking after the closure (a whole sweep finished since): the reopened case stays.
    closed_seen = timezone.now()
    wait_for(lambda: Heartbeat.objects.filter(name="sla_sweep", last_run_at__gt=closed_seen).exists(), timeout=120,
             message=lambda: f"another sweep\n{stack.log('beat')}")
    assert Case.objects.get(pk=reopened.pk).status == "in_progress"


def test_beat_and_a_worker_email_the_agency_escalate_its_silence_and_end_a_wait_at_its_maximum(stack, smtp_sink):
    from tests.conftest import put_in_status

    Agency.objects.filter(code="provincial-education").update(email="saraban@provincial.example.go.th")
    officer, head = user_named("officer1"), user_named("supervisor1")
    referred, waiting = [put_in_status(submit(contact={"email": "parent@example.com"}).case, "in_progress",
                                       unit="personnel", assignee=officer) for _ in range(2)]
    case_transition(tracking=referred.tracking_number, name="refer", actor=head,
                    params={"agency": "provincial-education", "letter_number": "ศธ 04001/77",
                            "letter_date": timezone.localdate()})
    case_transition(tracking=waiting.tracking_number, name="hold", actor=officer,
                    params={"waiting_reason": "awaiting_budget"})
    # The agency has been silent past its reply days, and the budget wait has reached its maximum.
    SlaClock.objects.filter(case=referred, kind="agency_reply").update(started_at=timezone.now() - timedelta(days=60))
    Case.objects.filter(pk=waiting.pk).update(waiting_until=timezone.now() - timedelta(minutes=1))
    sla_recompute_open()
    stack.start_worker()
    stack.start_beat()
    wait_for(lambda: Case.objects.get(pk=referred.pk).escalation_level >= 1
             and Case.objects.get(pk=waiting.pk).status == "in_progress", timeout=120,
             message=lambda: f"the agency's silence to escalate and the wait to end\n{stack.log('worker')}")
    step = CaseEvent.objects.filter(case=referred, type="sla_step").order_by("seq").last()
    assert step.data["clock"] == "agency_reply"
    assert Case.objects.get(pk=referred.pk).status == "referred"  # still awaiting the agency, now higher up
    resumed = CaseEvent.objects.filter(case=waiting, type="resume").get()
    assert (resumed.actor_kind, resumed.from_status) == ("system", "on_hold")
    wait_for(lambda: any(m["To"] == "saraban@provincial.example.go.th" for m in smtp_sink.messages), timeout=60,
             message=lambda: f"the agency's email\n{stack.log('worker')}")
    letter = next(m for m in smtp_sink.messages if m["To"] == "saraban@provincial.example.go.th")
    assert "ศธ 04001/77" in letter["Subject"] and referred.tracking_number in letter.get_content()
    assert "parent@example.com" not in letter.get_content()
