"""The workspace's bell: what staff are told (assigned to me, the citizen added information, a rating of 1 or 2,
escalated to me, deadline warnings), read and unread, and what the pages poll to stay current."""

import pytest

from core.models import Case, Notification
from core.notifications.render import notification_render
from tests.conftest import put_in_status, submit, user_named
from tests.workspace.conftest import post
from workflows.citizen import citizen_feedback_give, citizen_message_add
from workflows.sla_sweep import sla_apply_due_steps
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db


def test_an_assignment_rings_the_bell_and_opening_it_reads_it(desk):
    case = submit().case
    case_transition(tracking=case.tracking_number, name="assign", actor=user_named("supervisor1"),
                    params={"assignee": "officer1"})
    client = desk("officer1")
    page = client.get("/staff/").content.decode()
    assert "data-unread>1<" in page
    listed = client.get("/staff/notifications/").content.decode()
    assert "มอบหมายเรื่องให้ท่าน" in listed and case.tracking_number in listed
    row = Notification.objects.get(user__username="officer1", channel="inbox", template="assignment")
    opened = client.get(f"/staff/notifications/{row.pk}/")
    assert opened.status_code == 302 and opened["Location"] == f"/staff/cases/{case.tracking_number}/"
    assert "data-unread>0<" in client.get("/staff/").content.decode()
    assert desk("officer2").get(f"/staff/notifications/{row.pk}/").status_code == 404  # not theirs


def test_the_citizen_adding_information_and_a_low_rating_reach_the_bell(desk):
    receipt = submit()
    case = put_in_status(receipt.case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    citizen_message_add(tracking=case.tracking_number, access_key=receipt.access_key, message="ข้อมูลเพิ่มเติม")
    case_transition(tracking=case.tracking_number, name="respond", actor=user_named("officer1"),
                    params={"reply": "ตอบแล้ว"})
    citizen_feedback_give(tracking=case.tracking_number, access_key=receipt.access_key, score=1)
    inbox = Notification.objects.filter(channel="inbox", event__case=case)
    assert set(inbox.values_list("template", "user__username")) == {
        ("citizen_message", "officer1"), ("low_satisfaction", "officer1"), ("low_satisfaction", "supervisor1")}
    assert set(inbox.values_list("status", flat=True)) == {"sent"}  # nothing to deliver
    listed = desk("supervisor1").get("/staff/notifications/").content.decode()
    assert "ผู้ร้องให้คะแนนความพึงพอใจ 1 หรือ 2" in listed


def test_escalations_and_deadline_warnings_reach_the_bell(desk):
    case = put_in_status(submit().case, "assigned", unit="personnel", assignee=user_named("officer1"))
    due = Case.objects.get(pk=case.pk).sla_due_at
    sla_apply_due_steps(now=due)
    templates = set(Notification.objects.filter(channel="inbox", event__case=case).values_list(
        "template", "user__username"))
    assert ("sla_warning", "officer1") in templates and ("escalation", "supervisor1") in templates


def test_mark_all_read_and_the_polled_counts(desk):
    for _ in range(2):
        case_transition(tracking=submit().case.tracking_number, name="assign", actor=user_named("supervisor1"),
                        params={"assignee": "officer1"})
    client = desk("officer1")
    live = client.get("/staff/live/").json()
    assert live["unread"] == 2 and live["counts"]["mine"] == 2
    post(client, "/staff/notifications/read/")
    assert client.get("/staff/live/").json()["unread"] == 0
    case = Case.objects.filter(assignee__username="officer1").first()
    seen = client.get(f"/staff/cases/{case.tracking_number}/live/").json()["events"]
    case_transition(tracking=case.tracking_number, name="accept", actor=user_named("officer1"))
    assert client.get(f"/staff/cases/{case.tracking_number}/live/").json()["events"] == seen + 1
    assert desk("officer2").get(f"/staff/cases/{case.tracking_number}/live/").status_code == 404


def test_staff_emails_link_to_the_workspace_case_page(desk):
    case = submit().case
    case_transition(tracking=case.tracking_number, name="assign", actor=user_named("supervisor1"),
                    params={"assignee": "officer1"})
    email = Notification.objects.get(user__username="officer1", channel="email", template="assignment")
    assert f"/staff/cases/{case.tracking_number}/" in notification_render(email).text
