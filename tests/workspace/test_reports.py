"""Reports in the workspace: preview and draft, the analysis form's errors in Thai next to their field, approval
and publication by the director only, the files served to staff and, once published, to everyone."""

import hashlib
from datetime import datetime

import pytest
import time_machine

from core.calendar import BANGKOK
from core.models import FilesStatus, Report, ReportStatus
from reports.documents import report_files_make
from tests.conftest import submit
from tests.workspace.conftest import post

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def travelled(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=True):
        submit()
        yield


def drafted(desk) -> Report:
    response = post(desk("supervisor1"), "/staff/reports/", {"fiscal_year": "2569", "part": "H1",
                                                             "scope": "complaint"})
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get()
    assert response["Location"] == f"/staff/reports/{report.pk}/"
    return report


def test_a_head_previews_and_drafts(desk):
    head = desk("supervisor1")
    page = head.get("/staff/reports/?fiscal_year=2569&part=H1&scope=complaint").content.decode()
    assert "ครึ่งปีแรก ปีงบประมาณ พ.ศ. 2569" in page and "ร่างรายงานนี้" in page
    assert 'value="corruption"' not in page  # not the integrity unit: no corruption report
    report = drafted(desk)
    assert (report.period, report.scope, report.created_by.username) == ("2569-H1", "complaint", "supervisor1")
    page = head.get(f"/staff/reports/{report.pk}/").content.decode()
    assert "รอจัดทำไฟล์" in page and 'hx-trigger="every 2s"' in page  # the files' progress, refreshed


def test_an_officer_cannot_draft(desk):
    response = post(desk("officer1"), "/staff/reports/", {"fiscal_year": "2569", "part": "", "scope": "complaint"})
    assert response.status_code == 403 and not Report.objects.exists()


def test_a_future_period_is_refused_next_to_its_field(desk):
    response = post(desk("supervisor1"), "/staff/reports/", {"fiscal_year": "2569", "part": "M09",
                                                             "scope": "complaint"})
    assert response.status_code == 400 and not Report.objects.exists()
    assert "ยังไม่เริ่มต้น" in response.content.decode()


def test_the_analysis_needs_both_texts(desk):
    report = drafted(desk)
    response = post(desk("supervisor1"), f"/staff/reports/{report.pk}/analysis/", {"analysis": "ปัญหา",
                                                                                   "improvements": ""})
    assert response.status_code == 400 and "กรุณากรอกข้อมูลในช่องนี้" in response.content.decode()
    assert Report.objects.get().status == ReportStatus.DRAFT


def test_from_draft_to_the_public_page(desk, client):
    report = drafted(desk)
    assert client.get(f"/stats/reports/{report.pk}/pdf/").status_code == 404  # not published
    post(desk("supervisor1"), f"/staff/reports/{report.pk}/analysis/", {"analysis": "ปัญหา", "improvements": "แก้"})
    head_page = desk("supervisor1").get(f"/staff/reports/{report.pk}/").content.decode()
    assert "อนุมัติรายงาน" not in head_page
    director = desk("director")
    assert post(director, f"/staff/reports/{report.pk}/approve/").status_code == 302
    refused = post(director, f"/staff/reports/{report.pk}/publish/", follow=True)  # files of the approval not made
    assert "ไฟล์รายงานยังไม่พร้อม" in refused.content.decode()
    report_files_make(report_id=report.pk)
    assert desk("supervisor1").get(f"/staff/reports/{report.pk}/files/xlsx/").status_code == 200
    assert post(director, f"/staff/reports/{report.pk}/publish/").status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.files_status == FilesStatus.READY
    page = client.get("/stats/?fiscal_year=2569").content.decode()
    assert f"/stats/reports/{report.pk}/pdf/" in page and "รายงานผลการจัดการข้อร้องเรียน" in page
    download = client.get(f"/stats/reports/{report.pk}/pdf/")
    assert download.status_code == 200 and download["X-Content-SHA256"] == report.files["pdf"]["sha256"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(f"/stats/reports/{report.pk}/exe/").status_code == 404


def test_the_dashboard_opens_its_periods_as_reports(desk):
    director = desk("director")
    page = director.get("/staff/dashboard/").content.decode()
    assert "เปิดเป็นรายงาน:" in page
    link = "/staff/reports/?fiscal_year=2569&amp;part=Q2&amp;scope=complaint"  # March 2026: the second quarter
    assert link in page
    preview = director.get(link.replace("&amp;", "&")).content.decode()
    assert "ไตรมาส 2" in preview and "ร่างรายงานนี้" in preview


def test_the_audit_export_page(desk):
    from core.audit_export import audit_export_make
    from core.models import AuditExport

    auditor = desk("auditor1")
    assert "ส่งออกบันทึกการตรวจสอบ" in auditor.get("/staff/reports/").content.decode()
    response = post(auditor, "/staff/reports/audit-export/", {"fiscal_year": "2569", "part": "H1"})
    assert response.status_code == 302
    export = AuditExport.objects.get()
    page = auditor.get("/staff/reports/audit-export/").content.decode()
    assert "รอจัดทำไฟล์" in page and 'hx-trigger="every 2s"' in page  # its progress, refreshed
    audit_export_make(export_id=export.pk)
    page = auditor.get("/staff/reports/audit-export/").content.decode()
    assert f"/staff/reports/audit-export/{export.pk}/" in page and 'hx-trigger' not in page
    download = auditor.get(f"/staff/reports/audit-export/{export.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    export.refresh_from_db()
    assert download["X-Content-SHA256"] == export.sha256 == hashlib.sha256(
        b"".join(download.streaming_content)).hexdigest()
    assert desk("director").get(f"/staff/reports/audit-export/{export.pk}/").status_code == 404  # not theirs
    refused = post(auditor, "/staff/reports/audit-export/", {"fiscal_year": "2569", "part": "M09"})
    assert refused.status_code == 400 and "ยังไม่เริ่มต้น" in refused.content.decode()
    assert post(desk("officer1"), "/staff/reports/audit-export/", {"fiscal_year": "2569"}).status_code == 403
    assert AuditExport.objects.count() == 1
