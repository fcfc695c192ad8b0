"""The workspace's participation pages through Django's test client (issue 15): an item's consultation and
progress, committees, meetings and resolutions; bad input gives field errors in Thai and writes nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import (
    Case,
    CommitteeMember,
    ConfigChange,
    Meeting,
    MeetingDocument,
    Opinion,
    OpinionTheme,
    Resolution,
)
from tests.conftest import submit, user_named
from tests.participation.test_portal_pages import text_of
from tests.workspace.conftest import post
from workflows.consultation import OpinionInput, opinion_submit
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def item(demo):
    case = submit("codecision", title="ปรับเวลาเข้าเรียน", unit_code="personnel").case
    now = timezone.now()
    case_transition(tracking=case.tracking_number, name="open_consultation", actor=user_named("supervisor1"),
                    params={"opens_at": now, "closes_at": now + timedelta(days=7), "committee": "participation"})
    return Case.objects.get(pk=case.pk)


def test_the_consultation_page_moderates_and_themes(desk, item):
    given = opinion_submit(tracking=item.tracking_number, opinion=OpinionInput(stance="oppose", body="คำหยาบ",
                                                                               answers={}))
    head = desk("supervisor1")
    url = f"/staff/cases/{item.tracking_number}/participation/"
    page = head.get(url)
    assert page.status_code == 200 and given.tracking_number in text_of(page)
    assert f'href="{url}"' in head.get(f"/staff/cases/{item.tracking_number}/").content.decode()
    refused = post(head, f"{url}opinions/{given.tracking_number}/hide/", {"reason": ""})
    assert refused.status_code == 400 and "กรุณากรอก" in refused.content.decode()
    assert Opinion.objects.get().hidden_at is None
    assert post(head, f"{url}opinions/{given.tracking_number}/hide/", {"reason": "ไม่สุภาพ"}).status_code == 302
    assert Opinion.objects.get().hidden_reason == "ไม่สุภาพ"
    assert post(head, f"{url}themes/", {"title": "", "opinions": [given.tracking_number]}).status_code == 400
    assert post(head, f"{url}themes/", {"title": "ถ้อยคำ", "answer": "ขออภัย",
                                        "opinions": [given.tracking_number]}).status_code == 302
    assert OpinionTheme.objects.get().opinions.get() == Opinion.objects.get()
    # A committee member reads the item (their queue lists their committee's items only); moderating is the office's.
    member = desk("committee1")
    other = submit().case
    queue = member.get("/staff/").content.decode()
    assert item.tracking_number in queue and other.tracking_number not in queue
    assert member.get(url).status_code == 200
    assert post(member, f"{url}themes/", {"title": "x"}).status_code == 302
    assert OpinionTheme.objects.count() == 1
    assert desk("officer2").get(url).status_code == 404


def test_questions_are_set_one_per_line_with_english_matching(desk, demo):
    case = submit("codecision", title="ร่างแผน", unit_code="personnel").case
    head = desk("supervisor1")
    url = f"/staff/cases/{case.tracking_number}/participation/questions/"
    bad = post(head, url, {"questions_th": "ข้อหนึ่ง\nข้อสอง", "questions_en": "One"})
    assert bad.status_code == 400 and case.consultation_questions.count() == 0
    assert post(head, url, {"questions_th": "ข้อหนึ่ง\nข้อสอง", "questions_en": "One\nTwo"}).status_code == 302
    assert list(case.consultation_questions.values_list("text_th", "text_en")) == [("ข้อหนึ่ง", "One"),
                                                                                 ("ข้อสอง", "Two")]


def test_a_meeting_with_a_recusal_and_a_resolution_refused_without_quorum(desk, item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    secretary = desk("supervisor1")  # the demo committee's secretary
    assert "คณะกรรมการส่งเสริมการมีส่วนร่วม" in text_of(secretary.get("/staff/committees/"))
    new = "/staff/committees/participation/meetings/new/"
    form = secretary.get(new)
    members = {row.name: row.pk for row in item.committee.members.all()}
    assert form.status_code == 200 and item.tracking_number in form.content.decode()
    bad = post(secretary, new, {"number": "", "held_at": "2026-13-40T10:00"})
    assert bad.status_code == 400 and Meeting.objects.count() == 0
    few = [members["นายวิชัย ผู้อำนวยการ"], members["นายประเสริฐ นำทาง"]]
    assert post(secretary, new, {"number": "1/2570", "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                                 "present": few, "agenda": [item.tracking_number]}).status_code == 302
    meeting = Meeting.objects.get()
    votes = {f"vote_{few[0]}": "for", f"vote_{few[1]}": "recused", f"conflict_{few[1]}": "ญาติเป็นครูในโรงเรียน"}
    refused = post(secretary, f"/staff/meetings/{meeting.pk}/resolutions/",
                   {"case": item.tracking_number, "motion": "เห็นชอบ", **votes})
    assert refused.status_code == 400 and "องค์ประชุม" in refused.content.decode()
    assert Resolution.objects.count() == 0
    upload = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
    assert post(secretary, f"/staff/meetings/{meeting.pk}/documents/", {"file": upload}).status_code == 302
    assert MeetingDocument.objects.get().original_name == "minutes.pdf"
    # committee1 reads the meeting of their committee, but does not record for it
    member = desk("committee1")
    assert member.get(f"/staff/meetings/{meeting.pk}/").status_code == 200
    assert post(member, f"/staff/meetings/{meeting.pk}/resolutions/", {"case": item.tracking_number}).status_code == 400
    assert desk("officer1").get(f"/staff/meetings/{meeting.pk}/").status_code == 404


def test_the_director_appoints_and_ends_members_on_the_committees_page(desk):
    director = desk("director")
    page = director.get("/staff/committees/")
    assert "แต่งตั้งกรรมการ" in page.content.decode()
    assert "แต่งตั้งกรรมการ" not in desk("supervisor1").get("/staff/committees/").content.decode()
    bad = post(director, "/staff/committees/participation/members/", {"name": "ครูสมใจ", "position": "member",
                                                                      "username": "nobody", "term_start": "2026-12-01"})
    assert bad.status_code == 400 and "ไม่มีบัญชีผู้ใช้" in bad.content.decode()
    assert post(director, "/staff/committees/participation/members/", {
        "name": "ครูสมใจ", "position": "representative", "group": "teachers", "term_start": "2026-12-01"}
        ).status_code == 302
    member = CommitteeMember.objects.get(name="ครูสมใจ")
    assert member.group.code == "teachers"
    assert post(desk("supervisor1"), "/staff/committees/participation/members/", {
        "name": "x", "position": "member", "term_start": "2026-12-01"}).status_code == 404
    refused = post(director, "/staff/committees/participation/members/end/", {
        "member": member.pk, "term_end": "2026-12-31", "reason": ""})
    assert refused.status_code == 400 and CommitteeMember.objects.get(pk=member.pk).term_end is None
    assert post(director, "/staff/committees/participation/members/end/", {
        "member": member.pk, "term_end": timezone.localdate().isoformat(), "reason": "ลาออก"}).status_code == 302
    assert CommitteeMember.objects.get(pk=member.pk).end_reason == "ลาออก"
    assert ConfigChange.objects.filter(model="core.CommitteeMember", object_id=str(member.pk)).count() == 2


def test_the_api_appoints_and_ends_members(staff):
    body = {"name": "ครูสมใจ", "position": "member", "username": "committee1", "term_start": "2026-12-01"}
    assert staff("supervisor1").post("/api/v1/committees/participation/members/", body,
                                     format="json").status_code == 403
    assert staff("admin").post("/api/v1/committees/participation/members/", {**body, "position": "boss"},
                               format="json").status_code == 400
    created = staff("admin").post("/api/v1/committees/participation/members/", body, format="json")
    assert created.status_code == 201 and created.json()["username"] == "committee1"
    url = f"/api/v1/committee-members/{created.json()['id']}/end/"
    assert staff("admin").post(url, {"term_end": "2026-12-31"}, format="json").status_code == 400
    assert staff("admin").post(url, {"term_end": "2026-12-31", "reason": "ครบวาระ"}, format="json").status_code == 200
    assert staff("admin").post(url, {"term_end": "2026-12-31", "reason": "ซ้ำ"}, format="json").status_code == 409
