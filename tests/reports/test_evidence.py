"""The ITA evidence pack (reports/evidence.py): a folder per configured checklist item with its document, the
printed pages read back, the published reports as published, the participation evidence, an index and checksums."""

import hashlib
import io
import subprocess
import zipfile
from datetime import datetime, timedelta

import pytest
import time_machine

from core.calendar import BANGKOK
from core.models import Category, EvidenceItem, Report
from reports.documents import report_files_make
from reports.evidence import evidence_pack
from tests.conftest import submit, user_named
from tests.workflows.test_transition_table import resolved
from tests.workspace.conftest import desk, post  # noqa: F401 - desk is a fixture
from workflows.consultation import OpinionInput, opinion_submit
from workflows.reports import report_analysis_write, report_approve, report_draft, report_publish
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 10, 15, 10, 0, tzinfo=BANGKOK)


def move(case, name: str, **params) -> None:
    case_transition(tracking=case.tracking_number, name=name, actor=user_named("director"), params=params)


@pytest.fixture
def year(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=BANGKOK), tick=True):
        item = submit("codecision", title="ปรับเวลาเข้าเรียนของโรงเรียนในสังกัด", unit_code="personnel").case
        move(item, "open_consultation", opens_at=datetime(2026, 3, 2, 9, 0, tzinfo=BANGKOK),
             closes_at=datetime(2026, 3, 16, 16, 0, tzinfo=BANGKOK), committee="participation")
        for group in ("parents", "parents", ""):
            opinion_submit(tracking=item.tracking_number, opinion=OpinionInput(stance="support", body="เห็นด้วย",
                                                                               answers={}, group=group))
        move(item, "start_deliberation")
        move(item, "decide", decision="เห็นชอบให้เข้าเรียนเวลา 08.30 น.", resolution=resolved(item).pk)
        move(item, "start_implementation")
        suggestion = submit("suggestion", title="ขอให้มีจุดรับส่งนักเรียนหน้าโรงเรียน").case
        move(suggestion, "assign", assignee="officer1")
        case_transition(tracking=suggestion.tracking_number, name="consider", actor=user_named("officer1"))
        case_transition(tracking=suggestion.tracking_number, name="adopt", actor=user_named("officer1"),
                        params={"answer": "จัดจุดรับส่งแล้วตั้งแต่ภาคเรียนที่ 1"})
    with time_machine.travel(NOW, tick=True):
        director = user_named("director")
        report = report_draft(period_code="2569", scope="complaint", actor=director)
        report_analysis_write(report_id=report.pk, analysis="วิเคราะห์", improvements="ปรับปรุง", actor=director)
        report_approve(report_id=report.pk, actor=director)
        report_files_make(report_id=report.pk)
        report_publish(report_id=report.pk, actor=director)
        yield Report.objects.get(pk=report.pk)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "page.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pack_of_a_fiscal_year(year, tmp_path):
    with time_machine.travel(NOW, tick=True):
        name, content = evidence_pack(fiscal_year=2569, now=NOW + timedelta(minutes=5))
    assert name == "rabfang-ita-2569.zip"
    files = zipfile.ZipFile(io.BytesIO(content))
    contents = {path: files.read(path) for path in files.namelist()}
    for line in contents["SHA256SUMS"].decode().splitlines():
        digest, path = line.split("  ", 1)
        assert hashlib.sha256(contents[path]).hexdigest() == digest, path
    guideline = pdf_text(contents["O27 แนวปฏิบัติการจัดการเรื่องร้องเรียน/guideline.pdf"], tmp_path)
    assert "15 วันทำการ" in guideline and "ปีงบประมาณ 2569" in guideline
    assert "ช่องทาง" in pdf_text(contents["O26 ช่องทางการแจ้งเรื่องร้องเรียน/channels.pdf"], tmp_path)
    assert "หน่วยตรวจสอบภายใน" in pdf_text(
        contents["O28 ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ/corruption_channel.pdf"], tmp_path)
    published = {path: data for path, data in contents.items() if path.startswith("O27 ข้อมูลเชิงสถิติ")}
    assert sorted(path.rsplit(".", 1)[1] for path in published) == ["csv", "pdf", "xlsx"]
    assert {hashlib.sha256(data).hexdigest() for data in published.values()} == {
        entry["sha256"] for entry in year.files.values()}  # the files as published, not made again
    participation = "".join(pdf_text(contents["o25 การเปิดโอกาสให้เกิดการมีส่วนร่วม/participation.pdf"],
                                     tmp_path).split())  # (table cells wrap their lines)
    office_service = Category.objects.get(kind="suggestion", code="office-service").name_th
    for text in ("ปรับเวลาเข้าเรียน", "เห็นชอบให้เข้าเรียนเวลา", "เห็นด้วย 2 ไม่เห็นด้วย 0 งดออกเสียง 1", office_service,
                 "ความคิดเห็น 3 รายการ",
                 "จัดจุดรับส่งแล้ว",
                 "อยู่ระหว่างดำเนินการตามมติ"):
        assert "".join(text.split()) in participation, text
    assert "ขอให้มีจุดรับส่ง" not in participation  # the citizen's own words are not published
    index = contents["index.html"].decode()
    assert "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริต" in index
    assert "ยังไม่มีเอกสารที่เผยแพร่สำหรับรายการนี้ในปีงบประมาณนี้" in index  # no corruption report published


def test_a_year_with_its_own_checklist(year):
    EvidenceItem.objects.create(fiscal_year=2569, code="O99", title="คู่มือการจัดการเรื่องร้องเรียน", document="guideline")
    with time_machine.travel(NOW, tick=True):
        _, content = evidence_pack(fiscal_year=2569, now=NOW)
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert sorted(names) == ["O99 คู่มือการจัดการเรื่องร้องเรียน/guideline.pdf", "SHA256SUMS", "index.html"]


def test_the_years_closed_surveys_are_printed_with_their_results(year, tmp_path):
    from tests.participation.test_surveys import answer, make_survey

    with time_machine.travel(datetime(2026, 5, 4, 10, 0, tzinfo=BANGKOK), tick=True):
        survey = make_survey(closes_at=datetime(2026, 6, 30, 16, 30, tzinfo=BANGKOK))
        answer(survey, scale=5, group="parents")
        answer(survey, scale=2, group="community")
    EvidenceItem.objects.create(fiscal_year=2569, code="O30", title="ผลการสำรวจความพึงพอใจ", document="surveys")
    with time_machine.travel(NOW, tick=True):
        _, content = evidence_pack(fiscal_year=2569, now=NOW)
    printed = pdf_text(zipfile.ZipFile(io.BytesIO(content)).read("O30 ผลการสำรวจความพึงพอใจ/surveys.pdf"), tmp_path)
    printed = "".join(printed.split())
    for text in ("ความพึงพอใจต่อการให้บริการ", "ความพึงพอใจโดยรวม", "เฉลี่ย3.5จาก5", "เครือข่ายผู้ปกครอง:5.0"):
        assert text in printed, text


def test_the_page(desk, year):  # noqa: F811
    with time_machine.travel(NOW, tick=True):
        response = post(desk("auditor1"), "/staff/reports/evidence/", {"fiscal_year": "2569"})
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        assert hashlib.sha256(response.content).hexdigest() == response["X-Content-SHA256"]
        assert post(desk("auditor1"), "/staff/reports/evidence/", {"fiscal_year": "2400"}).status_code == 400
        assert post(desk("officer1"), "/staff/reports/evidence/", {"fiscal_year": "2569"}).status_code == 403
