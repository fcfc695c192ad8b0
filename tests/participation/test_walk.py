"""Issue 15's walk in headless Chromium: staff open a consultation, two citizens give opinions on the public page,
the window closes, the committee meets (a member recuses, the others vote), the decision is published, progress is
updated and the follower is told. Screenshots in test-artifacts/participation/, axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Case, Opinion, Resolution
from core.notifications.delivery import notification_deliver, notifications_due
from tests.conftest import submit
from workflows.sla_sweep import sla_apply_due_steps

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
ARTIFACTS = "participation"


def deliver() -> None:
    for pk in notifications_due(now=timezone.now(), limit=100):
        notification_deliver(notification_id=pk)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_consultation_to_decision_to_progress(desk_tab, visit, smtp):
    item = submit("codecision", title="ปรับเวลาเข้าเรียนของโรงเรียนในสังกัด", unit_code="personnel",
                  description="สำนักงานเสนอให้โรงเรียนในสังกัดเริ่มเรียนเวลา 08.30 น. เพื่อลดปัญหาการจราจรหน้าโรงเรียน").case
    head = desk_tab()
    head.sign_in("supervisor1")
    head.go(f"/staff/cases/{item.tracking_number}/participation/")
    head.page.get_by_text("กำหนดคำถาม").click()
    head.page.get_by_label("คำถาม (ภาษาไทย) บรรทัดละหนึ่งข้อ").fill("เวลาเข้าเรียนที่เหมาะสมคือกี่โมง")
    head.page.get_by_role("button", name="บันทึกคำถาม").click()
    head.page.get_by_text("บันทึกคำถามแล้ว").wait_for()
    head.go(f"/staff/cases/{item.tracking_number}/")
    form = head.page.locator("details#open_consultation")
    form.locator("summary").click()
    now = timezone.now()
    form.get_by_label("เปิดรับความคิดเห็น", exact=True).fill(local(now - timedelta(minutes=1)))
    form.get_by_label("ปิดรับความคิดเห็น", exact=True).fill(local(now + timedelta(days=14)))
    form.get_by_label("คณะกรรมการ", exact=True).select_option("participation")
    head.shoot("staff-open-consultation")
    form.get_by_role("button", name="เปิดรับฟังความคิดเห็น").click()
    head.page.get_by_text("ดำเนินการแล้ว: เปิดรับฟังความคิดเห็น").wait_for()
    assert Case.objects.get(pk=item.pk).status == "consultation"

    for n, (stance, body, group) in enumerate((("เห็นด้วย", "เห็นด้วย เด็กจะได้ไม่ต้องรีบ", "parents"),
                                               ("ไม่เห็นด้วย", "ผู้ปกครองต้องไปทำงานเช้า", "community"))):
        citizen = visit()
        citizen.go("/participation/")
        if n == 0:
            citizen.shoot("public-list")
        citizen.page.get_by_role("link", name="ปรับเวลาเข้าเรียนของโรงเรียนในสังกัด").click()
        citizen.page.get_by_label(stance, exact=True).check()
        citizen.page.get_by_label("ความคิดเห็นของท่าน").fill(body)
        citizen.page.get_by_label("เวลาเข้าเรียนที่เหมาะสมคือกี่โมง").fill("08.30 น." if n == 0 else "07.45 น.")
        citizen.page.get_by_label("ท่านร่วมแสดงความคิดเห็นในฐานะ (ไม่บังคับ)").select_option(group)
        if n == 0:
            citizen.shoot("public-item-form")
        citizen.page.get_by_role("button", name="ส่งความคิดเห็น").click()
        citizen.page.wait_for_url("**/participation/opinions/**")
        if n == 0:
            citizen.shoot("public-opinion-receipt")
            citizen.go(f"/participation/{item.tracking_number}/")
            citizen.page.get_by_label("อีเมลของท่าน").fill("follower@example.com")
            citizen.page.get_by_label("ข้าพเจ้ายินยอมให้เก็บอีเมล", exact=False).check()
            citizen.page.get_by_role("button", name="ติดตาม", exact=True).click()
            citizen.page.get_by_text("ท่านติดตามเรื่องนี้แล้ว").wait_for()
    assert Opinion.objects.filter(case=item).count() == 2

    # The window closes: the sweep (run by beat in production; tests/faults/test_consultation_window.py) closes it.
    Case.objects.filter(pk=item.pk).update(consultation_closes_at=timezone.now() - timedelta(seconds=1),
                                           sla_next_action_at=timezone.now() - timedelta(seconds=1))
    sla_apply_due_steps()
    assert Case.objects.get(pk=item.pk).status == "deliberation"

    head.go("/staff/committees/")
    head.page.get_by_role("link", name="บันทึกการประชุม").click()
    page = head.page
    page.get_by_label("ครั้งที่ประชุม").fill("1/2570")
    page.get_by_label("วันเวลาที่ประชุม").fill(local(timezone.now()))
    page.get_by_label("สถานที่").fill("ห้องประชุมสำนักงาน ชั้น 2")
    for name in ("นายวิชัย ผู้อำนวยการ", "นายประเสริฐ นำทาง", "นายผู้แทน ผู้ปกครอง", "นายสมบัติ ชุมชนดี"):
        page.get_by_label(name, exact=False).check()
    page.get_by_label(item.tracking_number, exact=False).check()
    head.shoot("staff-meeting-new")
    page.get_by_role("button", name="บันทึกการประชุม").click()
    page.get_by_text("บันทึกการประชุมแล้ว").wait_for()
    page.get_by_label("ระเบียบวาระ").select_option(item.tracking_number)
    page.get_by_label("ญัตติ").fill("เห็นชอบให้โรงเรียนเริ่มเรียนเวลา 08.30 น.")
    page.get_by_label("การลงคะแนนของ นายวิชัย ผู้อำนวยการ").select_option("for")
    page.get_by_label("การลงคะแนนของ นายประเสริฐ นำทาง").select_option("for")
    page.get_by_label("การลงคะแนนของ นายผู้แทน ผู้ปกครอง").select_option("recused")
    page.get_by_label("ส่วนได้เสียที่ นายผู้แทน ผู้ปกครอง แจ้ง (หากไม่ลงคะแนน)").fill("บุตรเรียนในโรงเรียนนำร่อง")
    page.get_by_label("การลงคะแนนของ นายสมบัติ ชุมชนดี").select_option("against")
    page.get_by_role("button", name="บันทึกมติที่ประชุม").click()
    page.get_by_text("บันทึกมติแล้ว").wait_for()
    head.shoot("staff-meeting-resolution")
    resolution = Resolution.objects.get()
    assert (resolution.in_favour, resolution.against, resolution.recused, resolution.adopted) == (2, 1, 1, True)

    head.go(f"/staff/cases/{item.tracking_number}/")
    form = page.locator("details#decide")
    form.locator("summary").click()
    form.get_by_label("มติ", exact=True).fill("ให้โรงเรียนในสังกัดเริ่มเรียนเวลา 08.30 น. ตั้งแต่ภาคเรียนที่ 1/2570")
    form.get_by_label("มติของคณะกรรมการ").select_option(str(resolution.pk))
    form.get_by_role("button", name="บันทึกมติ").click()
    page.locator("#case-status", has_text="มีมติแล้ว").wait_for()
    form = page.locator("details#start_implementation")
    form.locator("summary").click()
    form.get_by_role("button", name="เริ่มดำเนินการตามมติ").click()
    page.locator("#case-status", has_text="อยู่ระหว่างดำเนินการตามมติ").wait_for()
    page.get_by_role("link", name="การรับฟังความคิดเห็นและความคืบหน้า").click()
    page.get_by_label("ขั้นความคืบหน้า").fill("แจ้งโรงเรียนทุกแห่งและประชาสัมพันธ์ผู้ปกครอง")
    page.get_by_label("ดำเนินการแล้ว (ร้อยละ)").fill("60")
    page.get_by_role("button", name="รายงาน", exact=True).click()
    page.get_by_text("บันทึกความคืบหน้าแล้ว", exact=False).wait_for()
    head.shoot("staff-participation")

    citizen = visit()
    citizen.go(f"/participation/{item.tracking_number}/")
    citizen.page.locator("#decision").wait_for()
    text = citizen.page.inner_text("main")
    assert "เห็นด้วย 2 เสียง ไม่เห็นด้วย 1 เสียง" in text and "60%" in text
    citizen.shoot("public-item-decided")
    citizen.go("/participation/board/")
    assert "ให้โรงเรียนในสังกัดเริ่มเรียนเวลา 08.30 น." in citizen.page.inner_text("main")
    citizen.shoot("public-board")

    deliver()
    bodies = [message.get_content() for message in smtp.messages if message["To"] == "follower@example.com"]
    assert any("แจ้งโรงเรียนทุกแห่งและประชาสัมพันธ์ผู้ปกครอง (60%)" in body for body in bodies)
    assert any("มีมติแล้ว" in body for body in bodies)


def test_a_survey_built_answered_on_the_portal_and_summarised(desk_tab, visit):
    head = desk_tab()
    head.sign_in("supervisor1")
    head.go("/staff/surveys/")
    page = head.page
    now = timezone.now()
    page.get_by_label("รหัสสั้น (ใช้ในที่อยู่เว็บ)").fill("service-2570")
    page.get_by_label("ชื่อ (ภาษาไทย)").fill("ความพึงพอใจต่อการให้บริการของสำนักงาน ปีงบประมาณ 2570")
    page.get_by_label("สำรวจเรื่อง").select_option("service")
    page.get_by_label("เครือข่ายผู้ปกครอง").check()
    page.get_by_label("ชุมชนและองค์กรปกครองส่วนท้องถิ่น").check()
    page.get_by_label("เปิดรับความคิดเห็น", exact=True).fill(local(now - timedelta(minutes=1)))
    page.get_by_label("ปิดรับความคิดเห็น", exact=True).fill(local(now + timedelta(days=30)))
    head.shoot("staff-survey-new")
    page.get_by_role("button", name="สร้างแบบสำรวจ").click()
    page.get_by_text("สร้างแบบสำรวจแล้ว").wait_for()
    for kind, text, choices in (("scale", "ความพึงพอใจต่อการให้บริการโดยรวม", ""),
                                ("multiple", "ท่านติดต่อสำนักงานผ่านช่องทางใด", "เว็บไซต์ | Website\nโทรศัพท์ | Telephone\nมาด้วยตนเอง | In person"),
                                ("text", "ข้อเสนอแนะเพื่อการปรับปรุง", "")):
        page.get_by_label("รูปแบบคำตอบ").select_option(kind)
        page.get_by_label("คำถาม (ภาษาไทย)").fill(text)
        page.get_by_label("ตัวเลือก บรรทัดละหนึ่งข้อ (ไทย | อังกฤษ)").fill(choices)
        if kind == "text":
            page.get_by_label("ต้องตอบ").uncheck()
        page.get_by_role("button", name="เพิ่มคำถาม").click()
        page.get_by_text("เพิ่มคำถามแล้ว").wait_for()

    for score, channels, group, comment in ((5, ("เว็บไซต์",), "เครือข่ายผู้ปกครอง", "เจ้าหน้าที่ตอบเร็ว"),
                                            (3, ("โทรศัพท์", "มาด้วยตนเอง"), "ชุมชนและองค์กรปกครองส่วนท้องถิ่น", "")):
        citizen = visit()
        citizen.go("/surveys/")
        citizen.page.get_by_role("link", name="ความพึงพอใจต่อการให้บริการของสำนักงาน ปีงบประมาณ 2570").click()
        citizen.page.get_by_label(str(score) if score not in (1, 5) else "5 (พึงพอใจมาก)", exact=True).check()
        for channel in channels:
            citizen.page.get_by_label(channel, exact=True).check()
        citizen.page.get_by_label("ท่านตอบในฐานะ (ไม่บังคับ)").select_option(label=group)
        if comment:
            citizen.page.get_by_label("ข้อเสนอแนะเพื่อการปรับปรุง").fill(comment)
            citizen.shoot("public-survey-form")
        citizen.page.get_by_role("button", name="ส่งคำตอบ").click()
        citizen.page.get_by_text("ได้บันทึกคำตอบของท่านแล้ว", exact=False).wait_for()

    head.go("/staff/surveys/service-2570/")
    page.get_by_role("button", name="แสดง", exact=True).click()
    page.locator("#response-count").wait_for()
    text = page.inner_text("main")
    assert "ผู้ตอบ 2 คน" in text and "เฉลี่ย 4.0 จาก 5" in text and "เจ้าหน้าที่ตอบเร็ว" in text
    head.shoot("staff-survey-results")
