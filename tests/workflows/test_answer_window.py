"""Issue 17, parts 1 and 2: after the answer the citizen has a window to rate or reopen; when it ends without a
reopening the case closes itself, audited, and the citizen is told; reopening is bounded and escalates the
second time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Case, CaseEvent, Notification, SlaPolicy
from tests.conftest import put_in_status, submit, user_named
from workflows.answer_window import answered_cases_close
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db


def answered(**submit_overrides):
    receipt = submit(contact={"email": "parent@example.com"}, **submit_overrides)
    case = put_in_status(receipt.case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    case_transition(tracking=case.tracking_number, name="respond", actor=user_named("officer1"),
                    params={"reply": "ดำเนินการแล้ว"})
    return receipt, Case.objects.get(pk=case.pk)


def reopen(api, receipt, reason="ยังไม่ได้รับการแก้ไข"):
    return api.post(f"/api/v1/public/cases/{receipt.case.tracking_number}/reopen/", {"reason": reason},
                    format="json", HTTP_X_ACCESS_KEY=receipt.access_key)


def test_an_answer_opens_a_window_of_ten_business_days(demo):
    _, case = answered()
    assert case.answer_window_ends_at is not None
    days = (case.answer_window_ends_at - case.responded_at).days
    assert 14 <= days <= 20  # ten business days: two weeks and more, holidays included


def test_the_window_follows_the_policy(demo):
    SlaPolicy.objects.filter(kind="complaint").update(answer_window_days=3)
    _, case = answered()
    assert (case.answer_window_ends_at - case.responded_at).days <= 7


def test_when_the_window_ends_the_case_closes_itself_and_the_citizen_is_told(demo):
    _, case = answered()
    assert answered_cases_close(now=case.answer_window_ends_at - timedelta(seconds=1), limit=100) == 0
    assert answered_cases_close(now=case.answer_window_ends_at, limit=100) == 1
    closed = Case.objects.get(pk=case.pk)
    assert (closed.status, closed.answer_window_ends_at) == ("closed", None) and closed.closed_at
    event = CaseEvent.objects.filter(case=case).latest("seq")
    assert (event.type, event.actor_kind, event.to_status) == ("close", "system", "closed")
    assert Notification.objects.filter(event=event, template="closed", to_citizen=True).exists()
    assert answered_cases_close(now=timezone.now() + timedelta(days=60), limit=100) == 0  # once


def test_the_citizen_reopens_inside_the_window_and_the_case_does_not_close(api, demo):
    receipt, case = answered()
    answer = reopen(api, receipt)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == "in_progress"
    reopened = Case.objects.get(pk=case.pk)
    assert (reopened.reopen_count, reopened.answer_window_ends_at, reopened.responded_at) == (1, None, None)
    event = CaseEvent.objects.filter(case=case, type="reopen").get()
    assert (event.actor_kind, event.data["params"]["reason"]) == ("citizen", "ยังไม่ได้รับการแก้ไข")
    assert set(Notification.objects.filter(event=event, template="reopened").values_list(
        "user__username", flat=True)) == {"officer1", "supervisor1"}
    assert answered_cases_close(now=timezone.now() + timedelta(days=60), limit=100) == 0
    assert Case.objects.get(pk=case.pk).status == "in_progress"


def test_the_second_reopening_escalates_and_the_limit_holds(api, demo):
    receipt, case = answered()
    assert reopen(api, receipt).status_code == 200
    case_transition(tracking=case.tracking_number, name="respond", actor=user_named("officer1"),
                    params={"reply": "แก้ไขเพิ่มเติมแล้ว"})
    assert reopen(api, receipt).status_code == 200
    twice = Case.objects.get(pk=case.pk)
    assert (twice.reopen_count, twice.escalation_level) == (2, 1)
    assert CaseEvent.objects.filter(case=case, type="escalate").count() == 1
    case_transition(tracking=case.tracking_number, name="respond", actor=user_named("officer1"),
                    params={"reply": "ครั้งที่สาม"})
    refused = reopen(api, receipt)
    assert refused.status_code == 409 and "ครบจำนวนครั้ง" in refused.json()["error"]["message"]
    assert Case.objects.get(pk=case.pk).status == "responded"


@pytest.mark.parametrize("problem", ["outside", "no_reason", "wrong_key", "suggestion", "not_answered"])
def test_bad_reopenings_are_refused_and_change_nothing(api, demo, problem):
    receipt, case = answered()
    if problem == "outside":
        Case.objects.filter(pk=case.pk).update(answer_window_ends_at=timezone.now() - timedelta(minutes=1))
        expected = 409
    elif problem == "not_answered":
        receipt = submit()
        case = receipt.case
        expected = 409
    elif problem == "suggestion":
        receipt = submit("suggestion")
        case = receipt.case
        expected = 409
    else:
        expected = {"no_reason": 400, "wrong_key": 403}[problem]
    before = Case.objects.get(pk=case.pk)
    body = {"reason": ""} if problem == "no_reason" else {"reason": "ยังไม่ได้รับการแก้ไข"}
    key = "WRONG-KEY" if problem == "wrong_key" else receipt.access_key
    answer = api.post(f"/api/v1/public/cases/{case.tracking_number}/reopen/", body, format="json",
                      HTTP_X_ACCESS_KEY=key)
    assert answer.status_code == expected, answer.json()
    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.event_head_seq, after.reopen_count) == (before.status, before.event_head_seq,
                                                                       before.reopen_count)


def test_staff_may_close_earlier_and_the_window_ends(demo):
    _, case = answered()
    case_transition(tracking=case.tracking_number, name="close", actor=user_named("officer1"),
                    comment="ผู้ร้องแจ้งทางโทรศัพท์ว่าพอใจแล้ว")
    closed = Case.objects.get(pk=case.pk)
    assert (closed.status, closed.answer_window_ends_at) == ("closed", None)


def test_after_closure_a_new_case_can_continue_the_old_one(api, staff, demo):
    _, case = answered()
    answered_cases_close(now=case.answer_window_ends_at, limit=10)
    body = {"kind": "complaint", "category": "teacher-conduct", "title": "ครูไม่เข้าสอนอีก",
            "description": "เกิดขึ้นอีกในภาคเรียนนี้", "consent": True, "follows": case.tracking_number.lower()}
    answer = api.post("/api/v1/public/cases/", body, format="json")
    assert answer.status_code == 201, answer.json()
    new = Case.objects.get(tracking_number=answer.json()["tracking_number"])
    assert new.follows_id == case.pk
    assert CaseEvent.objects.get(case=new, seq=1).data["follows"] == case.tracking_number
    detail = staff("clerk1").get(f"/api/v1/cases/{new.tracking_number}/").json()
    assert detail["follows"] == case.tracking_number


@pytest.mark.parametrize("follows", ["open", "CM-0000-0000-0000", "nonsense"])
def test_a_new_case_continues_only_a_closed_one(api, demo, follows):
    if follows == "open":
        follows = answered()[1].tracking_number
    before = Case.objects.count()
    answer = api.post("/api/v1/public/cases/", {"kind": "complaint", "category": "teacher-conduct", "title": "t",
                                                "description": "d", "consent": True, "follows": follows},
                      format="json")
    assert answer.status_code == 400 and "follows" in answer.json()["error"]["fields"], answer.json()
    assert Case.objects.count() == before


def test_the_closed_case_page_offers_to_continue_it(client, demo):
    receipt, case = answered()
    answered_cases_close(now=case.answer_window_ends_at, limit=10)
    session = client
    page = session.post(f"/track/{case.tracking_number}/", {"access_key": receipt.access_key}, follow=True)
    text = page.content.decode()
    assert f"follows={case.tracking_number}" in text and "ยื่นเรื่องใหม่ต่อจากเรื่องนี้" in text
    form = session.get(f"/submit/?kind=complaint&follows={case.tracking_number.lower()}").content.decode()
    assert f'value="{case.tracking_number}"' in form
