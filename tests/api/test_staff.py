"""The staff side: token, queues, intake on behalf of a citizen, detail, transitions, audit."""

import pytest
from django.utils import timezone

from core.models import Case, CaseEvent
from tests.conftest import put_in_status, submit, user_named

pytestmark = pytest.mark.django_db


def transition(client, tracking, name, **body):
    return client.post(f"/api/v1/cases/{tracking}/transitions/{name}/", body, format="json")


def test_token_login(api, demo):
    response = api.post("/api/v1/auth/token/", {"username": "officer1", "password": "rabfang-demo"}, format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/cases/").status_code == 200


def test_login_is_throttled(api, demo, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "2/min"}}
    codes = [api.post("/api/v1/auth/token/", {"username": "officer1", "password": "guess"}, format="json").status_code
             for _ in range(3)]
    assert codes == [400, 400, 429]


def test_complaint_from_intake_to_closure(api, staff, demo):
    receipt = api.post("/api/v1/public/cases/", {
        "kind": "complaint", "category": "teacher-conduct", "title": "ครูตีนักเรียน",
        "description": "ครูประจำชั้น ป.3 ตีนักเรียน", "contact": {"name": "ผู้ปกครอง"}, "consent": True,
    }, format="json").json()
    tracking, key = receipt["tracking_number"], receipt["access_key"]
    supervisor, officer = staff("supervisor1"), staff("officer1")

    detail = supervisor.get(f"/api/v1/cases/{tracking}/").json()
    assert detail["status"] == "submitted"
    assert detail["contact"] == {"name": "ผู้ปกครอง"}
    assert "assign" in detail["available_transitions"]

    steps = [
        (supervisor, "assign", {"assignee": "officer1"}, "assigned"),
        (officer, "accept", {}, "in_progress"),
        (officer, "request_info", {"question": "ชื่อครู?"}, "awaiting_info"),
        (officer, "resume", {}, "in_progress"),
        (officer, "respond", {"reply": "ได้ดำเนินการทางวินัยแล้ว", "comment": "ส่งเรื่องให้กลุ่มกฎหมาย"}, "responded"),
        (officer, "close", {}, "closed"),
    ]
    for client, name, body, expected in steps:
        response = transition(client, tracking, name, **body)
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == expected

    case = Case.objects.get(tracking_number=tracking)
    assert case.acknowledged_at and case.responded_at and case.closed_at
    events = officer.get(f"/api/v1/cases/{tracking}/events/").json()
    assert [e["type"] for e in events] == ["submit", "assign", "accept", "request_info", "resume", "respond", "close"]
    assert events[1]["actor"] == "supervisor1" and events[1]["data"]["params"] == {"assignee": "officer1"}
    assert events[5]["data"]["comment"] == "ส่งเรื่องให้กลุ่มกฎหมาย" and events[5]["visibility"] == "public"
    assert officer.get(f"/api/v1/cases/{tracking}/events/verify/").json()["ok"] is True

    replies = api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY=key).json()
    assert [r["message"] for r in replies] == ["ชื่อครู?", "ได้ดำเนินการทางวินัยแล้ว"]
    assert "ส่งเรื่องให้กลุ่มกฎหมาย" not in str(replies)  # internal comments stay internal


def test_available_transitions_depend_on_the_user(staff, demo):
    case = submit().case
    put_in_status(case, "assigned", unit="personnel", assignee=user_named("officer1"))
    url = f"/api/v1/cases/{case.tracking_number}/"
    assert staff("officer1").get(url).json()["available_transitions"] == ["accept", "merge", "reject", "escalate"]
    assert staff("supervisor1").get(url).json()["available_transitions"] == [
        "accept", "merge", "refer", "reject", "escalate"]
    assert staff("auditor1").get(url).json()["available_transitions"] == []
    assert staff("clerk1").get(url).json()["available_transitions"] == ["merge"]


def test_who_may_fire_a_transition(staff, demo):
    case = submit().case
    put_in_status(case, "assigned", unit="personnel", assignee=user_named("officer1"))
    tracking = case.tracking_number
    # officer2 works another unit: the case does not exist for them.
    assert transition(staff("officer2"), tracking, "accept").status_code == 404
    # the auditor reads everything but changes nothing.
    denied = transition(staff("auditor1"), tracking, "accept")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    # refer is the supervisor's call, not the officer's.
    letter = {"agency": "obec", "letter_number": "ศธ 04001/1", "letter_date": str(timezone.localdate())}
    assert transition(staff("officer1"), tracking, "refer", **letter).status_code == 403
    assert CaseEvent.objects.filter(case=case).count() == 1
    assert transition(staff("supervisor1"), tracking, "refer", **letter).status_code == 200


