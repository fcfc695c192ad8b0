"""Finding 6: the clerk who records a corruption report by phone never holds its access key; the integrity
unit issues it to the reporter, and the reporter can replace it."""

import pytest

from core.models import CaseEvent
from tests.conftest import user_named

pytestmark = pytest.mark.django_db

REPORT = {"kind": "corruption", "category": "procurement", "channel": "phone", "title": "ฮั้วประมูล",
          "description": "มีการแบ่งงานจ้างเพื่อหลีกเลี่ยงการประกวดราคา", "contact": {"name": "ผู้แจ้ง", "phone": "0812345678"}}


def test_a_clerk_recording_a_sealed_report_gets_no_key_and_cannot_read_it(staff, api):
    answer = staff("clerk1").post("/api/v1/cases/", REPORT, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["access_key"] is None
    tracking = answer.json()["case"]["tracking_number"]
    # The integrity unit issues the key (audited, the key itself never recorded) and hands it over.
    issued = staff("integrity1").post(f"/api/v1/cases/{tracking}/access-key/")
    assert issued.status_code == 201
    key = issued.json()["access_key"]
    event = CaseEvent.objects.filter(case__tracking_number=tracking).latest("seq")
    assert event.type == "access_key_issued" and key not in str(event.data)
    assert api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY=key).status_code == 200
    for username in ("clerk1", "supervisor1", "officer1"):
        assert staff(username).post(f"/api/v1/cases/{tracking}/access-key/").status_code in (403, 404), username


def test_a_reporter_replaces_their_key_and_the_old_one_stops_working(staff, api):
    tracking = staff("clerk1").post("/api/v1/cases/", REPORT, format="json").json()["case"]["tracking_number"]
    old = staff("integrity1").post(f"/api/v1/cases/{tracking}/access-key/").json()["access_key"]
    rotated = api.post(f"/api/v1/public/cases/{tracking}/access-key/", HTTP_X_ACCESS_KEY=old)
    assert rotated.status_code == 201
    new = rotated.json()["access_key"]
    assert new != old
    assert api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY=old).status_code == 403
    assert api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY=new).status_code == 200
    assert api.post(f"/api/v1/public/cases/{tracking}/access-key/", HTTP_X_ACCESS_KEY="WRONG").status_code == 403


def test_a_non_sealed_case_recorded_by_a_clerk_still_gets_its_key(staff):
    answer = staff("clerk1").post("/api/v1/cases/", {**REPORT, "kind": "complaint", "category": "teacher-conduct"},
                                  format="json")
    assert answer.status_code == 201 and answer.json()["access_key"]
    assert user_named("clerk1")  # (the clerk hands the complaint's receipt to the citizen, as before)


def test_a_report_the_reporter_filed_themselves_keeps_its_key(staff, api):
    """Issuing a key for it would lock the whistleblower out and let the issuer speak as them."""
    receipt = api.post("/api/v1/public/cases/", {"kind": "corruption", "category": "procurement", "title": "t",
                                                 "description": "d", "anonymous": True, "consent": True},
                       format="json").json()
    tracking, key = receipt["tracking_number"], receipt["access_key"]
    refused = staff("integrity1").post(f"/api/v1/cases/{tracking}/access-key/")
    assert refused.status_code == 409
    assert api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY=key).status_code == 200
