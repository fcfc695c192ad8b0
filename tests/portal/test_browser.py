"""The portal in headless Chromium: what a citizen on a phone actually does.

submit -> receipt -> track -> a staff reply through the API -> the citizen reads it with the access
key -> adds information -> the answer -> rates; the anonymous corruption report; a validation error
round trip; the English switch; the keyboard; the core flow without JavaScript. Each page is
photographed at phone and desktop widths into test-artifacts/portal/.
"""

import json
import re
import urllib.request

import pytest
from django.conf import settings

from core.models import Attachment, Case, CaseEvent
from workflows.routing import case_route

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
THAI_DATE = r"\d{1,2} (ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.) 25\d\d"


class StaffApi:
    """An officer working the case through the real HTTP API of the same live server."""

    def __init__(self, base_url: str, username: str):
        self.base_url = base_url
        token = self.call("POST", "/api/v1/auth/token/", {"username": username, "password": settings.DEMO_PASSWORD},
                          token=None)
        self.token = token["token"]

    def call(self, method: str, path: str, body: dict | None = None, *, token: str | None = "") -> dict:
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Token {token or self.token}"
        request = urllib.request.Request(self.base_url + path, data=json.dumps(body or {}).encode(), method=method,
                                         headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status in (200, 201), response.status
            return json.loads(response.read())

    def transition(self, tracking: str, name: str, **params) -> dict:
        return self.call("POST", f"/api/v1/cases/{tracking}/transitions/{name}/", params)


def fill_complaint(page, *, title="ครูไม่เข้าสอนวิชาคณิตศาสตร์", consent=True) -> None:
    page.get_by_label("ข้อร้องเรียน (มีปัญหาหรือได้รับความเดือดร้อน)").check()
    page.get_by_label("หัวข้อ", exact=True).select_option("complaint:teacher-conduct")
    page.get_by_label("เรื่อง", exact=True).fill(title)
    page.get_by_label("รายละเอียด").fill("โรงเรียนบ้านหนองปลิง ครูไม่เข้าสอนติดต่อกันสามสัปดาห์")
    page.get_by_label("ชื่อ-นามสกุล").fill("สมศรี ใจดี")
    page.get_by_label("โทรศัพท์").fill("081 234 5678")
    if consent:
        page.get_by_label(re.compile("ข้าพเจ้าได้อ่านประกาศการคุ้มครองข้อมูลส่วนบุคคล")).check()


def read_receipt(page) -> tuple[str, str]:
    page.wait_for_url("**/receipt/")
    return page.locator("#tracking-number").inner_text().strip(), page.locator("#access-key").inner_text().strip()


def test_complaint_from_submission_to_rating(visit, live_server):
    tab = visit()
    page = tab.page
    tab.go("/")
    assert page.locator("html").get_attribute("lang") == "th"  # an English phone still gets Thai
    # The Thai web font comes from our own static files (the CSP allows no other source).
    assert page.evaluate("document.fonts.ready.then(() => document.fonts.check('16px Sarabun', 'ก'))")
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Sarabun') && f.status === 'loaded')")
    assert page.get_by_role("heading", level=1).inner_text() == "สำนักงานเขตพื้นที่การศึกษาประถมศึกษานครสวรรค์ เขต 1"
    tab.shoot("home")

    page.get_by_role("link", name="ส่งข้อร้องเรียน").click()
    page.wait_for_url("**/submit/?kind=complaint")
    fill_complaint(page)
    page.get_by_label("ไฟล์แนบ (ถ้ามี)").set_input_files(
        [{"name": "หลักฐาน.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    tab.shoot("submit-filled")
    page.get_by_role("button", name="ส่งเรื่อง").click()

    tracking, key = read_receipt(page)
    assert re.fullmatch(r"CM-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", tracking) and len(key) >= 20
    assert page.locator("svg.qr").is_visible()
    assert page.locator(f"figcaption a[href$=\"/track/{tracking}/\"]").count() == 1
    assert "แสดงเพียงครั้งเดียว" in page.get_by_role("alert").inner_text()
    tab.shoot("receipt")
    case = Case.objects.get(tracking_number=tracking)
    assert Attachment.objects.filter(case=case, original_name="หลักฐาน.pdf").exists()

    # The router (what the worker runs on commit) gives it to an officer of the personnel group.
    assert case_route(case_id=case.pk)
    case.refresh_from_db()
    officer = StaffApi(live_server.url, case.assignee.username)
    officer.transition(tracking, "accept")
    officer.call("POST", f"/api/v1/cases/{tracking}/replies/", {"text": "สำนักงานได้รับเรื่องแล้ว กำลังตรวจสอบข้อเท็จจริง"})
    officer.transition(tracking, "request_info", question="ขอทราบชื่อครูและช่วงวันที่ที่ไม่เข้าสอน")

    page.get_by_role("link", name="ไปยังหน้าติดตามสถานะ").click()
    page.wait_for_url(f"**/track/{tracking}/")
    assert page.locator("#case-status").inner_text() == "รอข้อมูลเพิ่มเติมจากผู้ร้อง"
    assert "กลุ่มบริหารงานบุคคล" in page.locator("main").inner_text()
    assert re.search(THAI_DATE, page.locator("ol.timeline").inner_text())
    assert "สำนักงานได้รับเรื่องแล้ว" not in page.locator("main").inner_text()  # replies need the key
    tab.shoot("status")

    page.get_by_label("รหัสเข้าถึง").fill(key)
    page.get_by_role("button", name="เปิดดู").click()
    conversation = page.locator("ol.conversation")
    assert "สำนักงานได้รับเรื่องแล้ว กำลังตรวจสอบข้อเท็จจริง" in conversation.inner_text()
    assert "ขอทราบชื่อครูและช่วงวันที่ที่ไม่เข้าสอน" in conversation.inner_text()
    assert page.get_by_text("สำนักงานรอข้อมูลเพิ่มเติมจากท่าน").is_visible()
    tab.shoot("case-with-key")

    page.get_by_label("ส่งข้อมูลเพิ่มเติม").fill("ครูสมชาย ไม่เข้าสอนวันที่ 3–21 พ.ย.")
    page.get_by_role("button", name="ส่งข้อมูล").click()
    assert page.get_by_text("ขอบคุณ ข้อมูลของท่านได้เพิ่มเข้าในเรื่องแล้ว").is_visible()
    assert Case.objects.get(pk=case.pk).status == "in_progress"  # the paused case resumed

    officer.transition(tracking, "respond", reply="ได้ตักเตือนครูและจัดครูสอนแทนแล้ว")
    page.reload()
    assert "ได้ตักเตือนครูและจัดครูสอนแทนแล้ว" in page.locator("ol.conversation").inner_text()
    page.get_by_label("5 – พึงพอใจมากที่สุด").check()
    page.get_by_label("ความคิดเห็นเพิ่มเติม (ถ้ามี)").fill("ดำเนินการรวดเร็ว")
    tab.shoot("rate")
    page.get_by_role("button", name="ส่งผลการประเมิน").click()
    assert page.get_by_text("ท่านให้คะแนนคำตอบ 5 จาก 5").is_visible()
    assert page.get_by_role("button", name="ส่งผลการประเมิน").count() == 0  # once
    case.refresh_from_db()
    assert (case.satisfaction_score, case.satisfaction_comment) == (5, "ดำเนินการรวดเร็ว")
    tab.shoot("rated")


def test_corruption_report_is_anonymous_by_default(visit):
    tab = visit()
    page = tab.page
    tab.go("/")
    page.get_by_role("link", name="แจ้งเบาะแสการทุจริต", exact=True).first.click()
    page.wait_for_url("**/corruption/")
    assert page.get_by_label("แจ้งโดยไม่ประสงค์ออกนาม (ไม่เก็บข้อมูลใดที่ระบุตัวท่าน)").is_checked()
    assert "ช่องทางนี้เป็นความลับ" in page.locator("main").inner_text()
    page.get_by_label("ลักษณะของการกระทำผิด").select_option(label="การจัดซื้อจัดจ้าง")
    page.get_by_label("เรื่อง", exact=True).fill("ฮั้วประมูลก่อสร้างอาคารเรียน")
    page.get_by_label("รายละเอียด").fill("มีการแบ่งซื้อแบ่งจ้างเพื่อหลีกเลี่ยงการประกวดราคา")
    page.get_by_label(re.compile("ข้าพเจ้าได้อ่านประกาศ")).check()
    tab.shoot("corruption")
    page.get_by_role("button", name="ส่งเรื่อง").click()
    tracking, key = read_receipt(page)
    assert tracking.startswith("CR-")
    case = Case.objects.get(tracking_number=tracking)
    assert (case.sealed, case.anonymous, case.contact_encrypted, case.unit.is_integrity) == (True, True, "", True)

    tab.go(f"/track/{tracking}/")
    assert "หน่วยตรวจสอบภายใน" in page.locator("main").inner_text()
    page.get_by_label("รหัสเข้าถึง").fill(key)
    page.get_by_role("button", name="เปิดดู").click()
    assert page.get_by_text("ยังไม่มีข้อความ").is_visible()


def test_validation_error_round_trip(visit):
    tab = visit()
    page = tab.page
    tab.go("/submit/")
    before = Case.objects.count()
    fill_complaint(page, title="", consent=False)
    page.get_by_role("button", name="ส่งเรื่อง").click()
    alert = page.get_by_role("alert")
    assert "กรุณาแก้ไขช่องที่มีเครื่องหมายด้านล่าง" in alert.first.inner_text()
    title = page.get_by_label("เรื่อง", exact=True)
    assert title.get_attribute("aria-invalid") == "true"
    assert page.locator("#id_title_error").inner_text().strip().endswith("กรุณากรอกข้อมูลในช่องนี้")
    assert "กรุณาอ่านและยอมรับประกาศ" in page.locator("#id_consent_error").inner_text()
    # What was typed is still there.
    assert page.get_by_label("รายละเอียด").input_value() == "โรงเรียนบ้านหนองปลิง ครูไม่เข้าสอนติดต่อกันสามสัปดาห์"
    assert page.get_by_label("โทรศัพท์").input_value() == "081 234 5678"
    assert page.get_by_label("หัวข้อ", exact=True).input_value() == "complaint:teacher-conduct"
    assert Case.objects.count() == before
    tab.shoot("submit-errors")

    title.fill("ครูไม่เข้าสอน")
    page.get_by_label(re.compile("ข้าพเจ้าได้อ่านประกาศ")).check()
    page.get_by_role("button", name="ส่งเรื่อง").click()
    tracking, _ = read_receipt(page)
    assert Case.objects.get(tracking_number=tracking).title == "ครูไม่เข้าสอน"


def test_english_switch(visit):
    tab = visit()
    page = tab.page
    tab.go("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Report corruption").first.is_visible()
    assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
    tab.shoot("home-en")
    page.get_by_role("link", name="Track a case").first.click()
    page.get_by_label("Tracking number").fill("cm 0000 0000 0000")
    page.get_by_role("button", name="Show the status").click()
    assert "We could not find a case with this tracking number" in page.locator("main").inner_text()
    tab.shoot("track-not-found-en")
    page.get_by_role("button", name="ไทย").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "th"


def test_keyboard_reaches_the_form_with_a_visible_focus(visit):
    tab = visit()
    page = tab.page
    tab.go("/submit/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "ข้ามไปยังเนื้อหา"
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.evaluate("element => element.closest('form') !== null")
    assert focused.evaluate("element => getComputedStyle(element).outlineStyle") != "none"


def test_core_flow_works_without_javascript(visit):
    tab = visit(javascript=False)
    page = tab.page
    tab.go("/submit/?kind=suggestion")
    page.get_by_label("หัวข้อ", exact=True).select_option("suggestion:office-service")
    page.get_by_label("เรื่อง", exact=True).fill("ขอให้เปิดรับเรื่องทางไลน์")
    page.get_by_label("รายละเอียด").fill("สะดวกสำหรับผู้ปกครองที่ทำงานต่างจังหวัด")
    page.get_by_label(re.compile("ข้าพเจ้าได้อ่านประกาศ")).check()
    page.get_by_role("button", name="ส่งเรื่อง").click()
    tracking, key = read_receipt(page)
    assert tracking.startswith("SG-")
    tab.go("/track/")
    page.get_by_label("เลขที่เรื่อง").fill(tracking.lower().replace("-", " "))
    page.get_by_role("button", name="ดูสถานะ").click()
    page.wait_for_url(f"**/track/{tracking}/")
    page.get_by_label("รหัสเข้าถึง").fill(key)
    page.get_by_role("button", name="เปิดดู").click()
    page.get_by_label("ส่งข้อมูลเพิ่มเติม").fill("เพิ่มเติม: ขอช่องทางอีเมลด้วย")
    page.get_by_role("button", name="ส่งข้อมูล").click()
    assert CaseEvent.objects.filter(case__tracking_number=tracking, type="citizen_message").count() == 1


def test_switching_language_on_the_receipt_keeps_the_key(visit):
    tab = visit()
    page = tab.page
    tab.go("/submit/")
    fill_complaint(page)
    page.get_by_role("button", name="ส่งเรื่อง").click()
    tracking, key = read_receipt(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you. We have received your case."
    assert page.locator("#access-key").inner_text().strip() == key
    assert page.locator("#tracking-number").inner_text().strip() == tracking
    tab.shoot("receipt-en")
    page.reload()  # a reload re-posts nothing shown before: the receipt is spent
    assert "A receipt is shown only once" in page.locator("main").inner_text()


def test_a_citizen_reopens_from_the_portal_and_later_the_case_closes_itself(visit, live_server):
    from tests.conftest import submit
    from workflows.answer_window import answered_cases_close

    receipt = submit(contact={"name": "สมศรี ใจดี", "phone": "081 234 5678"})
    tracking, key = receipt.case.tracking_number, receipt.access_key
    assert case_route(case_id=receipt.case.pk)
    officer = StaffApi(live_server.url, Case.objects.get(pk=receipt.case.pk).assignee.username)
    officer.transition(tracking, "accept")
    officer.transition(tracking, "respond", reply="ได้ตักเตือนครูแล้ว")

    tab = visit()
    page = tab.page
    tab.go(f"/track/{tracking}/")
    page.get_by_label("รหัสเข้าถึง").fill(key)
    page.get_by_role("button", name="เปิดดู").click()
    reopen = page.locator("#reopen")
    assert reopen.inner_text() == "คำตอบยังไม่ได้แก้ไขปัญหาของท่านใช่หรือไม่"
    assert re.search(r"ได้ถึงวันที่ " + THAI_DATE, page.locator("main").inner_text())
    page.get_by_role("button", name="ขอให้พิจารณาใหม่").click()  # no reason: refused next to the field
    assert page.locator("#id_reason[aria-invalid=true]").count() == 1
    page.get_by_label("ปัญหาใดที่ยังไม่ได้รับการแก้ไข").fill("ครูยังไม่เข้าสอนในสัปดาห์นี้")
    tab.shoot("reopen")
    page.get_by_role("button", name="ขอให้พิจารณาใหม่").click()
    assert page.get_by_text("เปิดเรื่องของท่านพิจารณาใหม่แล้ว").is_visible()
    assert page.locator("#case-status").inner_text() == "อยู่ระหว่างดำเนินการ"
    assert page.locator("#reopen").count() == 0
    case = Case.objects.get(pk=receipt.case.pk)
    assert (case.status, case.reopen_count) == ("in_progress", 1)

    officer.transition(tracking, "respond", reply="จัดครูสอนแทนเรียบร้อยแล้ว")
    # The window after the second answer ends: what the beat task does then.
    window_end = Case.objects.get(pk=case.pk).answer_window_ends_at
    assert answered_cases_close(now=window_end, limit=10) == 1
    page.reload()
    assert page.locator("#case-status").inner_text() == "ยุติเรื่อง"
    assert Case.objects.get(pk=case.pk).status == "closed"
    assert page.locator("#reopen").count() == 0
    assert page.get_by_role("button", name="ส่งผลการประเมิน").is_visible()  # still theirs to rate
    tab.shoot("closed-by-window")
    assert CaseEvent.objects.filter(case=case, type="close", actor_kind="system").count() == 1


def test_a_citizen_sees_why_the_case_waits_and_where_it_was_referred(visit, live_server):
    from django.utils import timezone

    from tests.conftest import submit

    receipt = submit()
    tracking = receipt.case.tracking_number
    assert case_route(case_id=receipt.case.pk)
    officer = StaffApi(live_server.url, Case.objects.get(pk=receipt.case.pk).assignee.username)
    officer.transition(tracking, "accept")
    officer.transition(tracking, "hold", waiting_reason="awaiting_budget", note="คาดว่าจะได้รับงบประมาณเดือนมกราคม")

    tab = visit()
    page = tab.page
    tab.go(f"/track/{tracking}/")
    waiting = page.locator("#waiting")
    assert page.locator("#case-status").inner_text() == "รอดำเนินการ"
    assert "รองบประมาณ" in waiting.inner_text() and "ระยะเวลาดำเนินการของสำนักงานหยุดนับ" in waiting.inner_text()
    assert re.search(r"ไม่เกินวันที่ " + THAI_DATE, waiting.inner_text())
    tab.shoot("waiting")

    officer.transition(tracking, "resume")
    StaffApi(live_server.url, "supervisor1").transition(
        tracking, "refer", agency="provincial-education", letter_number="ศธ 04001/88",
        letter_date=str(timezone.localdate()))
    page.reload()
    assert page.locator("#case-status").inner_text() == "ส่งต่อหน่วยงานแล้ว รอผล"
    assert re.search("ส่งต่อไปยังสำนักงานศึกษาธิการจังหวัด เมื่อวันที่ " + THAI_DATE,
                     page.locator("#referral").inner_text())
    assert page.locator("#waiting").count() == 0
    tab.shoot("referred")