def test_sealed_corruption_reports_are_seen_only_by_integrity_and_the_director(staff, demo):
    report = submit("corruption", contact={"name": "ผู้แจ้ง", "phone": "0812345678"}).case
    url = f"/api/v1/cases/{report.tracking_number}/"
    for username in ("officer1", "supervisor1", "clerk1", "auditor1", "admin", "committee1"):
        response = staff(username).get(url)
        assert response.status_code == 404, username
        assert report.tracking_number not in str(staff(username).get("/api/v1/cases/").json())
    for username in ("integrity1", "director"):
        detail = staff(username).get(url).json()
        assert detail["sealed"] is True and detail["unit"] == "audit"
        assert detail["contact"] is None  # identity is never in the ordinary detail
    response = transition(staff("integrity1"), report.tracking_number, "assign", assignee="integrity1")
    assert response.status_code == 200 and response.json()["assignee"] == "integrity1"


def test_corruption_reports_cannot_be_assigned_outside_the_integrity_unit(staff, demo):
    report = submit("corruption").case
    response = transition(staff("director"), report.tracking_number, "assign", unit="personnel")
    assert response.status_code == 400 and "unit" in response.json()["error"]["fields"]


def test_queues(staff, demo):
    officer1, officer2 = user_named("officer1"), user_named("officer2")
    mine = put_in_status(submit().case, "in_progress", unit="personnel", assignee=officer1)
    unit_case = put_in_status(submit().case, "assigned", unit="personnel")
    other_unit = put_in_status(submit().case, "in_progress", unit="promotion", assignee=officer2)
    unrouted = submit().case

    def queue(username, name, **filters):
        query = "&".join(f"{k}={v}" for k, v in {"queue": name, **filters}.items())
        response = staff(username).get(f"/api/v1/cases/?{query}")
        assert response.status_code == 200, response.json()
        return {item["tracking_number"] for item in response.json()["results"]}

    assert queue("officer1", "mine") == {mine.tracking_number}
    assert queue("officer1", "unit") == {mine.tracking_number, unit_case.tracking_number}
    assert queue("officer1", "unassigned") == {unit_case.tracking_number}
    assert queue("officer1", "all") == {mine.tracking_number, unit_case.tracking_number}
    assert queue("supervisor1", "unassigned") == {unit_case.tracking_number, unrouted.tracking_number}
    assert queue("supervisor1", "all") == {t.tracking_number for t in (mine, unit_case, other_unit, unrouted)}
    assert queue("supervisor1", "all", status="in_progress") == {mine.tracking_number, other_unit.tracking_number}
    assert queue("supervisor1", "all", kind="suggestion") == set()


def test_queue_pages_by_keyset_and_stays_correct_while_cases_arrive(staff, demo):
    first_batch = [submit().case.tracking_number for _ in range(5)]
    client = staff("clerk1")
    page = client.get("/api/v1/cases/?queue=all&page_size=2&ordering=newest").json()
    seen = [item["tracking_number"] for item in page["results"]]
    newcomers = [submit().case.tracking_number for _ in range(3)]  # arrive while the clerk pages
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [item["tracking_number"] for item in page["results"]]
    assert seen == list(reversed(first_batch))
    assert not set(newcomers) & set(seen)


