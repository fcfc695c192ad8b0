"""The citizen's side: submit, look up, read replies, add information, rate."""

import pytest

from core.crypto import decrypt_json
from core.models import Case, CaseEvent
from tests.conftest import user_named
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db

COMPLAINT = {
    "kind": "complaint",
    "category": "buildings-safety",
    "title": "หลังคาอาคารเรียนรั่ว",
    "description": "หลังคาอาคาร 2 ของโรงเรียนบ้านหนองปลิงรั่วเมื่อฝนตก นักเรียนเปียก",
    "contact": {"name": "นางสมใจ รักเรียน", "phone": "081-234-5678", "email": "somjai@example.com"},
    "consent": True,
}


def submit_via_api(api, body=None):
    response = api.post("/api/v1/public/cases/", body or COMPLAINT, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def move(tracking, name, username, comment="", **params):
    return case_transition(tracking=tracking, name=name, actor=user_named(username), params=params, comment=comment)


def test_intake_returns_the_receipt_once_and_commits_case_and_first_event(api, demo):
    receipt = submit_via_api(api)
    assert set(receipt) == {"tracking_number", "access_key", "kind", "status", "status_label", "submitted_at",
                            "expected_response_by"}
    assert receipt["kind"] == "complaint" and receipt["status"] == "submitted"
    assert receipt["status_label"] == "รับเรื่องแล้ว"  # Thai by default
    assert receipt["expected_response_by"] > receipt["submitted_at"]

    case = Case.objects.get(tracking_number=receipt["tracking_number"])
    assert receipt["access_key"] not in case.access_key_hash
    assert decrypt_json(case.contact_encrypted)["phone"] == "081-234-5678"
    assert "081-234-5678" not in case.contact_encrypted and "somjai" not in case.contact_encrypted  # encrypted
    event = CaseEvent.objects.get(case=case)
    assert (event.seq, event.type, event.to_status, event.actor_kind) == (1, "submit", "submitted", "citizen")


def test_anonymous_submission_keeps_no_contact_details(api, demo):
    receipt = submit_via_api(api, {**COMPLAINT, "anonymous": True})
    case = Case.objects.get(tracking_number=receipt["tracking_number"])
    assert case.anonymous and case.contact_encrypted == ""


def test_corruption_reports_are_sealed_and_go_only_to_the_integrity_unit(api, demo):
    receipt = submit_via_api(api, {"kind": "corruption", "category": "procurement", "title": "ฮั้วประมูล",
                                   "description": "มีการแบ่งซื้อแบ่งจ้าง", "anonymous": True, "consent": True})
    case = Case.objects.get(tracking_number=receipt["tracking_number"])
    assert receipt["tracking_number"].startswith("CR-")
    assert case.sealed and case.unit.is_integrity


def test_without_an_active_integrity_unit_a_corruption_report_is_refused_and_nothing_kept(api, demo):
    from core.models import Unit

    Unit.objects.filter(is_integrity=True).update(active=False)
    before = Case.objects.count()
    response = api.post("/api/v1/public/cases/", {"kind": "corruption", "category": "procurement", "title": "t",
                                                  "description": "d", "anonymous": True, "consent": True}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Case.objects.count() == before


def test_public_lookup_shows_status_and_timeline_and_nothing_personal(api, demo):
    receipt = submit_via_api(api)
    tracking = receipt["tracking_number"]
    move(tracking, "assign", "supervisor1", assignee="officer1")
    move(tracking, "accept", "officer1", comment="internal: parent called twice")

    typed = tracking.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    response = api.get(f"/api/v1/public/cases/{typed}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"tracking_number", "kind", "status", "status_label", "submitted_at", "updated_at",
                         "expected_response_by", "unit", "timeline", "referral", "waiting"}
    assert body["tracking_number"] == tracking
    assert body["status"] == "in_progress" and body["status_label"] == "อยู่ระหว่างดำเนินการ"
    assert body["unit"] == "กลุ่มบริหารงานบุคคล"
    assert [entry["status"] for entry in body["timeline"]] == ["submitted", "assigned", "in_progress"]
    text = response.content.decode()
    for private in ("สมใจ", "081-234-5678", "somjai", "internal", "officer1", "หลังคา"):
        assert private not in text


def test_english_labels_on_request(api, demo):
    tracking = submit_via_api(api)["tracking_number"]
    body = api.get(f"/api/v1/public/cases/{tracking}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["status_label"] == "Received"


def test_unknown_and_malformed_numbers_get_the_same_404(api, demo):
    tracking = submit_via_api(api)["tracking_number"]
    mistyped = tracking[:-1] + ("A" if tracking[-1] != "A" else "B")
    answers = [api.get(f"/api/v1/public/cases/{number}/") for number in (mistyped, "CM-0000-0000-0000", "hello")]
    assert {response.status_code for response in answers} == {404}
    assert len({response.content for response in answers}) == 1
    assert answers[0].json()["error"]["code"] == "not_found"


def test_replies_messages_and_feedback_need_the_access_key(api, demo):
    receipt = submit_via_api(api)
    tracking, key = receipt["tracking_number"], receipt["access_key"]
    for method, path, body in [
        ("get", "replies/", None),
        ("post", "messages/", {"message": "เพิ่มเติม"}),
        ("post", "feedback/", {"score": 5}),
    ]:
        url = f"/api/v1/public/cases/{tracking}/{path}"
        for headers in ({}, {"HTTP_X_ACCESS_KEY": "wrong-key"}, {"HTTP_X_ACCESS_KEY": key[:-1]}):
            response = getattr(api, method)(url, body, format="json", **headers)
            assert response.status_code == 403, (path, headers)
            assert response.json()["error"]["code"] == "permission_denied"
    assert CaseEvent.objects.filter(case__tracking_number=tracking).count() == 1


def test_the_citizens_message_resumes_a_case_waiting_for_information(api, demo):
    receipt = submit_via_api(api)
    tracking, key = receipt["tracking_number"], receipt["access_key"]
    move(tracking, "assign", "supervisor1", assignee="officer1")
    move(tracking, "accept", "officer1")
    move(tracking, "request_info", "officer1", question="อาคารหลังไหน")
    assert Case.objects.get(tracking_number=tracking).status == "awaiting_info"

    response = api.post(f"/api/v1/public/cases/{tracking}/messages/", {"message": "อาคาร 2 ค่ะ"}, format="json",
                        HTTP_X_ACCESS_KEY=key)
    assert response.status_code == 201
    assert response.json()["author"] == "citizen"
    assert Case.objects.get(tracking_number=tracking).status == "in_progress"
    last_two = CaseEvent.objects.filter(case__tracking_number=tracking).order_by("-seq")[:2]
    assert [(e.type, e.actor_kind) for e in last_two] == [("resume", "citizen"), ("citizen_message", "citizen")]

    replies = api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY=key).json()
    assert [(r["author"], r["message"]) for r in replies] == [("office", "อาคารหลังไหน"), ("citizen", "อาคาร 2 ค่ะ")]


def test_feedback_once_and_only_after_an_answer(api, demo):
    receipt = submit_via_api(api)
    tracking, key = receipt["tracking_number"], receipt["access_key"]
    url = f"/api/v1/public/cases/{tracking}/feedback/"

    early = api.post(url, {"score": 4}, format="json", HTTP_X_ACCESS_KEY=key)
    assert early.status_code == 409 and early.json()["error"]["code"] == "conflict"

    move(tracking, "assign", "supervisor1", assignee="officer1")
    move(tracking, "accept", "officer1")
    move(tracking, "respond", "officer1", reply="ซ่อมหลังคาแล้ว")
    replies = api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY=key).json()
    assert [r["message"] for r in replies] == ["ซ่อมหลังคาแล้ว"]

    first = api.post(url, {"score": 5, "comment": "รวดเร็วมาก"}, format="json", HTTP_X_ACCESS_KEY=key)
    assert first.status_code == 201 and first.json()["score"] == 5
    again = api.post(url, {"score": 1}, format="json", HTTP_X_ACCESS_KEY=key)
    assert again.status_code == 409
    case = Case.objects.get(tracking_number=tracking)
    assert (case.satisfaction_score, case.satisfaction_comment) == (5, "รวดเร็วมาก")


def test_messages_to_a_closed_case_are_refused(api, demo):
    receipt = submit_via_api(api)
    tracking, key = receipt["tracking_number"], receipt["access_key"]
    move(tracking, "assign", "supervisor1", assignee="officer1")
    move(tracking, "reject", "officer1", reason="อยู่นอกอำนาจหน้าที่")
    move(tracking, "close", "officer1")
    response = api.post(f"/api/v1/public/cases/{tracking}/messages/", {"message": "ทำไม"}, format="json",
                        HTTP_X_ACCESS_KEY=key)
    assert response.status_code == 409


def test_categories_for_the_forms_in_thai_and_english(api, demo):
    thai = api.get("/api/v1/public/categories/?kind=corruption").json()
    assert {c["kind"] for c in thai} == {"corruption"}
    assert {"code": "procurement", "kind": "corruption", "name": "การจัดซื้อจัดจ้าง"} in thai
    english = api.get("/api/v1/public/categories/?kind=corruption", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"code": "procurement", "kind": "corruption", "name": "Procurement"} in english
    assert len(api.get("/api/v1/public/categories/").json()) == 23


def test_public_lookups_are_throttled(api, demo, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_lookup": "3/min"}}
    codes = [api.get("/api/v1/public/cases/CM-0000-0000-0000/").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    throttled = api.get("/api/v1/public/cases/CM-0000-0000-0000/")
    assert throttled.json()["error"]["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0


def test_a_sealed_reports_outcome_is_not_public_before_its_conclusion(api, demo):
    receipt = submit_via_api(api, {"kind": "corruption", "category": "bribery", "title": "เรียกรับเงิน",
                                   "description": "มีการเรียกรับเงินเพื่อย้ายครู", "anonymous": True, "consent": True})
    tracking = receipt["tracking_number"]
    move(tracking, "assign", "integrity1", assignee="integrity1")
    move(tracking, "accept", "integrity1")
    move(tracking, "dismiss", "integrity1", reason="ไม่พบพยานหลักฐาน")
    body = api.get(f"/api/v1/public/cases/{tracking}/").json()
    assert body["status"] == "fact_finding"
    assert [entry["status"] for entry in body["timeline"]] == ["submitted", "assigned", "fact_finding"]
    assert "dismiss" not in str(body)
    move(tracking, "conclude", "integrity1", summary="ไม่มีมูลความผิด")
    body = api.get(f"/api/v1/public/cases/{tracking}/").json()
    assert body["status"] == "concluded"
    replies = api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY=receipt["access_key"]).json()
    assert [r["message"] for r in replies] == ["ไม่มีมูลความผิด"]


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_fast_status_output_is_what_the_documented_serializer_gives(api, demo, language):
    from django.utils import translation

    from api.serializers.public import PublicCaseOutput, public_case_output
    from core.selectors import PublicCaseStatus, case_get_public, case_get_public_status

    receipt = submit_via_api(api)
    sealed = submit_via_api(api, {"kind": "corruption", "category": "procurement", "title": "t", "description": "d",
                                  "anonymous": True, "consent": True})
    move(receipt["tracking_number"], "assign", "supervisor1", assignee="officer1")
    move(receipt["tracking_number"], "accept", "officer1")
    move(sealed["tracking_number"], "assign", "director", assignee="integrity1")
    move(sealed["tracking_number"], "accept", "integrity1")
    move(sealed["tracking_number"], "dismiss", "integrity1", reason="ไม่มีมูล")
    unrouted = submit_via_api(api)
    with translation.override(language):
        for tracking in (receipt["tracking_number"], sealed["tracking_number"], unrouted["tracking_number"]):
            case = case_get_public(tracking=tracking)
            documented = dict(PublicCaseOutput(case).data)
            assert public_case_output(PublicCaseStatus.of(case)) == documented
            # The lookup's one-statement read gives the same answer.
            assert public_case_output(case_get_public_status(tracking=tracking)) == documented


def test_a_status_lookup_is_one_statement(api, demo, django_assert_num_queries):
    tracking = submit_via_api(api)["tracking_number"]
    with django_assert_num_queries(1):  # the case, its unit's names and its status changes
        assert api.get(f"/api/v1/public/cases/{tracking}/").status_code == 200


def test_the_fast_receipt_is_what_the_documented_serializer_gives(api, demo):
    from api.serializers.common import ReceiptOutput
    from api.serializers.public import receipt_output
    from tests.conftest import submit

    for kind in ("complaint", "corruption", "suggestion"):
        receipt = submit(kind)
        assert receipt_output(receipt) == dict(ReceiptOutput(receipt).data)
    receipt = submit_via_api(api)
    assert set(receipt) == set(ReceiptOutput().fields)
