"""Issue 17, part 3: a referral goes to a configured agency with the office's letter, emails the agency a summary
(never a sealed reporter's identity), keeps the case open awaiting the agency on its own follow-up clock, which
escalates on the ladder when the agency is silent; staff record the reply and then answer the citizen. A case
received from an agency records it."""

from datetime import datetime, timedelta

import pytest
import time_machine

from core.calendar import BANGKOK
from core.models import Agency, Case, CaseEvent, Notification, SlaClock, SlaPause
from tests.conftest import put_in_status, submit, user_named
from tests.core.test_notifications import deliver_all
from workflows.sla_sweep import sla_apply_due_steps
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db

CONTACT = {"name": "นางสาวใจดี รักเรียน", "phone": "0812345678", "email": "parent@example.com"}
LETTER = {"letter_number": "ศธ 04001/2569", "letter_date": "2026-11-30"}


@pytest.fixture
def agencies(demo):
    Agency.objects.filter(code__in=["provincial-education", "nacc"]).update(email="")
    Agency.objects.filter(code="provincial-education").update(email="saraban@provincial.example.go.th")
    Agency.objects.filter(code="nacc").update(email="saraban@nacc.example.go.th")


def working(**submit_overrides) -> Case:
    receipt = submit(contact=CONTACT, **submit_overrides)
    return put_in_status(receipt.case, "in_progress", unit="personnel", assignee=user_named("officer1"))


def refer(client, case, **body):
    return client.post(f"/api/v1/cases/{case.tracking_number}/transitions/refer/",
                       {"agency": "provincial-education", **LETTER, **body}, format="json")


def clocks(case) -> dict[str, SlaClock]:
    return {clock.kind: clock for clock in SlaClock.objects.filter(case=case)}


def test_a_referral_records_the_letter_pauses_the_office_and_starts_the_agency_clock(staff, agencies):
    case = working()
    answer = refer(staff("supervisor1"), case)
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == "referred" and body["status_label"] == "ส่งต่อหน่วยงานแล้ว รอผล"
    assert body["referred_to"] == {"agency": "provincial-education", "agency_name": "สำนักงานศึกษาธิการจังหวัด",
                                   "letter_number": "ศธ 04001/2569", "letter_date": "2026-11-30"}
    by_kind = clocks(case)
    assert by_kind["acknowledge"].met_at is not None
    assert by_kind["resolve"].paused_since is not None and by_kind["resolve"].met_at is None
    assert SlaPause.objects.get(clock=by_kind["resolve"], ended_at__isnull=True).reason == "referred"
    agency_clock = by_kind["agency_reply"]
    assert agency_clock.budget_seconds == 15 * 8 * 3600 and agency_clock.calendar == "business"
    assert agency_clock.ladder == by_kind["resolve"].ladder  # the same ladder as the case's other clocks
    stored = Case.objects.get(pk=case.pk)
    assert stored.sla_due_at == agency_clock.due_at  # the queues show the agency's deadline
    assert (agency_clock.due_at - agency_clock.started_at).days >= 20  # 15 business days: three weeks and more
    event = CaseEvent.objects.filter(case=case).latest("seq")
    assert event.type == "refer" and event.data["params"]["agency"] == "provincial-education"


def test_the_agency_gets_a_summary_by_email_and_the_citizen_hears_where_the_case_went(staff, agencies, smtp):
    case = working()
    refer(staff("supervisor1"), case)
    deliver_all()
    [letter] = [m for m in smtp.messages if m["To"] == "saraban@provincial.example.go.th"]
    text = letter.get_content()
    assert "ศธ 04001/2569" in letter["Subject"] and case.tracking_number in text
    assert case.title in text and case.description in text and "30 พ.ย. 2569" in text
    assert "15 วันทำการ" in text
    for personal in CONTACT.values():
        assert personal not in text  # the agency learns the matter, not who raised it
    [told] = [m for m in smtp.messages if m["To"] == "parent@example.com" and "ส่งต่อ" in m["Subject"]]
    assert "สำนักงานศึกษาธิการจังหวัด" in told["Subject"] and "ศธ 04001/2569" in told.get_content()


