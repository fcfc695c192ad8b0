"""Attachments: checked by content, limited in size, stored via Django storage, downloadable only by who may see."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Attachment, CaseEvent
from tests.conftest import put_in_status, submit, user_named

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32 + b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(demo):
    return put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))


def upload(client, case, name: str, content: bytes):
    return client.post(f"/api/v1/cases/{case.tracking_number}/attachments/",
                       {"file": SimpleUploadedFile(name, content)}, format="multipart")


@pytest.mark.parametrize("name,content,expected", [
    ("complaint.pdf", PDF, "application/pdf"),
    ("photo.png", PNG, "image/png"),
    ("photo.jpg", JPEG, "image/jpeg"),
    ("letter.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("note.txt", "บันทึกข้อความ".encode(), "text/plain"),
    ("no-extension", PDF, "application/pdf"),  # the name does not matter, the content does
])
def test_allowed_content_is_stored_and_audited(staff, case, name, content, expected):
    response = upload(staff("officer1"), case, name, content)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["content_type"], body["size"]) == (name, expected, len(content))
    attachment = Attachment.objects.get(pk=body["id"])
    assert attachment.file.read() == content
    assert name not in attachment.file.name  # stored under our own name
    event = CaseEvent.objects.get(case=case, type="attachment")
    assert event.data["sha256"] == body["sha256"] and event.data["attachment"] == body["id"]


@pytest.mark.parametrize("name,content", [
    ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50),  # a Windows program named .pdf
    ("archive.docx", b"PK\x03\x04" + b"\x00" * 60),  # a zip that is not a Word document
    ("script.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 50),
    ("binary.txt", b"abc\x00def"),
    ("empty.pdf", b""),
])
def test_disguised_and_empty_files_are_refused(staff, case, name, content):
    response = upload(staff("officer1"), case, name, content)
    assert response.status_code == 400 and "file" in response.json()["error"]["fields"]
    assert not Attachment.objects.exists() and not CaseEvent.objects.filter(type="attachment").exists()


def test_oversize_files_are_refused(staff, case, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = upload(staff("officer1"), case, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400 and "MB" in response.json()["error"]["message"]
    assert not Attachment.objects.exists()


def test_missing_or_non_file_parts(staff, case):
    url = f"/api/v1/cases/{case.tracking_number}/attachments/"
    assert staff("officer1").post(url, {}, format="multipart").status_code == 400
    assert staff("officer1").post(url, {"file": "not a file"}, format="multipart").status_code == 400
    assert staff("officer1").post(url, {"file": "x"}, format="json").status_code == 415


def test_downloads_only_for_those_who_may_see_the_case(staff, case):
    attachment_id = upload(staff("officer1"), case, "complaint.pdf", PDF).json()["id"]
    url = f"/api/v1/cases/{case.tracking_number}/attachments/{attachment_id}/"
    response = staff("auditor1").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert staff("officer2").get(url).status_code == 404
    assert staff("officer1").get(f"/api/v1/cases/{case.tracking_number}/attachments/999999/").status_code == 404
    listed = staff("supervisor1").get(f"/api/v1/cases/{case.tracking_number}/attachments/").json()
    assert [a["id"] for a in listed] == [attachment_id]
    assert upload(staff("auditor1"), case, "x.pdf", PDF).status_code == 403


def test_sealed_attachments_stay_sealed(staff, demo):
    report = submit("corruption").case
    attachment_id = upload(staff("integrity1"), report, "evidence.pdf", PDF).json()["id"]
    url = f"/api/v1/cases/{report.tracking_number}/attachments/{attachment_id}/"
    for username in ("officer1", "supervisor1", "clerk1", "auditor1", "admin"):
        assert staff(username).get(url).status_code == 404
    assert staff("director").get(url).status_code == 200


def test_text_that_turns_into_a_program_after_the_first_bytes_is_refused(staff, case):
    content = b"harmless text\n" * 1000 + b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100
    assert upload(staff("officer1"), case, "readme.txt", content).status_code == 400


def test_attachments_to_closed_cases_are_refused(staff, demo):
    closed = put_in_status(submit().case, "closed", unit="personnel", assignee=user_named("officer1"))
    assert upload(staff("officer1"), closed, "a.pdf", PDF).status_code == 409
