"""Report documents and their sign-off (reports/documents.py, workflows/reports.py), on the known year of
tests/core/test_statistics.py: the PDF read back as text and as page images (pdftotext, pdftoppm), the XLSX read
back with openpyxl, the CSV as Excel reads it; a failed print; every refusal of the sign-off; and the
reports.generate task in a real worker."""

import csv
import io
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import FilesStatus, Report, ReportStatus
from reports.documents import report_files_make
from tests.browser import ARTIFACTS
from tests.conftest import user_named
from tests.core.test_statistics import AFTER_THE_YEAR, year  # noqa: F401 - the known year, a fixture
from tests.workers.conftest import task_results, worker_process  # noqa: F401 - fixtures
from workflows.reports import (
    report_analysis_write,
    report_approve,
    report_correct,
    report_draft,
    report_publish,
)

ANALYSIS = "เรื่องร้องเรียนส่วนใหญ่เกี่ยวกับพฤติกรรมครู ดำเนินการแล้วเสร็จภายในเวลาที่กำหนดเกือบทั้งหมด"
IMPROVEMENTS = "สำนักงานจัดอบรมจรรยาบรรณครูและปรับขั้นตอนการตรวจสอบข้อเท็จจริงให้รวดเร็วขึ้น"


@pytest.fixture
def travelled():
    with time_machine.travel(AFTER_THE_YEAR, tick=True):
        yield


def stored(report: Report, name: str) -> bytes:
    with default_storage.open(report.files[name]["name"], "rb") as file:
        return file.read()


def drafted(scope: str = "complaint") -> Report:
    report = report_draft(period_code="2569", scope=scope, actor=user_named("supervisor1" if scope != "corruption"
                                                                            else "integrity1"))
    report_files_make(report_id=report.pk)
    return Report.objects.get(pk=report.pk)


