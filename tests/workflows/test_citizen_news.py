"""Staff hear what the citizen does (a message, which may end a wait for it; a low rating), and the
consent given at intake is on the record."""

import pytest

from core.models import CaseEvent, Notification
from tests.conftest import put_in_status, submit, user_named
from tests.core.test_notifications import deliver_all
from workflows.citizen import citizen_feedback_give, citizen_message_add
from workflows.privacy import PRIVACY_NOTICE_VERSION
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db


def staff_told(case, template: str) -> set[str]:
    return set(Notification.objects.filter(event__case=case, template=template, to_citizen=False)
               .values_list("user__username", flat=True))


def test_a_citizen_message_that_ends_a_wait_tells_the_assignee_by_email(demo, smtp):
    receipt = submit()
    case = put_in_status(receipt.case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    case_transition(tracking=case.tracking_number, name="request_info", actor=user_named("officer1"),
                    params={"question": "ขอชื่อโรงเรียน"})
    deliver_all()
    smtp.messages.clear()
    citizen_message_add(tracking=case.tracking_number, access_key=receipt.access_key, message="โรงเรียนบ้านหนองปลิง")
    assert CaseEvent.objects.filter(case=case).order_by("-seq").values_list("type", flat=True)[:2][::-1] == [
        "citizen_message", "resume"]
    assert staff_told(case, "citizen_message") == {"officer1"}
    deliver_all()
    [mail] = [m for m in smtp.messages if m["To"] == user_named("officer1").email]
    assert case.tracking_number in mail["Subject"] and "ข้อมูลเพิ่มเติม" in mail["Subject"]
    assert "อยู่ระหว่างดำเนินการ" in mail.get_content()  # the status it resumed to
    assert "โรงเรียนบ้านหนองปลิง" not in mail.get_content()  # what the citizen wrote stays in the system


def test_a_message_on_a_case_nobody_holds_tells_the_unit_heads(demo):
    receipt = submit()
    case = put_in_status(receipt.case, "assigned", unit="personnel")
    citizen_message_add(tracking=case.tracking_number, access_key=receipt.access_key, message="เพิ่มเติม")
    assert staff_told(case, "citizen_message") == {"supervisor1"}


@pytest.mark.parametrize(("score", "told"), [(1, {"officer1", "supervisor1"}), (2, {"officer1", "supervisor1"}),
                                              (3, set()), (5, set())])
def test_a_rating_of_two_or_less_tells_the_assignee_and_the_unit_heads(demo, score, told):
    receipt = submit()
    case = put_in_status(receipt.case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    case_transition(tracking=case.tracking_number, name="respond", actor=user_named("officer1"),
                    params={"reply": "ดำเนินการแล้ว"})
    citizen_feedback_give(tracking=case.tracking_number, access_key=receipt.access_key, score=score)
    assert staff_told(case, "low_satisfaction") == told


def test_low_satisfaction_mail_names_the_score(demo, smtp):
    receipt = submit()
    case = put_in_status(receipt.case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    case_transition(tracking=case.tracking_number, name="respond", actor=user_named("officer1"),
                    params={"reply": "ดำเนินการแล้ว"})
    citizen_feedback_give(tracking=case.tracking_number, access_key=receipt.access_key, score=1, comment="ไม่ได้ผล")
    deliver_all()
    subjects = [m["Subject"] for m in smtp.messages if m["To"] == user_named("supervisor1").email]
    assert any("1/5" in subject and case.tracking_number in subject for subject in subjects), subjects


def test_consent_at_intake_is_recorded_in_the_first_event(api, demo):
    answer = api.post("/api/v1/public/cases/", {"kind": "complaint", "category": "admission", "title": "t",
                                                "description": "d", "consent": True}, format="json")
    assert answer.status_code == 201
    first = CaseEvent.objects.get(case__tracking_number=answer.json()["tracking_number"], seq=1)
    assert first.data["consent"]["notice_version"] == PRIVACY_NOTICE_VERSION
    assert first.data["consent"]["at"] == first.at.isoformat()


def test_staff_recording_a_case_records_no_consent_for_the_citizen(demo):
    case = submit(recorded_by=user_named("clerk1"), channel="phone").case
    assert "consent" not in CaseEvent.objects.get(case=case, seq=1).data
