"""A day of each role in the workspace, in headless Chromium against the real PostgreSQL, Redis and a live
server: a clerk records a phone complaint and prints the receipt; an officer works the queue, asks the citizen,
sees the answer the citizen gives in the portal, replies with a template and resolves; a head reassigns overdue
cases in bulk; the integrity officer reveals a sealed identity into the audit chain; an auditor verifies a
chain. Every page is photographed at 1366 and 390 px into test-artifacts/workspace/ and checked with axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Case, CaseEvent, ReplyTemplate
from tests.conftest import put_in_status, submit, user_named

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_clerk_records_a_phone_complaint_and_prints_the_receipt(desk_tab):
    tab = desk_tab()
    page = tab.page
    tab.sign_in("clerk1")
    tab.shoot("queue-clerk")
    page.get_by_role("link", name="บันทึกรับเรื่อง").first.click()
    page.get_by_role("button", name="บันทึกรับเรื่อง").click()  # empty: refused next to the fields
    assert page.locator("#form-errors").is_visible() and page.locator("[aria-invalid=true]").count() >= 3
    tab.shoot("intake-errors")
    page.get_by_label("ประเภท").select_option("complaint")
    page.get_by_label("ช่องทางที่รับเรื่อง").select_option("phone")
    page.get_by_label("หัวข้อ").select_option("complaint:teacher-conduct")
    page.get_by_label("ชื่อเรื่อง").fill("ผู้ปกครองโทรแจ้งครูไม่เข้าสอน")
    page.get_by_label("รายละเอียด").fill("ครูประจำชั้น ป.5 ไม่เข้าสอนตลอดสัปดาห์")
    page.get_by_label("ชื่อ", exact=True).fill("นางสมศรี ใจดี")
    page.get_by_label("โทรศัพท์").fill("0812345678")
    page.get_by_role("button", name="บันทึกรับเรื่อง").click()
    assert page.locator("#access-key").is_visible() and page.locator("svg.qr").count() == 1
    assert page.get_by_role("button", name="พิมพ์ใบรับเรื่อง").is_visible()
    tab.shoot("receipt")
    case = Case.objects.get(title="ผู้ปกครองโทรแจ้งครูไม่เข้าสอน")
    assert (case.channel, case.recorded_by.username) == ("phone", "clerk1")


def test_an_officer_works_a_case_from_the_queue_to_the_answer(desk_tab, live_server):
    ReplyTemplate.objects.create(code="done", title="แจ้งผลแล้ว",
                                 body="เรื่องเลขที่ {tracking_number} ได้ดำเนินการเรียบร้อยแล้ว")
    receipt = submit(contact={"name": "นางสมใจ", "email": "somjai@example.com"})
    case = put_in_status(receipt.case, "assigned", unit="personnel", assignee=user_named("officer1"))
    tab = desk_tab()
    page = tab.page
    tab.sign_in("officer1")
    assert page.locator('[data-queue-count="mine"]').inner_text() == "1"
    tab.shoot("queue-officer")
    page.get_by_role("link", name=case.tracking_number).click()
    tab.shoot("case-assigned")
    page.evaluate("window.stayedOnPage = true")  # gone if an action reloads the page
    page.locator("#accept").get_by_role("button", name="รับเรื่อง (อยู่ในอำนาจหน้าที่)").click()
    expect(page.locator("#case-status")).to_have_text("อยู่ระหว่างดำเนินการ")
    # Answered in place: the page stays, and the focus is on what the answer says.
    assert page.evaluate("window.stayedOnPage === true")
    expect(page.locator(".messages")).to_be_focused()
    page.locator("#request_info summary").click()
    page.locator("#request_info").get_by_role("button").click()  # no question: refused next to the field
    expect(page.locator("#id_request_info-question[aria-invalid=true]")).to_have_count(1)
    expect(page.locator("#id_request_info-question")).to_be_focused()
    page.get_by_label("คำถามถึงผู้ร้อง").fill("ครูท่านใด ชั้นใด")
    page.locator("#request_info").get_by_role("button").click()
    expect(page.locator("#case-status")).to_have_text("รอข้อมูลเพิ่มเติมจากผู้ร้อง")
    assert page.evaluate("window.stayedOnPage === true")

    citizen = desk_tab()  # the citizen answers in the portal, in a browser of their own
    citizen.go(f"/track/{case.tracking_number}/")
    citizen.page.get_by_label("รหัสเข้าถึง").fill(receipt.access_key)
    citizen.page.get_by_role("button", name="เปิดดู").click()
    citizen.page.get_by_label("ส่งข้อมูลเพิ่มเติม").fill("ครูประจำชั้น ป.4/2")
    citizen.page.get_by_role("button", name="ส่งข้อมูล").click()

    page.reload()
    assert page.locator("[data-unread]").inner_text() == "1"  # the bell: the citizen added information
    page.get_by_role("link", name="การแจ้งเตือน").click()
    assert "ผู้ร้องส่งข้อมูลเพิ่มเติม" in page.locator("ul.inbox").inner_text()
    tab.shoot("notifications")
    page.locator("ul.inbox a").first.click()  # opening it reads it and goes to the case
    assert page.locator("[data-unread]").inner_text() == "0"
    assert page.locator("#case-status").inner_text() == "อยู่ระหว่างดำเนินการ"
    assert "ครูประจำชั้น ป.4/2" in page.locator("ol.timeline").inner_text()
    page.locator("#respond").get_by_label("แบบข้อความตอบ").select_option("done")
    page.locator("#respond").get_by_role("button", name="ใส่ข้อความ").click()
    assert case.tracking_number in page.get_by_label("คำตอบ", exact=True).input_value()
    tab.shoot("case-answer")
    page.locator("#respond").get_by_role("button", name="แจ้งผลแก่ผู้ร้อง").click()
    expect(page.locator("#case-status")).to_have_text("แจ้งผลการดำเนินการแล้ว")
    event = CaseEvent.objects.filter(case=case, type="respond").get()
    assert event.actor.username == "officer1" and case.tracking_number in event.data["message"]


def test_a_head_reassigns_overdue_cases_in_bulk_from_the_dashboard(desk_tab):
    cases = [put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
             for _ in range(3)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(sla_due_at=timezone.now() - timedelta(days=4),
                                                             sla_warn_at=timezone.now() - timedelta(days=6))
    tab = desk_tab()
    page = tab.page
    tab.sign_in("supervisor1")
    page.get_by_role("link", name="ภาพรวม").click()
    assert page.locator("ul.tiles li.overdue .n").inner_text() == "3"
    tab.shoot("dashboard-head")
    page.locator("ul.tiles li.overdue a").click()  # the number leads to the queue behind it
    assert page.locator("tr.deadline-overdue").count() == 3
    tab.shoot("queue-overdue")
    for case in cases[:2]:
        page.get_by_label(f"เลือก {case.tracking_number}").check()
    page.get_by_label("เจ้าหน้าที่ (ชื่อผู้ใช้)").fill("supervisor1")
    page.get_by_role("button", name="โอนเรื่อง").click()
    expect(page.locator(".messages")).to_contain_text("โอน 2 เรื่องให้ supervisor1 แล้ว")
    moved = Case.objects.filter(pk__in=[c.pk for c in cases], assignee__username="supervisor1").count()
    assert moved == 2


def test_the_integrity_officer_reveals_an_identity_and_an_auditor_verifies_a_chain(desk_tab):
    report = put_in_status(submit("corruption", contact={"name": "ผู้แจ้งเบาะแส", "phone": "0899999999"}).case,
                           "fact_finding")
    tab = desk_tab()
    page = tab.page
    tab.sign_in("integrity1")
    tab.go(f"/staff/cases/{report.tracking_number}/")
    assert "0899999999" not in page.content()
    page.get_by_label("เหตุที่ต้องทราบตัวตนผู้แจ้ง").fill("ต้องเชิญผู้แจ้งมาให้ถ้อยคำ")
    page.get_by_role("button", name="เปิดดูตัวตนผู้แจ้ง").click()
    expect(page.locator("#identity")).to_contain_text("0899999999")
    assert "เปิดดูตัวตนผู้แจ้ง" in page.locator("ol.timeline").inner_text()
    tab.shoot("case-sealed-revealed")
    assert CaseEvent.objects.get(case=report, type="identity_read").data["reason"] == "ต้องเชิญผู้แจ้งมาให้ถ้อยคำ"

    case = put_in_status(submit().case, "in_progress", unit="personnel")
    auditor = desk_tab()
    auditor.sign_in("auditor1")
    auditor.go(f"/staff/cases/{case.tracking_number}/")
    assert auditor.page.locator("details.action").count() == 0  # reads, changes nothing
    auditor.page.get_by_role("link", name="ตรวจสอบความถูกต้องของบันทึก").click()
    assert "ถูกต้อง" in auditor.page.locator("#chain-report").inner_text()
    auditor.shoot("case-auditor-verified")


def test_the_director_enrols_an_authenticator_when_two_step_sign_in_is_required(desk_tab, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.STAFF_2FA_REQUIRED = True
    tab = desk_tab()
    page = tab.page
    tab.go("/staff/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("director")
    page.get_by_label("รหัสผ่าน").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/staff/security/")
    assert page.locator("figure.totp svg").count() == 1
    tab.shoot("two-step-setup")
    device = TOTPDevice.objects.get(user__username="director", confirmed=False)
    page.get_by_label("รหัส 6 หลักจากแอปยืนยันตัวตน").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="เปิดการเข้าสู่ระบบสองขั้นตอน").click()
    page.wait_for_url("**/staff/")
    assert "เปิดการเข้าสู่ระบบสองขั้นตอนแล้ว" in page.locator(".messages").inner_text()


def test_actions_answer_in_place_and_say_when_they_did_not_go_through(desk_tab, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    tab = desk_tab()
    page = tab.page
    tab.sign_in("officer1")
    tab.go(f"/staff/cases/{case.tracking_number}/")
    page.evaluate("window.stayedOnPage = true")
    note = page.locator("#note")
    page.locator("#note summary").click()
    note.get_by_label("บันทึกภายใน", exact=True).fill("โทรสอบถามโรงเรียนแล้ว")
    note.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator("ol.timeline")).to_contain_text("โทรสอบถามโรงเรียนแล้ว")
    expect(page.locator(".messages")).to_be_focused()
    page.get_by_label("ไฟล์", exact=True).set_input_files(
        files=[{"name": "หนังสือชี้แจง.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}])
    page.get_by_role("button", name="แนบไฟล์").click()
    expect(page.locator("ul.files")).to_contain_text("หนังสือชี้แจง.pdf")
    assert page.evaluate("window.stayedOnPage === true")  # neither action reloaded the page

    # The connection drops (the browser's request is cut): the reader is told, and what they typed stays.
    events = CaseEvent.objects.filter(case=case).count()
    page.route("**/note/", lambda route: route.abort())
    page.locator("#note summary").click()
    note.get_by_label("บันทึกภายใน", exact=True).fill("นัดประชุมผู้ปกครอง")
    note.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator("#request-failed")).to_be_visible()
    expect(page.locator("#request-failed")).to_be_focused()
    assert note.get_by_label("บันทึกภายใน", exact=True).input_value() == "นัดประชุมผู้ปกครอง"
    assert CaseEvent.objects.filter(case=case).count() == events
    page.unroute("**/note/")
    note.get_by_role("button", name="บันทึก", exact=True).click()  # sent again, once the line is back
    expect(page.locator("ol.timeline")).to_contain_text("นัดประชุมผู้ปกครอง")
    expect(page.locator("#request-failed")).to_be_hidden()
    tab.shoot("case-in-place")

    # The sign-in ends meanwhile (its session is gone): the page says so, keeps the text, and saves nothing.
    tab.context.clear_cookies(name="sessionid")
    page.locator("#note summary").click()
    note.get_by_label("บันทึกภายใน", exact=True).fill("ร่างบันทึกที่ยังไม่ได้ส่ง")
    note.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator("#request-signed-out")).to_be_visible()
    assert note.get_by_label("บันทึกภายใน", exact=True).input_value() == "ร่างบันทึกที่ยังไม่ได้ส่ง"
    assert not CaseEvent.objects.filter(case=case, data__text="ร่างบันทึกที่ยังไม่ได้ส่ง").exists()
    tab.shoot("case-signed-out")
