"""Every role x every staff endpoint x (own unit's case, another unit's case, a sealed report): the exact status.

The expectations are written out here from docs/roles.md, independently of core/access.py:
- a case you may not see answers 404, so its existence does not leak;
- reading: anyone who may see it; the sealed report only the integrity unit and the director;
- working (replies, escalation): the assignee, the unit's head, the director;
- triage (notes, attachments): also the unit's members and the intake clerk; never the auditor or admin;
- claiming: members of the case's unit, when nobody has it; reassigning: the unit's head, the director.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Attachment, Case, Committee, Membership, Unit
from tests.conftest import put_in_status, submit, user_named

pytestmark = pytest.mark.django_db

USERS = ["officer1", "officer2", "supervisor1", "director", "integrity1", "clerk1", "auditor1", "committee1", "admin"]
# "committee": a co-decision item of the personnel group that the demo committee (committee1 serves on) decides.
SEES = {
    "own": {"officer1", "supervisor1", "director", "clerk1", "auditor1", "admin"},
    "other": {"director", "clerk1", "auditor1", "admin", "finance1"},
    "sealed": {"director", "integrity1"},
    "committee": {"officer1", "supervisor1", "director", "clerk1", "auditor1", "admin", "committee1"},
}
WORKS = {"own": {"officer1", "supervisor1", "director"}, "other": {"director"},
         "sealed": {"integrity1", "director"}, "committee": {"supervisor1", "director"}}
TRIAGES = {"own": WORKS["own"] | {"clerk1"}, "other": WORKS["other"] | {"clerk1"}, "sealed": WORKS["sealed"],
           "committee": WORKS["committee"] | {"clerk1", "officer1"}}
HEADS = {"own": {"supervisor1", "director"}, "other": {"director"}, "sealed": {"integrity1", "director"},
         "committee": {"supervisor1", "director"}}
MEMBERS = {"own": {"officer1", "supervisor1"}, "other": set(), "sealed": {"integrity1"},
           "committee": {"officer1", "supervisor1"}}
# Who reads the committee's item only as a member of its committee.
COMMITTEE_ONLY = {"committee1"}
# Who each case is reassigned to in the test: a member of its unit.
REASSIGN_TO = {"own": "officer1", "other": "finance1", "sealed": "integrity1", "committee": "officer1"}
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def cases(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    finance1 = get_user_model().objects.create_user("finance1")
    Membership.objects.create(user=finance1, unit=Unit.objects.get(code="finance"))
    own = put_in_status(submit(contact={"email": "p@example.com"}).case, "in_progress", unit="personnel",
                        assignee=user_named("officer1"))
    other = put_in_status(submit().case, "in_progress", unit="finance")  # in finance's queue, nobody's yet
    sealed = put_in_status(submit("corruption", contact={"phone": "0812345678"}).case, "fact_finding")
    item = put_in_status(submit("codecision", unit_code="personnel").case, "deliberation", unit="personnel")
    Case.objects.filter(pk=item.pk).update(committee=Committee.objects.get(code="participation"))
    for case in (own, other, sealed, item):
        attachment = Attachment(case=case, original_name="a.pdf", content_type="application/pdf", size=len(PDF),
                                sha256="0" * 64)
        attachment.file.save("a.pdf", ContentFile(PDF), save=True)
    return {"own": own, "other": other, "sealed": sealed, "committee": item}


def expected(endpoint: str, username: str, which: str) -> int:
    if username not in SEES[which]:
        return 404
    if endpoint == "identity" and username in COMMITTEE_ONLY:
        return 403  # the item, not the citizen's contact details
    if endpoint in ("detail", "events", "verify", "attachments", "identity", "download"):
        return 200
    if endpoint in ("note", "attach"):
        return 201 if username in TRIAGES[which] else 403
    if endpoint == "reply":
        return 201 if username in WORKS[which] else 403
    if endpoint in ("escalate", "correct", "redact"):
        return 200 if username in WORKS[which] else 403
    if endpoint in ("reassign", "bulk_reassign"):
        return 200 if username in HEADS[which] else 403
    if endpoint == "access_key":
        # Only a sealed report's, by its integrity unit or the director; and this one its reporter filed
        # themselves, so they keep its key (tests/security/test_sealed_handover.py).
        return 409 if which == "sealed" else 403
    if endpoint == "claim":
        if username not in MEMBERS[which]:
            return 403
        return 409 if which == "own" else 200  # the own-unit case already has an assignee
    raise AssertionError(endpoint)


def call(client, endpoint: str, case, which: str):
    base = f"/api/v1/cases/{case.tracking_number}/"
    if endpoint == "detail":
        return client.get(base)
    if endpoint in ("events", "attachments"):
        return client.get(base + f"{endpoint}/")
    if endpoint == "identity":
        return client.post(base + "identity/", {"reason": "ตรวจสอบข้อเท็จจริง"}, format="json")
    if endpoint == "verify":
        return client.get(base + "events/verify/")
    if endpoint == "note":
        return client.post(base + "notes/", {"text": "บันทึก"}, format="json")
    if endpoint == "reply":
        return client.post(base + "replies/", {"text": "ตอบ"}, format="json")
    if endpoint == "attach":
        return client.post(base + "attachments/", {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    if endpoint == "escalate":
        return client.post(base + "transitions/escalate/", {}, format="json")
    if endpoint == "claim":
        return client.post(base + "claim/")
    if endpoint == "reassign":
        return client.post(base + "reassign/", {"assignee": REASSIGN_TO[which]}, format="json")
    if endpoint == "bulk_reassign":
        return client.post("/api/v1/cases/reassign/", {"tracking_numbers": [case.tracking_number],
                                                       "assignee": REASSIGN_TO[which]}, format="json")
    if endpoint == "download":
        return client.get(base + f"attachments/{case.attachments.get().pk}/")
    if endpoint == "access_key":
        return client.post(base + "access-key/")
    if endpoint == "correct":
        return client.post(base + "correct/", {"priority": "high", "reason": "ด่วน"}, format="json")
    if endpoint == "redact":
        return client.post(base + "redact/", {"title": "เรื่องที่แก้ไขแล้ว", "description": case.description,
                                              "reason": "เบอร์โทรศัพท์"}, format="json")
    raise AssertionError(endpoint)


ENDPOINTS = ["detail", "events", "verify", "attachments", "download", "identity", "note", "reply", "attach", "escalate",
             "claim", "reassign", "bulk_reassign", "access_key", "correct", "redact"]


@pytest.mark.parametrize("which", ["own", "other", "sealed", "committee"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("username", USERS)
def test_permission_matrix(staff, cases, username, endpoint, which):
    response = call(staff(username), endpoint, cases[which], which)
    assert response.status_code == expected(endpoint, username, which), (response.status_code, response.content[:300])


@pytest.mark.parametrize("username", USERS)
def test_queues_list_exactly_the_cases_each_role_sees(staff, cases, username):
    listed = {item["tracking_number"] for item in staff(username).get("/api/v1/cases/?queue=all").json()["results"]}
    assert listed == {cases[which].tracking_number for which in cases if username in SEES[which]}


INTAKE = {"kind": "complaint", "channel": "phone", "category": "other", "title": "t", "description": "d"}
# Who may record a case for a citizen: unit members, clerks, the director, administrators.
RECORDS = {"officer1", "officer2", "supervisor1", "director", "integrity1", "clerk1", "admin"}
# Who sees the supervisor summary: unit heads, the director, auditors, administrators.
SUPERVISES = {"supervisor1", "director", "integrity1", "auditor1", "admin"}


@pytest.mark.parametrize("username", USERS)
def test_the_other_staff_endpoints(staff, demo, username):
    client = staff(username)
    assert client.get("/api/v1/cases/counts/").status_code == 200
    assert client.post("/api/v1/cases/", INTAKE, format="json").status_code == (201 if username in RECORDS else 403)
    summary = client.get("/api/v1/supervisor/summary/").status_code
    assert summary == (200 if username in SUPERVISES else 403)
    admin_only = [client.get(f"/api/v1/admin/{name}/").status_code
                  for name in ("units", "closures", "config-log", "agencies", "waiting-reasons")]
    assert admin_only == ([200] * 5 if username == "admin" else [403] * 5)
