"""Notes, replies, claiming and reassigning: each audited, each checked against who may do it."""

import pytest

from core.models import Case, CaseEvent, Notification, Unit
from tests.conftest import put_in_status, submit, user_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def working(demo):
    """A complaint in progress in personnel, assigned to officer1, with the citizen's access key."""
    receipt = submit(contact={"email": "parent@example.com"})
    put_in_status(receipt.case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    return receipt


def test_internal_notes_stay_internal(staff, api, working):
    tracking = working.case.tracking_number
    response = staff("officer1").post(f"/api/v1/cases/{tracking}/notes/", {"text": "โทรหาผู้ปกครองแล้ว"},
                                      format="json")
    assert response.status_code == 201
    assert (response.json()["type"], response.json()["visibility"]) == ("note", "internal")
    assert staff("clerk1").post(f"/api/v1/cases/{tracking}/notes/", {"text": "x"}, format="json").status_code == 201
    assert staff("auditor1").post(f"/api/v1/cases/{tracking}/notes/", {"text": "x"}, format="json").status_code == 403
    assert staff("officer2").post(f"/api/v1/cases/{tracking}/notes/", {"text": "x"}, format="json").status_code == 404
    replies = api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY=working.access_key).json()
    assert replies == []


def test_replies_reach_the_citizen(staff, api, working):
    tracking = working.case.tracking_number
    assert staff("clerk1").post(f"/api/v1/cases/{tracking}/replies/", {"text": "x"}, format="json").status_code == 403
    response = staff("officer1").post(f"/api/v1/cases/{tracking}/replies/", {"text": "กำลังตรวจสอบข้อเท็จจริง"},
                                      format="json")
    assert response.status_code == 201
    replies = api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY=working.access_key).json()
    assert [(r["author"], r["message"]) for r in replies] == [("office", "กำลังตรวจสอบข้อเท็จจริง")]
    event = CaseEvent.objects.get(case=working.case, type="reply")
    assert list(event.notifications.values_list("template", "to_citizen")) == [("answer_available", True)]
    assert Case.objects.get(pk=working.case.pk).status == "in_progress"  # a reply is not an answer


def test_officers_claim_from_their_units_queue(staff, demo):
    queued = put_in_status(submit().case, "assigned", unit="personnel")
    url = f"/api/v1/cases/{queued.tracking_number}/claim/"
    assert staff("officer2").post(url).status_code == 404  # another unit's case does not exist for them
    response = staff("officer1").post(url)
    assert response.status_code == 200 and response.json()["assignee"] == "officer1"
    assert staff("supervisor1").post(url).status_code == 409  # already taken
    event = CaseEvent.objects.get(case=queued, type="claim")
    assert (event.actor.username, event.data) == ("officer1", {"assignee": "officer1"})


def test_supervisors_reassign_one_case(staff, demo, working):
    from django.contrib.auth import get_user_model

    from core.models import Membership, Unit

    colleague = get_user_model().objects.create_user("officer3", email="officer3@example.go.th")
    Membership.objects.create(user=colleague, unit=Unit.objects.get(code="personnel"))
    url = f"/api/v1/cases/{working.case.tracking_number}/reassign/"
    assert staff("officer1").post(url, {"assignee": "officer3"}, format="json").status_code == 403
    assert staff("supervisor1").post(url, {"assignee": "officer2"}, format="json").status_code == 400  # not in unit
    response = staff("supervisor1").post(url, {"assignee": "officer3"}, format="json")
    assert response.status_code == 200 and response.json()["assignee"] == "officer3"
    event = CaseEvent.objects.get(case=working.case, type="reassign")
    assert event.data == {"from": "officer1", "to": "officer3", "unit": "personnel"}
    assert sorted(event.notifications.values_list("template", "user__username", "channel")) == [
        ("assignment", "officer3", "email"), ("assignment", "officer3", "inbox")]


def test_bulk_reassignment_is_all_or_nothing(staff, demo):
    officer1, officer2 = user_named("officer1"), user_named("officer2")
    mine = [put_in_status(submit().case, "in_progress", unit="promotion", assignee=officer2) for _ in range(3)]
    elsewhere = put_in_status(submit().case, "in_progress", unit="finance")
    client = staff("supervisor1")
    body = {"tracking_numbers": [c.tracking_number for c in mine] + [elsewhere.tracking_number],
            "assignee": "officer1", "unit": "personnel"}
    refused = client.post("/api/v1/cases/reassign/", body, format="json")
    assert refused.status_code == 404  # supervisor1 cannot see the finance case
    assert set(Case.objects.filter(pk__in=[c.pk for c in mine]).values_list("assignee", flat=True)) == {officer2.pk}

    body["tracking_numbers"] = [c.tracking_number.lower() for c in mine]
    response = client.post("/api/v1/cases/reassign/", body, format="json")
    assert response.status_code == 200
    assert {c["assignee"] for c in response.json()["cases"]} == {"officer1"}
    assert {c["unit"] for c in response.json()["cases"]} == {"personnel"}
    assert CaseEvent.objects.filter(type="reassign").count() == 3
    assert Notification.objects.filter(template="assignment", user=officer1, channel="email").count() == 3
    assert Notification.objects.filter(template="assignment", user=officer1, channel="inbox").count() == 3


