"""A report's whole road in headless Chromium, with a real Celery worker making its files: the head drafts it from
the figures' preview and writes the analysis, the director approves and publishes it, and a citizen downloads it from
the public statistics page. Screenshots in test-artifacts/workspace/, axe-core on every page."""

import urllib.request

import pytest
from django.core.cache import caches

from core.models import Report, ReportStatus
from tests.conftest import submit
from tests.workers.conftest import task_results, worker_process  # noqa: F401 - fixtures

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def files_ready(tab) -> None:
    """The page refreshes the files' progress by itself (htmx); wait for the links."""
    tab.page.get_by_role("link", name="PDF").wait_for(timeout=90_000)


def test_draft_analysis_approval_publication_and_the_public_page(desk_tab, worker_process, live_server):  # noqa: F811
    submit()
    submit(channel="phone")
    head = desk_tab()
    head.sign_in("supervisor1")
    head.go("/staff/reports/")
    page = head.page
    page.get_by_label("ช่วงเวลา").select_option("")
    page.get_by_label("รายงานเรื่อง").select_option("complaint")
    page.get_by_role("button", name="ดูตัวเลขก่อน").click()
    page.get_by_role("button", name="ร่างรายงานนี้").wait_for()
    head.shoot("report-preview")
    page.get_by_role("button", name="ร่างรายงานนี้").click()
    page.wait_for_url("**/staff/reports/*/")
    files_ready(head)
    page.get_by_label("การวิเคราะห์ปัญหา").fill("เรื่องร้องเรียนส่วนใหญ่เกี่ยวกับพฤติกรรมครู")
    page.get_by_label("การปรับปรุงแก้ไข").fill("จัดอบรมจรรยาบรรณครูทุกภาคเรียน")
    page.get_by_role("button", name="บันทึกบทวิเคราะห์").click()
    page.get_by_text("บันทึกบทวิเคราะห์แล้ว").wait_for()
    files_ready(head)
    head.shoot("report-analysed")
    report = Report.objects.get()

    director = desk_tab()
    director.sign_in("director")
    director.go(f"/staff/reports/{report.pk}/")
    director.page.get_by_role("button", name="อนุมัติรายงาน").click()
    director.page.get_by_text("อนุมัติรายงานแล้ว").wait_for()
    files_ready(director)
    director.page.get_by_role("button", name="เผยแพร่รายงาน").click()
    director.page.get_by_text("เผยแพร่รายงานในหน้าสถิติสาธารณะแล้ว").wait_for()
    director.shoot("report-published")
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.approved_by.username == "director"

    caches["fragments"].clear()  # the public page keeps its body for a minute: as a visitor a minute later
    director.go("/stats/")
    public = director.page
    link = public.get_by_role("link", name="PDF")
    assert link.count() == 1
    with urllib.request.urlopen(live_server.url + link.get_attribute("href"), timeout=30) as response:
        assert response.status == 200 and response.read(5) == b"%PDF-"
    director.shoot("report-on-the-public-page")


def test_the_evidence_pack_and_the_audit_export_pages(desk_tab, worker_process):  # noqa: F811
    submit()
    auditor = desk_tab()
    auditor.sign_in("auditor1")
    auditor.go("/staff/reports/evidence/")
    assert auditor.page.get_by_role("heading", level=1).inner_text() == "ชุดหลักฐาน ITA"
    auditor.shoot("evidence")
    auditor.go("/staff/reports/audit-export/")
    auditor.page.get_by_label("ช่วงเวลา").select_option("")
    auditor.page.get_by_role("button", name="จัดทำไฟล์ส่งออก").click()
    auditor.page.get_by_role("link", name="ดาวน์โหลด").wait_for(timeout=60_000)  # made by the worker, refreshed
    auditor.shoot("audit-export")
