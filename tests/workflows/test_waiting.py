"""Issue 17, part 4: staff put a case on hold for a configured reason, which says whether the SLA clocks stop and
for how long at most; the citizen reads the reason in plain Thai on the status page and in the notification;
queues show it; at its maximum the case resumes by itself."""

from datetime import timedelta

import pytest

from core.models import Case, CaseEvent, Notification, SlaClock, SlaPause, WaitingReason
from tests.conftest import put_in_status, submit, user_named
from tests.core.test_notifications import deliver_all
from workflows.sla_sweep import sla_apply_due_steps
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db


def working():
    receipt = submit(contact={"email": "parent@example.com"})
    return receipt, put_in_status(receipt.case, "in_progress", unit="personnel", assignee=user_named("officer1"))


def hold(client, case, **body):
    return client.post(f"/api/v1/cases/{case.tracking_number}/transitions/hold/",
                       {"waiting_reason": "awaiting_budget", **body}, format="json")


def test_a_reason_that_stops_the_clock_pauses_it_until_its_maximum(staff, demo):
    _, case = working()
    due_before = Case.objects.get(pk=case.pk).sla_due_at
    answer = hold(staff("officer1"), case, note="คาดว่าจะได้รับงบประมาณเดือนมกราคม")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == "on_hold" and body["waiting_reason"]["code"] == "awaiting_budget"
    assert body["waiting_reason"]["label"] == "รองบประมาณ"
    stored = Case.objects.get(pk=case.pk)
    assert stored.waiting_until is not None and (stored.waiting_until - due_before).days >= 60  # 60 business days
    assert stored.sla_due_at is None and stored.sla_next_action_at == stored.waiting_until
    pauses = SlaPause.objects.filter(clock__case=case, ended_at__isnull=True)
    assert {pause.reason for pause in pauses} == {"awaiting_budget"} and pauses.count() == 2
    assert all(clock.paused_since for clock in SlaClock.objects.filter(case=case))
    event = CaseEvent.objects.filter(case=case).latest("seq")
    assert event.visibility == "public" and event.data["message"] == "คาดว่าจะได้รับงบประมาณเดือนมกราคม"


def test_a_reason_that_does_not_stop_the_clock_leaves_it_running(staff, demo):
    _, case = working()
    due_before = Case.objects.get(pk=case.pk).sla_due_at
    assert hold(staff("officer1"), case, waiting_reason="awaiting_agency").status_code == 200
    stored = Case.objects.get(pk=case.pk)
    assert stored.sla_due_at == due_before and stored.waiting_until is not None
    assert not SlaPause.objects.filter(clock__case=case).exists()


