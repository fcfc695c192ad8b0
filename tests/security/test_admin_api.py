"""Finding 4: deleting configuration that cases use is a 409, never a 500."""

import pytest

from core.models import SlaClock, SlaPolicy
from tests.conftest import submit

pytestmark = pytest.mark.django_db


def test_deleting_an_sla_policy_in_use_is_a_conflict(staff, demo):
    case = submit(category_code="admission").case
    policy = SlaClock.objects.filter(case=case).first().policy
    answer = staff("admin").delete(f"/api/v1/admin/sla-policies/{policy.pk}/")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "conflict"
    assert SlaPolicy.objects.filter(pk=policy.pk).exists()
    unused = SlaPolicy.objects.create(name="unused", kind="suggestion", calendar="24x7", acknowledge_value=1,
                                      acknowledge_unit="days", resolve_value=2, resolve_unit="days", active=False)
    assert staff("admin").delete(f"/api/v1/admin/sla-policies/{unused.pk}/").status_code == 204


@pytest.mark.parametrize("body", ['{"kind":"complaint","kind":"corruption","category":"procurement","title":"t",'
                                  '"description":"d","consent":true}',
                                  '{"kind":"complaint","category":"admission","title":"t","description":"d",'
                                  '"consent":true,"contact":{"email":"a@example.com","email":"b@example.com"}}'])
def test_json_with_a_key_given_twice_is_refused(api, demo, body):
    from core.models import Case

    before = Case.objects.count()
    answer = api.generic("POST", "/api/v1/public/cases/", body, content_type="application/json")
    assert answer.status_code == 400, answer.json()
    assert "twice" in answer.json()["error"]["message"]
    assert Case.objects.count() == before


def test_a_sealed_reports_public_timestamp_moves_only_with_what_is_public(api, demo, staff):
    from tests.api.test_public import move, submit_via_api

    receipt = submit_via_api(api, {"kind": "corruption", "category": "procurement", "title": "t", "description": "d",
                                   "anonymous": True, "consent": True})
    tracking = receipt["tracking_number"]
    move(tracking, "assign", "director", assignee="integrity1")
    move(tracking, "accept", "integrity1")
    shown = api.get(f"/api/v1/public/cases/{tracking}/").json()
    staff("integrity1").post(f"/api/v1/cases/{tracking}/notes/", {"text": "ภายใน"}, format="json")
    move(tracking, "dismiss", "integrity1", reason="ไม่มีมูล")
    after = api.get(f"/api/v1/public/cases/{tracking}/").json()
    assert (after["status"], after["updated_at"]) == (shown["status"], shown["updated_at"]) == (
        "fact_finding", shown["timeline"][-1]["at"])
    move(tracking, "conclude", "integrity1", summary="ไม่มีมูลความผิด")
    concluded = api.get(f"/api/v1/public/cases/{tracking}/").json()
    assert concluded["status"] == "concluded" and concluded["updated_at"] > shown["updated_at"]


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(("name", "content", "says"), [
    # Finding 9: a small .docx that inflates past the limit (here 2 MB: the same check as 300 MB at 100).
    ("bomb.docx", "bomb", "MB"),
    ("report.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n" + HTML, "หน้าเว็บ"),
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17 + b"\x00\x00\x00\x00IEND\xaeB`\x82" + HTML,
     "หน้าเว็บ"),
    ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9" + HTML, "หน้าเว็บ"),
    ("polyglot.pdf", b"%PDF-1.4\n" + HTML + b"\n%%EOF\n", "หน้าเว็บ"),
    ("macro.docx", "macro", "หน้าเว็บ"),
])
def test_attachments_that_hide_or_inflate_are_refused(staff, demo, settings, tmp_path, name, content, says):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import Attachment
    from tests.conftest import put_in_status, user_named

    settings.MEDIA_ROOT, settings.ATTACHMENT_MAX_INFLATED_BYTES = tmp_path, 2 * 1024 * 1024
    parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"}
    if content == "bomb":
        content = _zip({**parts, "word/media/padding.bin": b"\x00" * (3 * 1024 * 1024)})
        assert len(content) < 10_000  # small on the wire
    elif content == "macro":
        content = _zip({**parts, "word/vbaProject.bin": b"\x00" * 100})
    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    answer = staff("officer1").post(f"/api/v1/cases/{case.tracking_number}/attachments/",
                                    {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert answer.status_code == 400, answer.json()
    assert says in answer.json()["error"]["fields"]["file"][0]
    assert not Attachment.objects.filter(case=case).exists()


def test_an_outage_met_outside_a_view_is_a_503_too(rf):
    from django.db import OperationalError

    from config.urls import handler500

    for path, kind in (("/api/v1/cases/", "application/json"), ("/track/", "text/html")):
        try:
            raise OperationalError("the connection is closed")
        except OperationalError:
            response = handler500(rf.get(path))
        assert response.status_code == 503 and response["Retry-After"] and kind in response["Content-Type"]
    try:
        raise ValueError("a real bug")
    except ValueError:
        assert handler500(rf.get("/api/v1/cases/")).status_code == 500