def test_a_sealed_report_goes_only_to_an_investigating_agency_and_never_with_the_identity(staff, agencies, smtp):
    report = put_in_status(submit("corruption", contact=CONTACT).case, "fact_finding", unit="audit",
                           assignee=user_named("integrity1"))
    refused = refer(staff("integrity1"), report, agency="provincial-education")
    assert refused.status_code == 400 and "agency" in refused.json()["error"]["fields"]
    assert Case.objects.get(pk=report.pk).status == "fact_finding"
    answer = refer(staff("integrity1"), report, agency="nacc")
    assert answer.status_code == 200, answer.json()
    deliver_all()
    [letter] = [m for m in smtp.messages if m["To"] == "saraban@nacc.example.go.th"]
    text = letter.get_content()
    assert report.description in text and "ปกปิดข้อมูลผู้ร้อง" in text
    for personal in CONTACT.values():
        assert personal not in text
    # The public sees fact-finding, not where the report went.
    public = staff("integrity1").get(f"/api/v1/public/cases/{report.tracking_number}/").json()
    assert (public["status"], public["referral"]) == ("fact_finding", None)


def test_an_agency_that_does_not_reply_in_time_escalates_the_case_on_the_ladder(staff, agencies, smtp):
    case = working()
    refer(staff("supervisor1"), case)
    due = clocks(case)["agency_reply"].due_at
    assert sla_apply_due_steps(now=due - timedelta(minutes=1)) >= 1  # the 75% warning
    assert Case.objects.get(pk=case.pk).escalation_level == 0
    sla_apply_due_steps(now=due + timedelta(minutes=1))
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.escalation_level) == ("referred", 1)
    steps = CaseEvent.objects.filter(case=case, type="sla_step").order_by("seq")
    assert [(s.data["clock"], s.data["percent"]) for s in steps] == [("agency_reply", 75), ("agency_reply", 100)]
    assert Notification.objects.filter(event__case=case, template="escalation",
                                       user__username="supervisor1").exists()
    # The office's own resolve clock stayed paused throughout: nothing of it was overdue.
    assert clocks(case)["resolve"].steps_applied == 0


def test_staff_record_the_reply_then_answer_the_citizen(staff, agencies):
    case = working()
    refer(staff("supervisor1"), case)
    officer = staff("officer1")
    url = f"/api/v1/cases/{case.tracking_number}/transitions/"
    recorded = officer.post(url + "record_agency_reply/", {"summary": "ศึกษาธิการจังหวัดตรวจสอบแล้ว",
                                                           "letter_number": "ศธ 0234/55"}, format="json")
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["status"] == "in_progress"
    by_kind = clocks(case)
    assert by_kind["agency_reply"].met_at is not None
    assert by_kind["resolve"].paused_since is None
    assert SlaPause.objects.get(clock=by_kind["resolve"]).ended_at is not None
    event = CaseEvent.objects.filter(case=case).latest("seq")
    assert event.visibility == "internal" and event.data["params"]["letter_number"] == "ศธ 0234/55"
    answered = officer.post(url + "respond/", {"reply": "หน่วยงานแก้ไขแล้ว"}, format="json")
    assert answered.json()["status"] == "responded"
    assert Case.objects.get(pk=case.pk).answer_window_ends_at is not None