def test_work_on_closed_cases_is_refused(staff, demo):
    closed = put_in_status(submit().case, "closed", unit="personnel", assignee=user_named("officer1"))
    url = f"/api/v1/cases/{closed.tracking_number}/"
    assert staff("officer1").post(url + "replies/", {"text": "x"}, format="json").status_code == 409
    assert staff("supervisor1").post(url + "reassign/", {"assignee": "officer1"}, format="json").status_code == 409


@pytest.mark.parametrize("path,body", [
    ("notes/", {}), ("notes/", {"text": ""}), ("notes/", {"text": 5}), ("notes/", {"text": "x", "extra": 1}),
    ("replies/", {"text": "ก" * 5_001}), ("reassign/", {}), ("reassign/", {"assignee": "nobody"}),
    ("correct/", {}), ("correct/", {"reason": "x"}), ("correct/", {"priority": "panic"}),
    ("correct/", {"category": "no-such"}), ("correct/", {"priority": "normal"}), ("correct/", {"priority": 3}),
    ("correct/", {"priority": "high", "extra": 1}),
    ("redact/", {}), ("redact/", {"title": "t", "description": "d"}),
    ("redact/", {"title": "t", "description": "d", "reason": " "}),
    ("redact/", {"title": "ก" * 201, "description": "d", "reason": "r"}),
])
def test_bad_bodies(staff, working, path, body):
    before = CaseEvent.objects.count()
    response = staff("supervisor1").post(f"/api/v1/cases/{working.case.tracking_number}/{path}", body, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "validation_error"
    assert CaseEvent.objects.count() == before


def test_every_read_of_a_sealed_identity_is_audited(staff, demo):
    report = submit("corruption", contact={"name": "ผู้แจ้ง", "phone": "0812345678"}).case
    url = f"/api/v1/cases/{report.tracking_number}/identity/"
    reason = {"reason": "สอบข้อเท็จจริงเพิ่มเติม"}
    for username in ("officer1", "supervisor1", "clerk1", "auditor1", "admin"):
        assert staff(username).post(url, reason, format="json").status_code == 404
        assert staff(username).get(url).status_code == 404
    unstated = staff("integrity1").get(url)  # a sealed reporter's identity is read only with a reason
    assert unstated.status_code == 400 and "reason" in unstated.json()["error"]["fields"]
    for bad in ({}, {"reason": ""}, {"reason": "x" * 1_001}, {"reason": 5}):
        assert staff("integrity1").post(url, bad, format="json").status_code == 400
    assert not CaseEvent.objects.filter(case=report, type="identity_read").exists()
    assert staff("integrity1").post(url, reason, format="json").json() == {"name": "ผู้แจ้ง", "phone": "0812345678"}
    assert staff("director").post(url, reason, format="json").status_code == 200
    reads = CaseEvent.objects.filter(case=report, type="identity_read").order_by("seq")
    assert [e.actor.username for e in reads] == ["integrity1", "director"]
    assert [e.data["reason"] for e in reads] == [reason["reason"]] * 2
    assert staff("integrity1").get(f"/api/v1/cases/{report.tracking_number}/events/verify/").json()["ok"]


def test_ordinary_contacts_are_not_audited_and_anonymous_ones_are_empty(staff, demo, working):
    url = f"/api/v1/cases/{working.case.tracking_number}/identity/"
    assert staff("officer1").get(url).json() == {"email": "parent@example.com"}
    assert not CaseEvent.objects.filter(type="identity_read").exists()
    anonymous = submit("corruption", anonymous=True).case
    assert staff("integrity1").get(f"/api/v1/cases/{anonymous.tracking_number}/identity/").json() == {}


def search(client, query: str) -> set[str]:
    response = client.get("/api/v1/cases/", {"q": query})
    assert response.status_code == 200, response.json()
    return {item["tracking_number"] for item in response.json()["results"]}


def test_thai_search_finds_words_inside_unspaced_text(staff, demo):
    officer = user_named("officer1")
    school = put_in_status(submit(title="ร้องเรียนครู", description="ปัญหาของโรงเรียนบ้านหนองปลิง").case,
                           "in_progress", unit="personnel", assignee=officer)
    other = put_in_status(submit(title="เงินเดือนล่าช้า", description="ยังไม่ได้รับเงิน 3 เดือน").case,
                          "in_progress", unit="personnel", assignee=officer)
    client = staff("officer1")
    assert search(client, "โรงเรียน") == {school.tracking_number}
    assert search(client, "หนองปลิง") == {school.tracking_number}
    assert search(client, "3 เดือน") == {other.tracking_number}
    assert search(client, other.tracking_number.lower().replace("-", "")) == {other.tracking_number}
    assert search(client, "ไม่มีคำนี้") == set()


def test_search_covers_replies_and_english_and_respects_access(staff, demo):
    mine = put_in_status(submit(title="Broken fan", description="Classroom 4 fan").case, "in_progress",
                         unit="personnel", assignee=user_named("officer1"))
    staff("officer1").post(f"/api/v1/cases/{mine.tracking_number}/replies/", {"text": "ช่างซ่อมพัดลมแล้ว"},
                           format="json")
    hidden = put_in_status(submit(title="Broken fan too", description="Room 9").case, "in_progress",
                           unit="finance")
    assert search(staff("officer1"), "BROKEN FAN") == {mine.tracking_number}  # not the finance case
    assert search(staff("officer1"), "พัดลม") == {mine.tracking_number}
    assert search(staff("director"), "broken fan") == {mine.tracking_number, hidden.tracking_number}
    sealed = submit("corruption", title="ทุจริตโรงเรียน").case
    assert sealed.tracking_number not in search(staff("supervisor1"), "ทุจริตโรงเรียน")
    assert search(staff("integrity1"), "ทุจริตโรงเรียน") == {sealed.tracking_number}


def test_queue_counts_for_the_badges_in_one_query(staff, demo, django_assert_num_queries):
    from django.utils import timezone

    officer1 = user_named("officer1")
    put_in_status(submit().case, "in_progress", unit="personnel", assignee=officer1)
    late = put_in_status(submit().case, "in_progress", unit="personnel", assignee=officer1)
    Case.objects.filter(pk=late.pk).update(sla_due_at=timezone.now() - timezone.timedelta(minutes=1))
    put_in_status(submit().case, "assigned", unit="personnel")
    put_in_status(submit().case, "assigned", unit="finance")
    client = staff("officer1")
    client.get("/api/v1/cases/counts/")  # warm the token and profile look-ups
    with django_assert_num_queries(3):  # token, roles and units (one statement), and the one count
        response = client.get("/api/v1/cases/counts/")
    assert response.json() == {"mine": 2, "unit": 3, "unassigned": 1, "overdue": 1, "at_risk": 0, "escalated": 0,
                               "all": 3}


def test_claim_and_reassign_leave_unrouted_cases_to_the_assign_transition(staff, demo):
    from workflows.routing import case_route

    fresh = submit().case
    Case.objects.filter(pk=fresh.pk).update(unit=Unit.objects.get(code="personnel"))
    url = f"/api/v1/cases/{fresh.tracking_number}/"
    assert staff("officer1").post(url + "claim/").status_code == 409
    assert staff("supervisor1").post(url + "reassign/", {"assignee": "officer1"}, format="json").status_code == 409
    assert case_route(case_id=fresh.pk) is True  # routing still does its job


def test_notes_on_closed_cases_are_refused(staff, demo):
    closed = put_in_status(submit().case, "closed", unit="personnel", assignee=user_named("officer1"))
    assert staff("officer1").post(f"/api/v1/cases/{closed.tracking_number}/notes/", {"text": "x"},
                                  format="json").status_code == 409


def test_counts_and_summary_never_include_sealed_reports_for_others(staff, demo):
    submit("corruption")
    assert staff("supervisor1").get("/api/v1/cases/counts/").json()["all"] == 0
    assert staff("clerk1").get("/api/v1/cases/counts/").json()["all"] == 0
    assert staff("director").get("/api/v1/cases/counts/").json()["all"] == 1
    assert staff("integrity1").get("/api/v1/cases/counts/").json()["unit"] == 1
    units = {row["unit"] for row in staff("auditor1").get("/api/v1/supervisor/summary/").json()["units"]}
    assert "audit" not in units
    units = {row["unit"] for row in staff("director").get("/api/v1/supervisor/summary/").json()["units"]}
    assert "audit" in units


def test_corrections_over_the_api(staff, working):
    tracking, client = working.case.tracking_number, staff("officer1")
    answer = client.post(f"/api/v1/cases/{tracking}/correct/", {"priority": "urgent", "reason": "เด็กบาดเจ็บ"},
                         format="json")
    assert answer.status_code == 200 and answer.json()["priority"] == "urgent"
    event = CaseEvent.objects.filter(case=working.case).latest("seq")
    assert event.type == "correct" and event.data == {"reason": "เด็กบาดเจ็บ",
                                                      "priority": {"from": "normal", "to": "urgent"}}
    redacted = client.post(f"/api/v1/cases/{tracking}/redact/", {
        "title": "ครูตีนักเรียน", "description": "ครูตีนักเรียน (ลบเบอร์โทรศัพท์ออกแล้ว)", "reason": "เบอร์โทรศัพท์"},
        format="json")
    assert redacted.status_code == 200 and redacted.json()["title"] == "ครูตีนักเรียน"
    event = CaseEvent.objects.filter(case=working.case).latest("seq")
    assert event.type == "redact" and event.data["reason"] == "เบอร์โทรศัพท์"
    assert "ลบเบอร์" not in str(event.data)  # which fields changed, never the text
    assert client.get(f"/api/v1/cases/{tracking}/events/verify/").json()["ok"]