def test_list_query_count_does_not_grow_with_the_page(staff, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(30):
        put_in_status(submit().case, "assigned", unit="personnel", assignee=user_named("officer1"))
    client = staff("supervisor1")
    counts = {}
    for size in (1, 30):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/cases/?queue=all&q=ครู&page_size={size}")
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    assert counts[1] == counts[30] <= 6, counts


def test_staff_intake_on_behalf_of_a_citizen(staff, demo):
    response = staff("clerk1").post("/api/v1/cases/", {
        "kind": "complaint", "channel": "phone", "category": "admission", "title": "ไม่รับนักเรียนย้าย",
        "description": "โรงเรียนไม่รับนักเรียนย้ายเข้า", "contact": {"phone": "056-123456"}, "priority": "high",
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["access_key"]
    assert body["case"]["channel"] == "phone" and body["case"]["priority"] == "high"
    event = CaseEvent.objects.get(case__tracking_number=body["case"]["tracking_number"])
    assert (event.actor.username, event.actor_kind) == ("clerk1", "staff")


def test_codecision_items_are_opened_by_unit_heads(staff, demo):
    body = {"kind": "codecision", "channel": "meeting", "category": "annual-plan",
            "title": "แผนปฏิบัติราชการ ปี 2570", "description": "รับฟังความคิดเห็นต่อร่างแผน"}
    assert staff("officer1").post("/api/v1/cases/", body, format="json").status_code == 403
    response = staff("supervisor1").post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201
    item = response.json()["case"]
    assert item["status"] == "draft" and item["unit"] == "personnel"
    assert "open_consultation" in item["available_transitions"]
    opened = transition(staff("supervisor1"), item["tracking_number"], "open_consultation",
                        opens_at="2026-12-01T08:30:00+07:00", closes_at="2099-12-15T16:30:00+07:00",
                        committee="participation")
    assert opened.status_code == 200 and opened.json()["consultation_closes_at"].startswith("2099-12-15")
    bad = transition(staff("supervisor1"), item["tracking_number"], "start_deliberation", votes=1)
    assert bad.status_code == 400


def test_auditors_and_committee_members_cannot_record_cases(staff, demo):
    body = {"kind": "complaint", "channel": "phone", "category": "other", "title": "t", "description": "d"}
    assert staff("auditor1").post("/api/v1/cases/", body, format="json").status_code == 403
    assert staff("committee1").post("/api/v1/cases/", body, format="json").status_code == 403
    assert Case.objects.count() == 0


def test_escalation_is_a_second_machine_that_leaves_the_status_alone(staff, demo):
    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    officer = staff("officer1")
    for level in (1, 2, 3):
        response = transition(officer, case.tracking_number, "escalate", reason="เกินกำหนด")
        assert response.status_code == 200
        assert (response.json()["escalation_level"], response.json()["status"]) == (level, "in_progress")
    assert transition(officer, case.tracking_number, "escalate").status_code == 409
    events = CaseEvent.objects.filter(case=case, type="escalate").order_by("seq")
    assert [(e.data["from_level"], e.data["to_level"]) for e in events] == [(0, 1), (1, 2), (2, 3)]
    assert all(e.from_status == e.to_status == "" for e in events)  # not a status change for the timeline


def test_closed_cases_cannot_be_escalated(staff, demo):
    case = put_in_status(submit().case, "closed", unit="personnel", assignee=user_named("officer1"))
    assert transition(staff("supervisor1"), case.tracking_number, "escalate").status_code == 409


def test_merge_keeps_the_duplicate_pointing_at_the_kept_case(staff, demo):
    kept = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    duplicate = submit().case
    response = transition(staff("clerk1"), duplicate.tracking_number, "merge", duplicate_of=kept.tracking_number)
    assert response.status_code == 200
    assert response.json()["duplicate_of"] == kept.tracking_number and response.json()["status"] == "merged"


def login(api, username="officer1"):
    response = api.post("/api/v1/auth/token/", {"username": username, "password": "rabfang-demo"}, format="json")
    assert response.status_code == 200
    return response.json()["token"]


def test_tokens_can_be_revoked(api, demo):
    token = login(api)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    refused = api.get("/api/v1/cases/")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "not_authenticated"


def test_tokens_expire_and_a_new_sign_in_replaces_the_old_one(api, demo, settings):
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    old = login(api)
    new = login(api)
    assert old != new and not Token.objects.filter(key=old).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert api.get("/api/v1/cases/").status_code == 200
    Token.objects.filter(key=new).update(created=timezone.now() - timedelta(hours=settings.TOKEN_TTL_HOURS + 1))
    expired = api.get("/api/v1/cases/")
    assert expired.status_code == 401 and "expired" in expired.json()["error"]["message"]
    assert not Token.objects.filter(key=new).exists()


def test_the_default_order_is_soonest_deadline_first_and_paging_never_repeats(staff, demo):
    from datetime import timedelta

    from django.utils import timezone

    cases = [submit().case for _ in range(7)]
    now = timezone.now()
    for minutes, case in zip([30, -10, 5, 120, -60, 45], cases, strict=False):
        Case.objects.filter(pk=case.pk).update(sla_due_at=now + timedelta(minutes=minutes))
    Case.objects.filter(pk=cases[6].pk).update(sla_due_at=None)  # no running clock: last
    expected = [cases[i].tracking_number for i in (4, 1, 2, 0, 5, 3, 6)]
    client = staff("clerk1")
    page = client.get("/api/v1/cases/?page_size=3").json()
    seen = [item["tracking_number"] for item in page["results"]]
    late = submit().case  # arrives while paging; its deadline is days away, so it belongs at the end
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [item["tracking_number"] for item in page["results"]]
    # every case once, in deadline order; the newcomer, whose deadline lies after the cursor, shows up in place
    assert len(seen) == len(set(seen)) == 8
    assert [number for number in seen if number != late.tracking_number] == expected
    assert seen.index(late.tracking_number) == 6  # after every dated deadline, before the undated case


def test_queue_filters(staff, demo):
    from datetime import timedelta

    from django.utils import timezone

    urgent = put_in_status(submit(priority="urgent").case, "in_progress", unit="personnel",
                           assignee=user_named("officer1"))
    normal = put_in_status(submit().case, "in_progress", unit="promotion", assignee=user_named("officer2"))
    client = staff("director")

    def found(query):
        response = client.get(f"/api/v1/cases/?{query}")
        assert response.status_code == 200, response.json()
        return {item["tracking_number"] for item in response.json()["results"]}

    assert found("priority=urgent") == {urgent.tracking_number}
    assert found("unit=promotion") == {normal.tracking_number}
    assert found("assignee=officer1") == {urgent.tracking_number}
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat().replace("+", "%2B")
    assert found(f"submitted_after={tomorrow}") == set()
    assert found(f"submitted_before={tomorrow}") == {urgent.tracking_number, normal.tracking_number}
    assert found(f"due_before={tomorrow}&priority=urgent") == {urgent.tracking_number}  # 4 business hours
    assert client.get("/api/v1/cases/?ordering=random").status_code == 400
    assert client.get("/api/v1/cases/?page_size=0").status_code == 400
    assert client.get("/api/v1/cases/?page_size=201").status_code == 400
