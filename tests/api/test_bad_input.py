"""Bad input gets a 4xx in the documented error format and writes nothing."""

import json

import pytest

from core.models import Case, CaseEvent
from tests.conftest import put_in_status, submit, user_named

pytestmark = pytest.mark.django_db

GOOD = {
    "kind": "complaint",
    "category": "teacher-conduct",
    "title": "ครูไม่เข้าสอน",
    "description": "รายละเอียด",
    "consent": True,
}


def without(key):
    return {k: v for k, v in GOOD.items() if k != key}


INTAKE_CASES = [
    ("malformed json", '{"kind": "complaint", ', "application/json", 400, "parse_error", None),
    ("json array", "[1, 2]", "application/json", 400, "validation_error", "non_field_errors"),
    ("json string", '"hello"', "application/json", 400, "validation_error", "non_field_errors"),
    ("form encoded", "kind=complaint", "application/x-www-form-urlencoded", 415, "unsupported_media_type", None),
    ("unknown kind", {**GOOD, "kind": "petition"}, None, 400, "validation_error", "kind"),
    ("co-decision is staff-only", {**GOOD, "kind": "codecision"}, None, 400, "validation_error", "kind"),
    ("kind as number", {**GOOD, "kind": 1}, None, 400, "validation_error", "kind"),
    ("unknown category", {**GOOD, "category": "no-such"}, None, 400, "validation_error", "category"),
    ("category of another kind", {**GOOD, "category": "procurement"}, None, 400, "validation_error", "category"),
    ("missing category", without("category"), None, 400, "validation_error", "category"),
    ("missing consent", without("consent"), None, 400, "validation_error", "consent"),
    ("consent false", {**GOOD, "consent": False}, None, 400, "validation_error", "consent"),
    ("consent as string", {**GOOD, "consent": "true"}, None, 400, "validation_error", "consent"),
    ("consent as 1", {**GOOD, "consent": 1}, None, 400, "validation_error", "consent"),
    ("missing title", without("title"), None, 400, "validation_error", "title"),
    ("empty title", {**GOOD, "title": ""}, None, 400, "validation_error", "title"),
    ("title of 201 characters", {**GOOD, "title": "ก" * 201}, None, 400, "validation_error", "title"),
    ("title as number", {**GOOD, "title": 12345}, None, 400, "validation_error", "title"),
    ("title as list", {**GOOD, "title": ["a"]}, None, 400, "validation_error", "title"),
    ("title with NUL", {**GOOD, "title": "a\x00b"}, None, 400, "validation_error", "title"),
    ("description of 10,001 characters", {**GOOD, "description": "ข" * 10_001}, None, 400, "validation_error",
     "description"),
    ("description as object", {**GOOD, "description": {"a": 1}}, None, 400, "validation_error", "description"),
    ("anonymous as string", {**GOOD, "anonymous": "yes"}, None, 400, "validation_error", "anonymous"),
    ("unknown channel", {**GOOD, "channel": "pigeon"}, None, 400, "validation_error", "channel"),
    ("unknown field", {**GOOD, "priority": "urgent"}, None, 400, "validation_error", "priority"),
    ("contact not an object", {**GOOD, "contact": "081"}, None, 400, "validation_error", "contact.non_field_errors"),
    ("unknown contact field", {**GOOD, "contact": {"address": "x"}}, None, 400, "validation_error",
     "contact.address"),
    ("bad email", {**GOOD, "contact": {"email": "not-an-email"}}, None, 400, "validation_error", "contact.email"),
    ("bad phone", {**GOOD, "contact": {"phone": "call me maybe"}}, None, 400, "validation_error", "contact.phone"),
    ("deeply nested arrays", "[" * 100_000 + "]" * 100_000, "application/json", 400, "parse_error", None),
    ("deeply nested objects", '{"a":' * 50_000 + "1" + "}" * 50_000, "application/json", 400, "parse_error",
     None),
    ("lone surrogate in a field name", '{"\\ud800": 1}', "application/json", 400, "validation_error", None),
    ("lone surrogate in a choice", json.dumps({**GOOD, "kind": "\ud800"}), "application/json", 400,
     "validation_error", "kind"),
    ("lone surrogate in the title", json.dumps({**GOOD, "title": "a\udfffb"}), "application/json", 400,
     "validation_error", "title"),
    ("lone surrogate in a contact key", json.dumps({**GOOD, "contact": {"\ud800": "x"}}), "application/json", 400,
     "validation_error", None),
    ("body over the size limit", {**GOOD, "description": "x" * 3_000_000}, None, 413, "payload_too_large", None),
]


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    if field:
        assert field in error["fields"], error
        assert all(isinstance(message, str) for message in error["fields"][field])


