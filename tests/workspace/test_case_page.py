"""The case page: what each of the nine demo roles sees and may do, and every action through its form, with
the same services as the API (field errors in Thai next to the field, nothing changed on bad input)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Attachment, Case, CaseEvent, ReplyTemplate
from tests.api.test_permission_matrix import SEES, USERS, WORKS, cases  # noqa: F401 - the same three cases
from tests.conftest import put_in_status, submit, user_named
from tests.workspace.conftest import post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("which", ["own", "other", "sealed"])
def test_each_role_sees_exactly_its_cases_and_gets_only_its_buttons(desk, cases, username, which):  # noqa: F811
    case = cases[which]
    answer = desk(username).get(f"/staff/cases/{case.tracking_number}/")
    if username not in SEES[which]:
        assert answer.status_code == 404 and case.title not in answer.content.decode()
        return
    text = answer.content.decode()
    assert answer.status_code == 200 and case.tracking_number in text
    transition_forms = text.count(f"/staff/cases/{case.tracking_number}/transitions/")
    if username in WORKS[which]:
        assert transition_forms >= 1
    if username in ("auditor1", "admin") or username not in WORKS[which] | {"clerk1"}:
        assert "/transitions/respond/" not in text
    reveal = f"/staff/cases/{case.tracking_number}/identity/"
    assert (reveal in text) == (which == "sealed" and username in ("integrity1", "director"))
    if which == "sealed":
        assert "0812345678" not in text  # the identity only after the audited reveal


def test_an_officer_accepts_asks_and_answers_from_the_page(desk):
    case = put_in_status(submit().case, "assigned", unit="personnel", assignee=user_named("officer1"))
    client, url = desk("officer1"), f"/staff/cases/{case.tracking_number}/"
    assert post(client, url + "transitions/accept/").status_code == 302
    refused = post(client, url + "transitions/request_info/", {"request_info-question": ""})
    assert refused.status_code == 400 and "กรุณากรอกข้อมูลในช่องนี้" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == "in_progress"
    post(client, url + "transitions/request_info/", {"request_info-question": "โรงเรียนใด"})
    post(client, url + "transitions/resume/")
    answered = post(client, url + "transitions/respond/", {"respond-reply": "จัดครูสอนแทนแล้ว",
                                                           "respond-comment": "โทรแจ้งผู้ปกครองแล้ว"}, follow=True)
    text = answered.content.decode()
    assert "แจ้งผลการดำเนินการแล้ว" in text and "จัดครูสอนแทนแล้ว" in text and "โทรแจ้งผู้ปกครองแล้ว" in text
    event = CaseEvent.objects.filter(case=case).latest("seq")
    assert (event.type, event.actor.username, event.data["comment"]) == ("respond", "officer1", "โทรแจ้งผู้ปกครองแล้ว")


def test_a_template_fills_the_answer_box(desk):
    ReplyTemplate.objects.create(code="done", title="ดำเนินการแล้ว", body="เรื่องเลขที่ {tracking_number} ดำเนินการแล้ว")
    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    text = desk("officer1").get(f"/staff/cases/{case.tracking_number}/", {"template": "done"}).content.decode()
    assert f"เรื่องเลขที่ {case.tracking_number} ดำเนินการแล้ว</textarea>" in text


def test_a_transition_the_user_may_not_fire_is_refused_with_the_reason(desk):
    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    answer = post(desk("officer1"), f"/staff/cases/{case.tracking_number}/transitions/refer/",
                  {"refer-agency": "obec", "refer-letter_number": "1", "refer-letter_date": "2026-12-01"}, follow=True)
    assert Case.objects.get(pk=case.pk).status == "in_progress"
    assert 'class="alert error"' in answer.content.decode()
    unknown = post(desk("officer1"), f"/staff/cases/{case.tracking_number}/transitions/fly/")
    assert unknown.status_code == 404


def test_a_head_refers_with_the_letter_and_bad_input_stays_next_to_its_field(desk):
    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    client, url = desk("supervisor1"), f"/staff/cases/{case.tracking_number}/transitions/refer/"
    future = post(client, url, {"refer-agency": "obec", "refer-letter_number": "ศธ 1/1",
                                "refer-letter_date": "2999-01-01"})
    assert future.status_code == 400 and Case.objects.get(pk=case.pk).status == "in_progress"
    assert 'id="id_refer-letter_date"' in future.content.decode() and "ศธ 1/1" in future.content.decode()
    done = post(client, url, {"refer-agency": "obec", "refer-letter_number": "ศธ 1/1",
                              "refer-letter_date": "2026-12-01"}, follow=True)
    assert Case.objects.get(pk=case.pk).status == "referred"
    assert "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน" in done.content.decode()


def test_notes_claims_reassignments_and_files(desk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = put_in_status(submit().case, "in_progress", unit="personnel")
    officer = desk("officer1")
    url = f"/staff/cases/{case.tracking_number}/"
    assert post(officer, url + "claim/").status_code == 302
    assert Case.objects.get(pk=case.pk).assignee.username == "officer1"
    post(officer, url + "note/", {"text": "โทรสอบถามโรงเรียนแล้ว"})
    assert CaseEvent.objects.filter(case=case, type="note", data__text="โทรสอบถามโรงเรียนแล้ว").exists()
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    refused = post(officer, url + "attachments/", {"file": fake})
    assert refused.status_code == 400 and not Attachment.objects.filter(case=case).exists()
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", content_type="application/pdf")
    assert post(officer, url + "attachments/", {"file": pdf}).status_code == 302
    attachment = Attachment.objects.get(case=case)
    download = officer.get(url + f"attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"%PDF" in b"".join(download.streaming_content)
    assert desk("officer2").get(url + f"attachments/{attachment.pk}/").status_code == 404
    head = desk("supervisor1")
    post(head, url + "reassign/", {"assignee": "supervisor1"})
    assert Case.objects.get(pk=case.pk).assignee.username == "supervisor1"


def test_the_integrity_unit_reveals_an_identity_with_a_reason_in_the_audit_chain(desk):
    report = put_in_status(submit("corruption", contact={"name": "ผู้แจ้ง", "phone": "0812345678"}).case,
                           "fact_finding")
    client, url = desk("integrity1"), f"/staff/cases/{report.tracking_number}/identity/"
    refused = post(client, url, {"reason": ""})
    assert refused.status_code == 400 and not CaseEvent.objects.filter(type="identity_read").exists()
    shown = post(client, url, {"reason": "ต้องสอบถามข้อเท็จจริงเพิ่มเติม"})
    assert shown.status_code == 200 and "0812345678" in shown.content.decode()
    event = CaseEvent.objects.get(case=report, type="identity_read")
    assert event.data == {"reader": "integrity1", "reason": "ต้องสอบถามข้อเท็จจริงเพิ่มเติม"}
    assert post(desk("supervisor1"), url, {"reason": "อยากรู้"}).status_code == 404


def test_an_unknown_case_is_a_404_page(desk):
    answer = desk("officer1").get("/staff/cases/CM-AAAA-BBBB-CCCC/")
    assert answer.status_code == 404 and "ไม่พบเรื่อง" in answer.content.decode()


@pytest.mark.parametrize("username", USERS)
def test_each_role_lists_exactly_the_cases_it_may_see(desk, cases, username):  # noqa: F811
    text = desk(username).get("/staff/", {"queue": "all"}).content.decode()
    listed = {which for which, case in cases.items() if case.tracking_number in text}
    assert listed == {which for which in cases if username in SEES[which]}


def test_every_id_on_a_case_page_is_unique(desk):
    """Labels find their fields by id: two forms' fields of one name must not share one."""
    import re
    from collections import Counter

    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    for username in ("officer1", "supervisor1", "director"):
        html = desk(username).get(f"/staff/cases/{case.tracking_number}/").content.decode()
        twice = [name for name, count in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if count > 1]
        assert twice == [], (username, twice)