@pytest.mark.django_db
def test_the_signed_off_report_in_pdf_xlsx_and_csv(year, travelled, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    report = drafted()
    assert report.files_status == FilesStatus.READY and set(report.files) == {"pdf", "xlsx", "csv"}
    director = user_named("director")
    report_analysis_write(report_id=report.pk, analysis=ANALYSIS, improvements=IMPROVEMENTS,
                          actor=user_named("supervisor1"))
    report_approve(report_id=report.pk, actor=director)
    report_files_make(report_id=report.pk)
    report = report_publish(report_id=report.pk, actor=director)
    assert report.status == ReportStatus.PUBLISHED

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(stored(report, "pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout
    for thai in ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษานครสวรรค์", "ดำเนินการแล้วเสร็จ", "รายงานผลการจัดการข้อร้องเรียน",
                 "ปีงบประมาณ พ.ศ. 2569", "ไม่มีเรื่องร้องเรียน", ANALYSIS[:30], "อนุมัติ"):
        assert thai in text, thai
    assert "สํา" not in text and "ดาเนิน" not in text  # SARA AM kept whole, not split or dropped
    folder = ARTIFACTS / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(folder / "report-page")],
                   check=True)
    assert (folder / "report-page-1.png").exists()
    assert "Sarabun" in subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout

    book = load_workbook(io.BytesIO(stored(report, "xlsx")))
    summary = {row[0]: row[1] for row in book["สรุปผล"].iter_rows(values_only=True) if row and row[0]}
    assert summary["เรื่องที่รับ"] == 6 and summary["ดำเนินการแล้วเสร็จ"] == 5  # complaints only: A, B, C, E, F, I
    assert summary["การวิเคราะห์ปัญหา"] == ANALYSIS
    months = list(book["รายเดือน"].iter_rows(values_only=True))
    assert months[0][:2] == ("เดือน", "เรื่องที่รับ") and months[1][:2] == ("ต.ค. 2568", 1)
    assert months[3][:4] == ("ธ.ค. 2568", 3, 2, 1) and len(book["รายเดือน"]._charts) == 1

    raw = stored(report, "csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["ส่วน", "รายการ", "เรื่องที่รับ", "ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ"]
    assert ["รายเดือน", "พ.ย. 2568", "2", "2", "0"] in rows  # B and C (D is a suggestion)


@pytest.mark.django_db
def test_the_corruption_report_counts_stages_only(year, travelled, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    report = drafted("corruption")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(stored(report, "pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "เรื่องร้องเรียนการทุจริต" in text and "อยู่ระหว่างแสวงหาข้อเท็จจริง" in text and "ได้ข้อยุติ" in text
    assert "ไม่มีมูล" not in text  # G's dismissal is not told before the conclusion
    assert "ร่าง" in text  # not approved: the cover says so


@pytest.mark.django_db
def test_a_report_that_cannot_be_printed_is_marked_failed_and_cannot_be_published(year, travelled, settings,  # noqa: F811
                                                                                  tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CHROMIUM_PATH = str(tmp_path / "no-browser-here")
    report = drafted()
    assert report.files_status == FilesStatus.FAILED and "no-browser-here" in report.files_error
    assert report.files == {} and not any(tmp_path.rglob("*.xlsx"))  # nothing half-made is kept
    assert [event.action for event in report.events.all()] == ["drafted", "files_failed"]
    report_analysis_write(report_id=report.pk, analysis=ANALYSIS, improvements=IMPROVEMENTS,
                          actor=user_named("director"))
    report_approve(report_id=report.pk, actor=user_named("director"))
    report_files_make(report_id=report.pk)
    with pytest.raises(Conflict):
        report_publish(report_id=report.pk, actor=user_named("director"))


@pytest.mark.django_db
def test_the_sign_off_refuses_out_of_turn_and_out_of_role(year, travelled, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(PermissionDenied):
        report_draft(period_code="2569", scope="complaint", actor=user_named("officer1"))
    with pytest.raises(PermissionDenied):
        report_draft(period_code="2569", scope="corruption", actor=user_named("supervisor1"))
    with pytest.raises(ValidationFailed):
        report_draft(period_code="2571", scope="complaint", actor=user_named("director"))
    report = report_draft(period_code="2569", scope="complaint", actor=user_named("supervisor1"))
    with pytest.raises(Conflict):
        report_draft(period_code="2569", scope="complaint", actor=user_named("director"))
    with pytest.raises(Conflict):
        report_approve(report_id=report.pk, actor=user_named("director"))  # no analysis yet
    with pytest.raises(ValidationFailed) as empty:
        report_analysis_write(report_id=report.pk, analysis="  ", improvements=IMPROVEMENTS,
                              actor=user_named("supervisor1"))
    assert "analysis" in empty.value.fields
    report_analysis_write(report_id=report.pk, analysis=ANALYSIS, improvements=IMPROVEMENTS,
                          actor=user_named("supervisor1"))
    with pytest.raises(PermissionDenied):
        report_approve(report_id=report.pk, actor=user_named("supervisor1"))
    report_approve(report_id=report.pk, actor=user_named("director"))
    with pytest.raises(Conflict):  # the approved revision's files are not made yet
        report_publish(report_id=report.pk, actor=user_named("director"))
    report_files_make(report_id=report.pk)
    report_publish(report_id=report.pk, actor=user_named("director"))
    with pytest.raises(Conflict):
        report_analysis_write(report_id=report.pk, analysis="แก้", improvements="แก้", actor=user_named("director"))
    assert report_files_make(report_id=report.pk) is False  # a published report's files are never made again

    correction = report_correct(report_id=report.pk, note="แก้ไขจำนวนเรื่องเดือนธันวาคม", actor=user_named("director"))
    assert (correction.version, correction.corrects_id, correction.status) == (2, report.pk, ReportStatus.DRAFT)
    with pytest.raises(Conflict):
        report_correct(report_id=report.pk, note="อีกครั้ง", actor=user_named("director"))
    assert [e.action for e in Report.objects.get(pk=report.pk).events.all()] == [
        "drafted", "analysed", "approved", "files_made", "published"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_the_files(demo, worker_process, settings):  # noqa: F811
    report = report_draft(period_code="2570", scope="complaint", actor=user_named("director"))
    deadline = time.monotonic() + 90
    while Report.objects.get(pk=report.pk).files_status in (FilesStatus.PENDING, FilesStatus.RUNNING):
        assert time.monotonic() < deadline, "the worker did not make the files"
        time.sleep(0.2)
    report.refresh_from_db()
    assert report.files_status == FilesStatus.READY, report.files_error
    assert stored(report, "pdf").startswith(b"%PDF")
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "reports", ignore_errors=True)


@pytest.mark.django_db
def test_beat_drafts_the_month_and_the_half_year_once(demo, settings, tmp_path):
    from datetime import datetime

    from core.calendar import BANGKOK
    from workflows.reports import reports_scheduled_draft

    settings.MEDIA_ROOT = tmp_path
    april_first = datetime(2026, 4, 1, 6, 0, tzinfo=BANGKOK)
    drafted = reports_scheduled_draft(now=april_first)
    assert sorted((report.period, report.scope) for report in drafted) == [
        ("2569-03", "complaint"), ("2569-03", "corruption"), ("2569-H1", "complaint"), ("2569-H1", "corruption")]
    assert all(report.created_by is None and report.status == ReportStatus.DRAFT for report in drafted)
    assert reports_scheduled_draft(now=april_first) == []  # twice: nothing more
    assert [(r.period, r.scope) for r in reports_scheduled_draft(now=datetime(2026, 5, 1, 6, 0, tzinfo=BANGKOK))] == [
        ("2569-04", "complaint"), ("2569-04", "corruption")]
    report = Report.objects.get(period="2569-H1", scope="complaint")
    report_files_make(report_id=report.pk)
    report.refresh_from_db()
    assert report.files_status == FilesStatus.READY  # a head takes it from here: analysis, approval, publication


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_stays_text_in_the_xlsx(year, travelled, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    report = drafted()
    report_analysis_write(report_id=report.pk, analysis='=HYPERLINK("http://example.com","คลิก")',
                          improvements="@SUM(1)", actor=user_named("supervisor1"))
    report_files_make(report_id=report.pk)
    report.refresh_from_db()
    sheet = load_workbook(io.BytesIO(stored(report, "xlsx")))["สรุปผล"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows() if row[0].value}
    assert cells["การวิเคราะห์ปัญหา"].value.startswith("=HYPERLINK") and cells["การวิเคราะห์ปัญหา"].data_type == "s"
    assert cells["การปรับปรุงแก้ไข"].data_type == "s"