def test_the_citizen_reads_the_reason_in_thai_on_the_page_and_in_the_notification(api, staff, demo, smtp):
    _, case = working()
    hold(staff("officer1"), case)
    deliver_all()
    [mail] = [m for m in smtp.messages if m["To"] == "parent@example.com" and "รองบประมาณ" in m["Subject"]]
    reason = WaitingReason.objects.get(code="awaiting_budget")
    assert reason.explanation_th in mail.get_content() and "60 วันทำการ" in mail.get_content()
    public = api.get(f"/api/v1/public/cases/{case.tracking_number}/").json()
    assert public["status_label"] == "รอดำเนินการ"
    assert public["waiting"]["explanation"] == reason.explanation_th and public["waiting"]["clock_stopped"] is True
    page = api.get(f"/track/{case.tracking_number}/").content.decode()
    assert reason.explanation_th in page and "รองบประมาณ" in page
    english = api.get(f"/api/v1/public/cases/{case.tracking_number}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["waiting"]["explanation"] == reason.explanation_en


def test_queues_show_cases_on_hold_with_their_reason(staff, demo):
    _, case = working()
    hold(staff("officer1"), case)
    rows = staff("supervisor1").get("/api/v1/cases/?queue=unit&status=on_hold").json()["results"]
    [row] = [row for row in rows if row["tracking_number"] == case.tracking_number]
    assert row["status_label"] == "รอดำเนินการ" and row["waiting_reason"]["label"] == "รองบประมาณ"
    others = staff("supervisor1").get("/api/v1/cases/?queue=unit").json()["results"]
    assert all(row["waiting_reason"] is None for row in others if row["tracking_number"] != case.tracking_number)


def test_at_its_maximum_the_case_resumes_by_itself_and_the_officer_is_told(staff, demo):
    _, case = working()
    hold(staff("officer1"), case)
    until = Case.objects.get(pk=case.pk).waiting_until
    sla_apply_due_steps(now=until - timedelta(minutes=1))
    assert Case.objects.get(pk=case.pk).status == "on_hold"
    sla_apply_due_steps(now=until + timedelta(hours=3))  # the sweep ran late
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.waiting_reason, stored.waiting_until) == ("in_progress", None, None)
    event = CaseEvent.objects.filter(case=case, type="resume").get()
    assert (event.actor_kind, event.from_status) == ("system", "on_hold")
    # The wait's allowance ended at its maximum, not when the sweep came by.
    assert {pause.ended_at for pause in SlaPause.objects.filter(clock__case=case)} == {until}
    assert Notification.objects.filter(event=event, template="wait_over", user__username="officer1").exists()


def test_a_reason_without_a_maximum_waits_until_staff_resume(staff, demo):
    _, case = working()
    hold(staff("officer1"), case, waiting_reason="awaiting_legal")
    stored = Case.objects.get(pk=case.pk)
    assert stored.waiting_until is None and stored.sla_next_action_at is None  # nothing for the sweep to do
    answer = staff("officer1").post(f"/api/v1/cases/{case.tracking_number}/transitions/resume/", {}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "in_progress"
    assert answer.json()["waiting_reason"] is None
    assert all(clock.paused_since is None for clock in SlaClock.objects.filter(case=case))
    assert Case.objects.get(pk=case.pk).sla_due_at is not None


def test_a_citizen_message_does_not_end_a_hold(api, staff, demo):
    receipt, case = working()
    hold(staff("officer1"), case)
    answer = api.post(f"/api/v1/public/cases/{case.tracking_number}/messages/", {"message": "เมื่อไหร่จะเสร็จ"},
                      format="json", HTTP_X_ACCESS_KEY=receipt.access_key)
    assert answer.status_code == 201
    assert Case.objects.get(pk=case.pk).status == "on_hold"


@pytest.mark.parametrize("body", [{"waiting_reason": "no-such-reason"}, {"waiting_reason": ""}, {}])
def test_an_unknown_reason_is_refused_and_changes_nothing(staff, demo, body):
    _, case = working()
    events = CaseEvent.objects.filter(case=case).count()
    answer = staff("officer1").post(f"/api/v1/cases/{case.tracking_number}/transitions/hold/", body, format="json")
    assert answer.status_code == 400 and "waiting_reason" in answer.json()["error"]["fields"], answer.json()
    assert Case.objects.get(pk=case.pk).status == "in_progress"
    assert CaseEvent.objects.filter(case=case).count() == events


def test_an_inactive_reason_cannot_be_chosen(staff, demo):
    WaitingReason.objects.filter(code="awaiting_budget").update(active=False)
    _, case = working()
    assert hold(staff("officer1"), case).status_code == 400


def test_a_suggestion_waits_too(demo):
    suggestion = put_in_status(submit("suggestion").case, "under_consideration", unit="personnel")
    moved = case_transition(tracking=suggestion.tracking_number, name="hold", actor=user_named("supervisor1"),
                            params={"waiting_reason": "awaiting_procurement"})
    assert moved.status == "on_hold"
    resumed = case_transition(tracking=suggestion.tracking_number, name="resume", actor=user_named("supervisor1"))
    assert resumed.status == "under_consideration"
