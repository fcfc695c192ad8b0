"""SLA clocks: start, meet, pause, resume, the escalation ladder and the sweep (docs/design.md, "SLA")."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core.calendar import BUSINESS_DAY_SECONDS, BusinessCalendar, TwentyFourSeven
from core.models import (
    Case,
    CaseEvent,
    Category,
    ClockKind,
    Notification,
    SlaClock,
    SlaPolicy,
)
from core.sla import clock_elapsed
from tests.conftest import submit, user_named
from workflows.closures import closure_add, closure_remove
from workflows.sla_sweep import sla_apply_due_steps, sla_recompute_open
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db
MINUTE = timedelta(minutes=1)


def fast_policy(**overrides) -> SlaPolicy:
    """A 24x7 policy in minutes, for the 'other' complaint category: acknowledge 10, resolve 20."""
    fields = {"name": "fast", "kind": "complaint", "category": Category.objects.get(kind="complaint", code="other"),
              "calendar": "24x7", "acknowledge_value": 10, "acknowledge_unit": "minutes", "resolve_value": 20,
              "resolve_unit": "minutes"}
    return SlaPolicy.objects.create(**{**fields, **overrides})


def fast_case(**submit_overrides) -> Case:
    """A routed complaint under the fast policy, assigned to officer1 (personnel, round robin)."""
    case = submit(category_code="other", description="ครูพฤติกรรมไม่เหมาะสม", **submit_overrides).case
    case_transition(tracking=case.tracking_number, name="assign", actor=user_named("supervisor1"),
                    params={"assignee": "officer1"})
    return Case.objects.get(pk=case.pk)


def clock(case, kind) -> SlaClock:
    return SlaClock.objects.get(case=case, kind=kind)


def steps(case) -> list[tuple]:
    return [(e.data["clock"], e.data["percent"], e.data["level"])
            for e in CaseEvent.objects.filter(case=case, type="sla_step").order_by("seq")]


def test_intake_starts_both_clocks_on_the_business_calendar(api, demo):
    receipt = api.post("/api/v1/public/cases/", {"kind": "complaint", "category": "admission", "title": "t",
                                                 "description": "d", "consent": True}, format="json").json()
    case = Case.objects.get(tracking_number=receipt["tracking_number"])
    calendar = BusinessCalendar()
    acknowledge, resolve = clock(case, ClockKind.ACKNOWLEDGE), clock(case, ClockKind.RESOLVE)
    assert acknowledge.budget_seconds == BUSINESS_DAY_SECONDS
    assert acknowledge.due_at == calendar.add(case.submitted_at, BUSINESS_DAY_SECONDS)
    assert resolve.due_at == calendar.add(case.submitted_at, 15 * BUSINESS_DAY_SECONDS)
    assert receipt["expected_response_by"] == api.get(f"/api/v1/public/cases/{case.tracking_number}/").json()[
        "expected_response_by"]
    assert case.resolve_due_at == resolve.due_at and case.sla_due_at == acknowledge.due_at
    assert case.sla_next_action_at == calendar.add(case.submitted_at, 0.75 * BUSINESS_DAY_SECONDS)
    assert case.sla_warn_at == case.sla_next_action_at  # at risk from the acknowledge clock's 75%


def test_the_most_specific_policy_applies(demo):
    urgent = submit(priority="urgent").case
    assert clock(urgent, ClockKind.ACKNOWLEDGE).budget_seconds == 4 * 3600
    fast_policy()
    assert clock(submit(category_code="other").case, ClockKind.ACKNOWLEDGE).budget_seconds == 600
    assert not SlaClock.objects.filter(case=submit("codecision", unit_code="personnel").case).exists()


def test_screening_meets_the_acknowledge_clock_and_the_answer_the_resolve_clock(demo):
    fast_policy()
    case = fast_case()
    officer = user_named("officer1")
    case_transition(tracking=case.tracking_number, name="accept", actor=officer)
    assert clock(case, ClockKind.ACKNOWLEDGE).met_at is not None
    assert clock(case, ClockKind.RESOLVE).met_at is None
    case_transition(tracking=case.tracking_number, name="respond", actor=officer, params={"reply": "ตอบ"})
    assert clock(case, ClockKind.RESOLVE).met_at is not None
    case.refresh_from_db()
    assert (case.sla_next_action_at, case.sla_due_at) == (None, None)


def test_waiting_for_the_citizen_pauses_the_clock_and_paused_time_never_counts(demo):
    fast_policy(resolve_value=600)  # ten hours
    case = fast_case()
    officer = user_named("officer1")
    case_transition(tracking=case.tracking_number, name="accept", actor=officer)
    case_transition(tracking=case.tracking_number, name="request_info", actor=officer, params={"question": "?"})
    resolve = clock(case, ClockKind.RESOLVE)
    assert resolve.paused_since is not None
    case.refresh_from_db()
    assert case.sla_due_at is None  # a paused case is not overdue
    # Pretend the clock ran for one hour, then waited two hours for the citizen.
    now = timezone.now()
    SlaClock.objects.filter(pk=resolve.pk).update(started_at=now - timedelta(hours=3),
                                                  paused_since=now - timedelta(hours=2))
    resolve.pauses.update(started_at=now - timedelta(hours=2))

    case_transition(tracking=case.tracking_number, name="resume", actor=officer)
    resumed = clock(case, ClockKind.RESOLVE)
    assert resumed.paused_since is None
    assert [(p.reason, p.ended_at is not None) for p in resumed.pauses.all()] == [("awaiting_citizen", True)]
    elapsed = clock_elapsed(resumed, list(resumed.pauses.all()), TwentyFourSeven(), timezone.now())
    assert 3600 <= elapsed < 3600 + 60
    remaining = (resumed.due_at - timezone.now()).total_seconds()
    assert 9 * 3600 - 60 < remaining <= 9 * 3600


def test_the_maximum_pause_resumes_by_itself(demo):
    fast_policy(max_pause_value=30, max_pause_unit="minutes")
    case = fast_case()
    officer = user_named("officer1")
    case_transition(tracking=case.tracking_number, name="accept", actor=officer)
    case_transition(tracking=case.tracking_number, name="request_info", actor=officer, params={"question": "?"})
    paused_since = clock(case, ClockKind.RESOLVE).paused_since
    assert sla_apply_due_steps(now=paused_since + 29 * MINUTE) == 0
    # The sweep runs late (beat was down): the pause still ends when the allowance ran out.
    assert sla_apply_due_steps(now=paused_since + 90 * MINUTE) == 1
    case.refresh_from_db()
    assert case.status == "in_progress"
    resume = CaseEvent.objects.filter(case=case, type="resume").get()
    assert (resume.actor_kind, resume.actor) == ("system", None)
    resolve = clock(case, ClockKind.RESOLVE)
    [pause] = resolve.pauses.all()
    assert pause.ended_at == paused_since + 30 * MINUTE
    # 20 minutes of budget, counted again from the end of the allowance (not from when the sweep ran)
    assert abs((resolve.due_at - (paused_since + 50 * MINUTE)).total_seconds()) < 5


def test_the_ladder_applies_each_step_once_and_escalates(demo):
    fast_policy()
    case = fast_case()
    start = clock(case, ClockKind.ACKNOWLEDGE).started_at

    sla_apply_due_steps(now=start + 7 * MINUTE)
    assert steps(case) == []
    sla_apply_due_steps(now=start + 8 * MINUTE)
    assert steps(case) == [("acknowledge", 75, 0)]
    warning = Notification.objects.get(event__case=case, template="sla_warning", channel="email")
    assert warning.user.username == "officer1"
    sla_apply_due_steps(now=start + 8 * MINUTE)  # twice changes nothing
    assert steps(case) == [("acknowledge", 75, 0)]

    sla_apply_due_steps(now=start + 11 * MINUTE)
    case.refresh_from_db()
    assert case.escalation_level == 1
    assert {n.user.username for n in Notification.objects.filter(event__case=case, template="escalation")} == {
        "supervisor1"}

    sla_apply_due_steps(now=start + 45 * MINUTE)  # everything else at once
    assert steps(case) == [
        ("acknowledge", 75, 0), ("acknowledge", 100, 1), ("acknowledge", 150, 2), ("acknowledge", 200, 3),
        ("resolve", 75, 0), ("resolve", 100, 1), ("resolve", 150, 2), ("resolve", 200, 3),
    ]
    case.refresh_from_db()
    assert case.escalation_level == 3 and case.status == "assigned"  # escalation never changes the work status
    levels = [(e.data["from_level"], e.data["to_level"]) for e in CaseEvent.objects.filter(case=case, type="escalate")]
    assert levels == [(0, 1), (1, 2), (2, 3)]
    assert case.sla_next_action_at is None
    director_mail = Notification.objects.filter(event__case=case, template="escalation", user__username="director",
                                                channel="email")
    assert director_mail.count() == 2  # levels 2 and 3
    assert sla_apply_due_steps(now=start + 60 * MINUTE) == 0


def test_a_met_clock_stops_its_ladder(demo):
    fast_policy()
    case = fast_case()
    start = clock(case, ClockKind.ACKNOWLEDGE).started_at
    case_transition(tracking=case.tracking_number, name="accept", actor=user_named("officer1"))
    sla_apply_due_steps(now=start + 16 * MINUTE)
    assert steps(case) == [("resolve", 75, 0)]
    case.refresh_from_db()
    assert case.escalation_level == 0


def test_an_office_closure_moves_open_deadlines_and_removing_it_moves_them_back(demo):
    case = submit(category_code="admission").case
    due = clock(case, ClockKind.RESOLVE).due_at
    calendar = BusinessCalendar()
    day = calendar.add(case.submitted_at, 3 * BUSINESS_DAY_SECONDS).date()
    while not calendar.is_business_day(day):
        day += timedelta(days=1)
    closure_add(day=day, reason="ปิดสำนักงานเพื่อจัดงานประจำจังหวัด")
    assert sla_recompute_open() is None
    moved = clock(case, ClockKind.RESOLVE).due_at
    assert moved == BusinessCalendar(closures=[day]).add(case.submitted_at, 15 * BUSINESS_DAY_SECONDS) > due
    case.refresh_from_db()
    assert case.resolve_due_at == moved
    closure_remove(day=day)
    sla_recompute_open()
    assert clock(case, ClockKind.RESOLVE).due_at == due


def test_closures_in_the_admin_api(staff, demo):
    admin, officer = staff("admin"), staff("officer1")
    body = {"day": "2026-12-24", "reason": "งานกาชาดจังหวัด"}
    assert officer.post("/api/v1/admin/closures/", body, format="json").status_code == 403
    assert admin.post("/api/v1/admin/closures/", body, format="json").status_code == 201
    assert admin.post("/api/v1/admin/closures/", body, format="json").status_code == 409
    assert admin.get("/api/v1/admin/closures/").json() == [body]
    assert admin.post("/api/v1/admin/closures/", {"day": "24/12/2569", "reason": "x"}, format="json").status_code == 400
    assert admin.delete("/api/v1/admin/closures/2026-12-24/").status_code == 204
    from core.models import ConfigChange

    log = ConfigChange.objects.filter(model="core.OfficeClosure").order_by("pk")
    assert [(c.action, c.actor.username) for c in log] == [("create", "admin"), ("delete", "admin")]
    assert admin.delete("/api/v1/admin/closures/2026-12-24/").status_code == 404
    assert admin.delete("/api/v1/admin/closures/not-a-day/").status_code == 400


def test_queues_overdue_at_risk_and_escalated(staff, demo):
    fast_policy()
    overdue, at_risk, fine = fast_case(), fast_case(), fast_case()
    now = timezone.now()
    Case.objects.filter(pk=overdue.pk).update(sla_due_at=now - MINUTE, sla_warn_at=now - 5 * MINUTE)
    Case.objects.filter(pk=at_risk.pk).update(sla_due_at=now + MINUTE, sla_warn_at=now - MINUTE)

    def queue(username, name):
        return {c["tracking_number"] for c in staff(username).get(f"/api/v1/cases/?queue={name}").json()["results"]}

    assert queue("officer1", "overdue") == {overdue.tracking_number}
    assert queue("officer1", "at_risk") == {at_risk.tracking_number}
    assert fine.tracking_number not in queue("officer1", "overdue") | queue("officer1", "at_risk")

    case_transition(tracking=overdue.tracking_number, name="escalate", actor=user_named("officer1"))
    assert queue("supervisor1", "escalated") == {overdue.tracking_number}
    assert queue("director", "escalated") == set()
    case_transition(tracking=overdue.tracking_number, name="escalate", actor=user_named("supervisor1"))
    assert queue("director", "escalated") == {overdue.tracking_number}
    assert queue("supervisor1", "escalated") == set()


def test_staff_detail_shows_each_clock(staff, demo):
    fast_policy()
    case = fast_case()
    officer = user_named("officer1")
    case_transition(tracking=case.tracking_number, name="accept", actor=officer)
    case_transition(tracking=case.tracking_number, name="request_info", actor=officer, params={"question": "?"})
    clocks = {c["kind"]: c for c in staff("officer1").get(f"/api/v1/cases/{case.tracking_number}/").json()["clocks"]}
    assert clocks["acknowledge"]["met_at"] and clocks["acknowledge"]["breached"] is False
    resolve = clocks["resolve"]
    assert resolve["paused"] is True and resolve["paused_intervals"][0]["reason"] == "awaiting_citizen"
    assert resolve["calendar"] == "24x7" and resolve["budget_seconds"] == 1200
    assert 0 <= resolve["elapsed_seconds"] < 60 and resolve["remaining_seconds"] > 1100
    assert resolve["due_at"] is not None and resolve["met_at"] is None


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_never_apply_a_step_twice(demo):
    fast_policy()
    cases = [fast_case() for _ in range(60)]
    later = timezone.now() + 9 * MINUTE  # one step due on each: the acknowledge clock's 75% warning
    errors = []

    def sweep():
        try:
            while sla_apply_due_steps(now=later, limit=7):
                pass
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    for case in cases:
        assert steps(case) == [("acknowledge", 75, 0)]
    assert CaseEvent.objects.filter(type="sla_step").count() == len(cases)
    assert Notification.objects.filter(template="sla_warning", channel="email").count() == len(cases)


@pytest.mark.parametrize("fields,bad", [
    ({"calendar": "business", "acknowledge_unit": "minutes"}, "acknowledge_unit"),
    ({"calendar": "24x7", "resolve_unit": "business_days"}, "resolve_unit"),
    ({"max_pause_value": 3, "max_pause_unit": ""}, "max_pause_unit"),
    ({"ladder": [{"percent": 75, "level": 7}]}, "ladder"),
])
def test_policies_are_validated(demo, fields, bad):
    from django.core.exceptions import ValidationError

    base = {"name": "p", "kind": "complaint", "calendar": "business", "acknowledge_value": 1,
            "acknowledge_unit": "business_days", "resolve_value": 15, "resolve_unit": "business_days"}
    SlaPolicy(**base).full_clean()
    with pytest.raises(ValidationError) as error:
        SlaPolicy(**{**base, **fields}).full_clean()
    assert bad in error.value.message_dict


def test_sla_report_counts_per_unit(demo):
    import io

    from django.core.management import call_command

    fast_policy()
    late = fast_case()
    fast_case()
    Case.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - MINUTE, escalation_level=1)
    out = io.StringIO()
    call_command("sla_report", stdout=out)
    personnel = next(line for line in out.getvalue().splitlines() if line.startswith("personnel"))
    assert personnel.split()[:5] == ["personnel", "2", "0", "1", "1"]


def test_closures_ask_for_a_recompute_after_commit(demo, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr("core.dispatch.send_task_now", lambda name, *args: sent.append(name))
    with django_capture_on_commit_callbacks(execute=True):
        closure_add(day=timezone.now().date() + timedelta(days=3), reason="x")
    assert sent == ["sla.recompute_open"]


def test_merging_stops_the_duplicates_clocks(demo):
    fast_policy()
    kept, duplicate = fast_case(), fast_case()
    case_transition(tracking=duplicate.tracking_number, name="merge", actor=user_named("officer1"),
                    params={"duplicate_of": kept.tracking_number})
    assert all(c.met_at for c in SlaClock.objects.filter(case=duplicate))
    duplicate.refresh_from_db()
    assert duplicate.sla_next_action_at is None and duplicate.responded_at is None
    sla_apply_due_steps(now=timezone.now() + 60 * MINUTE)
    assert steps(duplicate) == [] and len(steps(kept)) == 8


def test_a_paused_clock_is_not_breached_while_budget_remains(staff, demo):
    fast_policy()
    case = fast_case()
    officer = user_named("officer1")
    case_transition(tracking=case.tracking_number, name="accept", actor=officer)
    case_transition(tracking=case.tracking_number, name="request_info", actor=officer, params={"question": "?"})
    resolve = clock(case, ClockKind.RESOLVE)
    # Paused for three hours, far past the 20-minute deadline it had when the pause began.
    SlaClock.objects.filter(pk=resolve.pk).update(started_at=resolve.started_at - timedelta(hours=3, minutes=5),
                                                  paused_since=resolve.started_at - timedelta(hours=3))
    resolve.pauses.update(started_at=resolve.started_at - timedelta(hours=3))
    [shown] = [c for c in staff("officer1").get(f"/api/v1/cases/{case.tracking_number}/").json()["clocks"]
               if c["kind"] == "resolve"]
    assert shown["breached"] is False and shown["paused"] is True
    assert 890 <= shown["remaining_seconds"] <= 900  # 5 of 20 minutes used
    assert shown["due_at"] > timezone.now().isoformat()  # where it would stand if work resumed now


def test_reopening_restarts_the_resolve_clock_without_counting_the_answered_time(demo):
    fast_policy(resolve_value=600)
    case = fast_case()
    officer, supervisor = user_named("officer1"), user_named("supervisor1")
    case_transition(tracking=case.tracking_number, name="accept", actor=officer)
    case_transition(tracking=case.tracking_number, name="respond", actor=officer, params={"reply": "ตอบ"})
    answered = clock(case, ClockKind.RESOLVE)
    SlaClock.objects.filter(pk=answered.pk).update(met_at=answered.met_at - timedelta(hours=2),
                                                   started_at=answered.started_at - timedelta(hours=3))
    case_transition(tracking=case.tracking_number, name="reopen", actor=supervisor)
    reopened = clock(case, ClockKind.RESOLVE)
    assert reopened.met_at is None
    assert [p.reason for p in reopened.pauses.all()] == ["answered"]
    elapsed = clock_elapsed(reopened, list(reopened.pauses.all()), TwentyFourSeven(), timezone.now())
    assert 3600 - 5 <= elapsed <= 3600 + 60  # one hour of work before the answer; the two hours after do not count
    case.refresh_from_db()
    assert case.responded_at is None and case.sla_due_at == reopened.due_at


def test_a_case_that_breaks_the_sweep_does_not_stop_the_others(demo):
    fast_policy()
    broken, healthy = fast_case(), fast_case()
    SlaClock.objects.filter(case=broken).update(ladder=[{"percent": "seventy-five"}])
    later = timezone.now() + 9 * MINUTE
    assert sla_apply_due_steps(now=later) == 2
    assert steps(healthy) == [("acknowledge", 75, 0)]
    broken.refresh_from_db()
    assert steps(broken) == [] and broken.sla_next_action_at == later + timedelta(minutes=5)


def test_the_sweep_task_requeues_itself_while_more_are_due(demo, settings):
    import redis as redis_client

    from workers.tasks import sla_sweep

    settings.SWEEP_BATCH = 2
    fast_policy()
    for _ in range(3):
        fast_case()
    Case.objects.update(sla_next_action_at=timezone.now() - MINUTE)
    broker = redis_client.Redis.from_url(settings.CELERY_BROKER_URL)

    def queued_sweeps() -> int:
        return sum(json.loads(raw)["headers"]["task"] == "sla.sweep" for raw in broker.lrange("celery", 0, -1))

    settings.SWEEP_CHAINS = 2
    before = queued_sweeps()
    assert sla_sweep() == 2
    assert queued_sweeps() == before + 2  # a full batch found by the beat's run: two chains take the backlog
    assert sla_sweep(continued=True) == 1
    assert queued_sweeps() == before + 2  # the last, partial batch asks for no more
    broker.delete("celery")


def test_a_lost_recompute_is_started_by_the_sweep(demo):
    from workflows.closures import calendar_recompute_pending

    assert not calendar_recompute_pending()
    closure_add(day=timezone.now().date() + timedelta(days=5), reason="x")  # its task message never runs here
    assert calendar_recompute_pending()
    sla_recompute_open()
    assert not calendar_recompute_pending()


def test_ladder_notifications_reach_the_right_people_over_smtp(demo, smtp):
    from core.notifications.delivery import notification_deliver, notifications_due

    fast_policy()
    case = fast_case()
    start = clock(case, ClockKind.ACKNOWLEDGE).started_at
    sla_apply_due_steps(now=start + 45 * MINUTE)
    for pk in notifications_due(now=timezone.now(), limit=100):
        notification_deliver(notification_id=pk)
    sent = [(m["To"], m["Subject"].strip()) for m in smtp.messages]
    assert ("officer1@example.go.th", f"ใกล้ครบกำหนด เรื่องเลขที่ {case.tracking_number}") in sent
    assert any(to == "supervisor1@example.go.th" and "ผู้อำนวยการกลุ่ม" in subject for to, subject in sent)
    assert any(to == "director@example.go.th" and "หน่วยงานกำกับดูแล" in subject for to, subject in sent)
    # the resolve clock's breaches at levels already reached remind the people holding the case
    assert any(to == "director@example.go.th" and subject.startswith("เกินกำหนดแล้ว") for to, subject in sent)


def test_clocks_met_before_used_seconds_existed_get_theirs_from_their_pauses(demo):
    """Migration 0021 fills SlaClock.used_seconds of clocks met before it: the clock time, pauses left out."""
    from importlib import import_module

    from django.apps import apps

    fast_policy(resolve_value=600)
    case = fast_case()
    officer = user_named("officer1")
    case_transition(tracking=case.tracking_number, name="accept", actor=officer)
    case_transition(tracking=case.tracking_number, name="request_info", actor=officer, params={"question": "?"})
    case_transition(tracking=case.tracking_number, name="resume", actor=officer)
    case_transition(tracking=case.tracking_number, name="respond", actor=officer, params={"reply": "ตอบ"})
    resolve = clock(case, ClockKind.RESOLVE)
    start = resolve.met_at - timedelta(hours=3)
    SlaClock.objects.filter(pk=resolve.pk).update(started_at=start, used_seconds=None)
    resolve.pauses.update(started_at=start + timedelta(hours=1), ended_at=start + timedelta(hours=2))
    import_module("core.migrations.0021_slaclock_used_seconds").used_seconds_backfill(apps, None)
    assert clock(case, ClockKind.RESOLVE).used_seconds == pytest.approx(2 * 3600)  # three hours, one paused