@pytest.fixture
def nothing_written(demo):
    before = (Case.objects.count(), CaseEvent.objects.count(), list(Case.objects.values_list("status", flat=True)))
    yield
    assert (Case.objects.count(), CaseEvent.objects.count(),
            list(Case.objects.values_list("status", flat=True))) == before


@pytest.mark.parametrize("label,body,content_type,status,code,field", INTAKE_CASES, ids=[c[0] for c in INTAKE_CASES])
def test_public_intake_rejects(api, nothing_written, label, body, content_type, status, code, field):
    raw = body if isinstance(body, str) else json.dumps(body)
    response = api.generic("POST", "/api/v1/public/cases/", raw, content_type=content_type or "application/json")
    assert_error(response, status, code, field)


@pytest.fixture
def receipt(demo):
    receipt = submit()
    put_in_status(receipt.case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    return receipt


CITIZEN_CASES = [
    ("messages/", {}, "message"),
    ("messages/", {"message": ""}, "message"),
    ("messages/", {"message": 5}, "message"),
    ("messages/", {"message": "ก" * 5_001}, "message"),
    ("messages/", {"message": "ok", "attachment": "x"}, "attachment"),
    ("feedback/", {}, "score"),
    ("feedback/", {"score": 0}, "score"),
    ("feedback/", {"score": 6}, "score"),
    ("feedback/", {"score": "5"}, "score"),
    ("feedback/", {"score": 4.5}, "score"),
    ("feedback/", {"score": True}, "score"),
    ("feedback/", {"score": 5, "comment": "ก" * 2_001}, "comment"),
]


@pytest.mark.parametrize("path,body,field", CITIZEN_CASES)
def test_citizen_endpoints_reject(api, receipt, nothing_written, path, body, field):
    url = f"/api/v1/public/cases/{receipt.case.tracking_number}/{path}"
    response = api.post(url, body, format="json", HTTP_X_ACCESS_KEY=receipt.access_key)
    assert_error(response, 400, "validation_error", field)


def test_citizen_endpoints_with_malformed_tracking_numbers(api, receipt, nothing_written):
    tracking = receipt.case.tracking_number
    mistyped = tracking[:-1] + ("A" if tracking[-1] != "A" else "B")
    for number in (mistyped, "CM-1234", "%00", "x" * 300):
        for path in ("", "replies/"):
            response = api.get(f"/api/v1/public/cases/{number}/{path}", HTTP_X_ACCESS_KEY=receipt.access_key)
            assert_error(response, 404, "not_found")
        response = api.post(f"/api/v1/public/cases/{number}/messages/", {"message": "x"}, format="json",
                            HTTP_X_ACCESS_KEY=receipt.access_key)
        assert_error(response, 404, "not_found")


STAFF_TRANSITION_CASES = [
    ("no-such-transition", {}, 404, "not_found", None),
    ("consider", {}, 404, "not_found", None),  # a suggestion's transition, not a complaint's
    ("respond", {}, 400, "validation_error", "reply"),
    ("respond", {"reply": ""}, 400, "validation_error", "reply"),
    ("respond", {"reply": 42}, 400, "validation_error", "reply"),
    ("respond", {"reply": "ok", "extra": 1}, 400, "validation_error", "extra"),
    ("request_info", {"question": "ก" * 5_001}, 400, "validation_error", "question"),
    ("accept", {}, 409, "transition_not_allowed", None),
    ("close", {}, 409, "transition_not_allowed", None),
    ("merge", {"duplicate_of": "CM-0000-0000-0000"}, 409, "transition_not_allowed", None),
    ("escalate", {"reason": ["x"]}, 400, "validation_error", "reason"),
]


@pytest.mark.parametrize("name,body,status,code,field", STAFF_TRANSITION_CASES)
def test_staff_transitions_reject(staff, receipt, nothing_written, name, body, status, code, field):
    client = staff("officer1")
    response = client.post(f"/api/v1/cases/{receipt.case.tracking_number}/transitions/{name}/", body, format="json")
    assert_error(response, status, code, field)


@pytest.fixture
def fresh_case(demo):
    return submit().case


def test_assign_to_unknown_people_and_units(staff, fresh_case, nothing_written):
    case = fresh_case
    client = staff("supervisor1")
    url = f"/api/v1/cases/{case.tracking_number}/transitions/assign/"
    assert_error(client.post(url, {}, format="json"), 400, "validation_error", "unit")
    assert_error(client.post(url, {"assignee": "nobody"}, format="json"), 400, "validation_error", "assignee")
    assert_error(client.post(url, {"unit": "nowhere"}, format="json"), 400, "validation_error", "unit")
    assert_error(client.post(url, {"unit": "finance", "assignee": "officer1"}, format="json"), 400,
                 "validation_error", "assignee")


def test_merge_into_an_unknown_case(staff, fresh_case, nothing_written):
    case = fresh_case
    url = f"/api/v1/cases/{case.tracking_number}/transitions/merge/"
    client = staff("clerk1")
    assert_error(client.post(url, {"duplicate_of": "CM-0000-0000-0000"}, format="json"), 400, "validation_error",
                 "duplicate_of")
    assert_error(client.post(url, {"duplicate_of": case.tracking_number}, format="json"), 400, "validation_error",
                 "duplicate_of")


STAFF_GOOD = without("consent")
STAFF_INTAKE_CASES = [
    (STAFF_GOOD, "channel"),  # staff must say how the case arrived
    ({**STAFF_GOOD, "channel": "phone", "priority": "sky-high"}, "priority"),
    ({**STAFF_GOOD, "channel": "phone", "unit": 5}, "unit"),
    ({**STAFF_GOOD, "channel": "phone", "unit": "nowhere"}, "unit"),
    ({**STAFF_GOOD, "channel": "phone", "language": "fr"}, "language"),
    ({**STAFF_GOOD, "channel": "phone", "consent": True}, "consent"),
]


@pytest.mark.parametrize("body,field", STAFF_INTAKE_CASES)
def test_staff_intake_rejects(staff, nothing_written, body, field):
    response = staff("clerk1").post("/api/v1/cases/", body, format="json")
    assert_error(response, 400, "validation_error", field)


def test_queue_filters_are_validated(staff, demo):
    client = staff("officer1")
    assert_error(client.get("/api/v1/cases/?queue=everything"), 400, "validation_error", "queue")
    assert_error(client.get("/api/v1/cases/?status=lost"), 400, "validation_error", "status")
    assert_error(client.get("/api/v1/cases/?colour=red"), 400, "validation_error", "colour")
    assert_error(client.get("/api/v1/cases/?cursor=garbage"), 404, "not_found")
    for position in ("cD1hYmM%3D", "cD0yMDI2LTAxLTAx"):  # base64 of p=abc and p=2026-01-01
        assert_error(client.get(f"/api/v1/cases/?cursor={position}"), 404, "not_found")


def test_authentication_errors(api, demo, nothing_written):
    assert_error(api.get("/api/v1/cases/"), 401, "not_authenticated")
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(api.get("/api/v1/cases/"), 401, "not_authenticated")
    api.credentials()
    assert_error(api.post("/api/v1/auth/token/", {"username": "officer1", "password": "wrong"}, format="json"), 400,
                 "validation_error")
    assert_error(api.post("/api/v1/auth/token/", {"username": "officer1"}, format="json"), 400, "validation_error",
                 "password")


def test_wrong_methods_and_unknown_addresses(api, demo):
    assert_error(api.delete("/api/v1/public/cases/"), 405, "method_not_allowed")
    assert_error(api.get("/api/v1/no-such-endpoint/"), 404, "not_found")


def test_forwarded_for_headers_do_not_escape_the_throttle(api, demo, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "2/min"}}
    codes = [
        api.post("/api/v1/auth/token/", {"username": "officer1", "password": "guess"}, format="json",
                 HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(4)
    ]
    assert codes == [400, 400, 429, 429]


def test_transition_bodies_with_odd_values(staff, receipt, nothing_written):
    client = staff("director")
    url = f"/api/v1/cases/{receipt.case.tracking_number}/transitions/"
    assert_error(client.post(url + "respond/", {"reply": None}, format="json"), 400, "validation_error", "reply")
    assert_error(client.post(url + "respond/", {"reply": "x" * 10, "comment": None}, format="json"), 400,
                 "validation_error", "comment")
    raw = json.dumps({"decision": "d", "votes": {"\ud800": 1}})
    response = client.generic("POST", url + "decide/", raw, content_type="application/json")
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("query", [
    "cursor=WzFlNDAwXQ%3D%3D",                     # [1e400]
    "cursor=WyJ5ZXN0ZXJkYXkiLCAxXQ%3D%3D",         # ["yesterday", 1]
    "cursor=WzEuNV0%3D",                           # [1.5]
    "cursor=e30%3D",                               # {}
])
def test_tampered_cursors_are_404_not_500(staff, demo, query):
    response = staff("clerk1").get(f"/api/v1/cases/?{query}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31T23:59:59Z", "garbage", "2026-13-01"])
def test_out_of_range_dates_are_400(staff, demo, value):
    response = staff("clerk1").get("/api/v1/cases/", {"due_after": value})
    assert response.status_code == 400 and "due_after" in response.json()["error"]["fields"]


def test_a_cursor_with_an_odd_but_valid_offset_still_works(staff, demo):
    # ["2026-01-01T00:00:00+23:59", 1]: unusual, but a real moment; it once caused a database error
    response = staff("clerk1").get("/api/v1/cases/?cursor=WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzIzOjU5IiwgMV0%3D")
    assert response.status_code == 200