def test_a_case_referred_again_restarts_the_agency_clock(staff, agencies):
    # Within office hours (a Tuesday morning in Bangkok), so that an hour later is an hour of business time later.
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=BANGKOK), tick=False):
        case = working()
        refer(staff("supervisor1"), case)
    first = clocks(case)["agency_reply"]
    with time_machine.travel(datetime(2026, 12, 1, 10, 30, tzinfo=BANGKOK), tick=False):
        case_transition(tracking=case.tracking_number, name="record_agency_reply", actor=user_named("officer1"),
                        params={"summary": "ไม่ใช่อำนาจหน้าที่ของเรา"})
    later = datetime(2026, 12, 1, 11, 0, tzinfo=BANGKOK)
    with time_machine.travel(later, tick=False):
        assert refer(staff("supervisor1"), case, agency="obec").status_code == 200
    again = clocks(case)["agency_reply"]
    assert again.pk == first.pk and again.started_at >= later and again.met_at is None
    assert again.steps_applied == 0 and again.due_at > first.due_at
    assert Case.objects.get(pk=case.pk).referred_to.code == "obec"


@pytest.mark.parametrize("body,field", [
    ({"agency": "no-such-agency"}, "agency"),
    ({"agency": "สพฐ."}, "agency"),
    ({"letter_number": ""}, "letter_number"),
    ({"letter_date": "2999-01-01"}, "letter_date"),
    ({"letter_date": "31/12/2569"}, "letter_date"),
])
def test_a_bad_referral_is_refused_and_changes_nothing(staff, agencies, body, field):
    case = working()
    events = CaseEvent.objects.filter(case=case).count()
    answer = refer(staff("supervisor1"), case, **body)
    assert answer.status_code == 400 and field in answer.json()["error"]["fields"], answer.json()
    assert Case.objects.get(pk=case.pk).status == "in_progress"
    assert CaseEvent.objects.filter(case=case).count() == events and not SlaClock.objects.filter(
        case=case, kind="agency_reply").exists()


def test_an_inactive_agency_cannot_be_chosen(staff, agencies):
    Agency.objects.filter(code="provincial-education").update(active=False)
    answer = refer(staff("supervisor1"), working())
    assert answer.status_code == 400 and "agency" in answer.json()["error"]["fields"]


def test_the_citizen_sees_where_and_when_the_case_went(api, staff, agencies):
    case = working()
    refer(staff("supervisor1"), case)
    public = api.get(f"/api/v1/public/cases/{case.tracking_number}/").json()
    assert public["referral"]["agency"] == "สำนักงานศึกษาธิการจังหวัด" and public["referral"]["at"]
    assert public["status_label"] == "ส่งต่อหน่วยงานแล้ว รอผล"
    page = api.get(f"/track/{case.tracking_number}/").content.decode()
    assert "ส่งต่อไปยังสำนักงานศึกษาธิการจังหวัด" in page and "2569" in page


def test_a_case_received_from_an_agency_records_it_and_its_letter(staff, agencies):
    intake = {"kind": "complaint", "channel": "damrongdham", "category": "other", "title": "ร้องเรียนผ่านศูนย์ดำรงธรรม",
              "description": "ส่งต่อจากศูนย์ดำรงธรรมจังหวัด", "received_from": "damrongdham",
              "received_letter_number": "นม 0017.2/999", "received_letter_date": "2026-11-20"}
    created = staff("clerk1").post("/api/v1/cases/", intake, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["case"]["received_from"] == {
        "agency": "damrongdham", "agency_name": "ศูนย์ดำรงธรรมจังหวัด", "letter_number": "นม 0017.2/999",
        "letter_date": "2026-11-20"}
    case = Case.objects.get(tracking_number=created.json()["case"]["tracking_number"])
    first = CaseEvent.objects.get(case=case, seq=1)
    assert first.data["received_from"] == {"agency": "damrongdham", "letter_number": "นม 0017.2/999",
                                           "letter_date": "2026-11-20"}
    unknown = staff("clerk1").post("/api/v1/cases/", {**intake, "received_from": "nowhere"}, format="json")
    assert unknown.status_code == 400 and "received_from" in unknown.json()["error"]["fields"]
    assert Case.objects.filter(title=intake["title"]).count() == 1
