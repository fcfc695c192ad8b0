"""What a probe of the reports found, kept fixed: another digit script naming the same year, two drafts of one period
at once, a duplicate task's failure after publication, the files sweep, control characters, formulas in CSV, citizens'
words in the published evidence, archive paths, the first fiscal year, a missing stored file, and administrators and
corruption reports."""

import csv
import io
import os
import threading
import zipfile
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection

import reports.documents as documents
import workflows.reports as reports
from core.calendar import BANGKOK
from core.errors import Conflict
from core.models import Category, EvidenceItem, FilesStatus, Report, StatisticsSnapshot
from reports.documents import RenderFailed, report_files_make
from reports.evidence import evidence_pack, participation_activities
from tests.conftest import submit, user_named
from tests.workspace.conftest import desk, post  # noqa: F401 - desk is a fixture
from workflows.reports import (
    report_analysis_write,
    report_approve,
    report_draft,
    report_files_sweep,
    report_get,
    report_publish,
)
from workflows.transitions import case_transition

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=BANGKOK)


@pytest.fixture
def travelled(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=True):
        submit()
        yield


def approved() -> Report:
    head, director = user_named("supervisor1"), user_named("director")
    report = report_draft(period_code="2569-H1", scope="complaint", actor=head)
    report_analysis_write(report_id=report.pk, analysis="ปัญหา", improvements="แก้ไข", actor=head)
    report_approve(report_id=report.pk, actor=director)
    return Report.objects.get(pk=report.pk)


def published() -> Report:
    report = approved()
    report_files_make(report_id=report.pk)
    return report_publish(report_id=report.pk, actor=user_named("director"))


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["๒๕๖๙", "２５６９", "٢٥٦٩", "2๕6٩"])
def test_a_year_in_another_digit_script_is_refused(api, travelled, year):
    assert api.get("/api/v1/public/stats/", {"fiscal_year": year}).status_code == 400
    assert api.get("/api/v1/public/stats/", {"period": f"{year}-H1"}).status_code == 400
    assert not StatisticsSnapshot.objects.exists()


@pytest.mark.django_db
def test_the_first_fiscal_year_and_its_october(api, travelled):
    assert api.get("/api/v1/public/stats/", {"period": "2500"}).status_code == 200
    assert api.get("/api/v1/public/stats/", {"period": "2499-10"}).status_code == 200
    assert api.get("/api/v1/public/stats/", {"period": "2499-09"}).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_two_drafts_of_one_period_at_once_give_one_report_and_a_conflict(demo, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    computing, real = threading.Event(), reports.statistics_compute
    outcomes = []

    def slow_compute(*args, **kwargs):
        computing.set()
        return real(*args, **kwargs)

    monkeypatch.setattr(reports, "statistics_compute", slow_compute)

    def draft(username: str) -> None:
        try:
            with time_machine.travel(datetime(2026, 4, 1, 6, 0, tzinfo=BANGKOK), tick=True):
                report_draft(period_code="2569-03", scope="complaint", actor=user_named(username))
            outcomes.append("drafted")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    first = threading.Thread(target=draft, args=("supervisor1",))
    first.start()
    computing.wait(timeout=10)  # the first is inside its transaction, holding the period's lock
    second = threading.Thread(target=draft, args=("director",))
    second.start()
    first.join(30)
    second.join(30)
    assert sorted(outcomes) == ["conflict", "drafted"] and Report.objects.count() == 1


@pytest.mark.django_db
def test_a_duplicate_task_failing_after_publication_changes_nothing(travelled, monkeypatch):
    report, real = approved(), documents.report_pdf

    def the_other_run_finishes_then_this_one_fails(this):
        monkeypatch.setattr(documents, "report_pdf", real)
        report_files_make(report_id=this.pk)
        report_publish(report_id=this.pk, actor=user_named("director"))
        raise RenderFailed("chromium timed out")

    monkeypatch.setattr(documents, "report_pdf", the_other_run_finishes_then_this_one_fails)
    report_files_make(report_id=report.pk)
    report.refresh_from_db()
    assert report.files_status == FilesStatus.READY and report.files_error == ""
    assert [event.action for event in report.events.all()][-1] == "published"


@pytest.mark.django_db
def test_the_sweep_asks_again_only_after_the_latest_change(travelled):
    head = user_named("supervisor1")
    report = report_draft(period_code="2569-H1", scope="complaint", actor=head)
    report_files_make(report_id=report.pk)
    later = NOW + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        report_analysis_write(report_id=report.pk, analysis="ปัญหา", improvements="แก้ไข", actor=head)
    assert report_files_sweep(now=later + timedelta(seconds=1)) == []
    assert report_files_sweep(now=later + timedelta(minutes=11)) == [report.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("character", ["\x0b", "\x0c", "\x01", "\x1b"])
def test_control_characters_in_the_analysis_do_not_block_the_files(travelled, desk, character):  # noqa: F811
    report = report_draft(period_code="2569-H1", scope="complaint", actor=user_named("supervisor1"))
    response = post(desk("supervisor1"), f"/staff/reports/{report.pk}/analysis/",
                    {"analysis": f"ปัญหา{character}ข้อที่สอง", "improvements": "แก้ไข"})
    assert response.status_code == 302
    report_files_make(report_id=report.pk)
    report.refresh_from_db()
    assert report.files_status == FilesStatus.READY, report.files_error
    assert report.analysis in ("ปัญหา\nข้อที่สอง", "ปัญหาข้อที่สอง")


@pytest.mark.django_db
def test_a_formula_in_a_category_name_stays_text_in_the_public_csv(travelled, staff, client):
    category = Category.objects.get(kind="complaint", code="teacher-conduct")
    assert staff("admin").patch(f"/api/v1/admin/categories/{category.pk}/",
                                {"name_th": '=HYPERLINK("http://evil.example","ดู")'}, format="json").status_code == 200
    report = published()
    body = b"".join(client.get(f"/stats/reports/{report.pk}/csv/").streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\",\"ดู\")" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@")]


@pytest.mark.django_db
def test_the_published_evidence_does_not_carry_a_citizens_words(travelled):
    suggestion = submit("suggestion", title="นายสมชาย ใจร้าย 0812345678 ขอให้ย้ายครู").case
    case_transition(tracking=suggestion.tracking_number, name="assign", actor=user_named("director"),
                    params={"assignee": "officer1"})
    case_transition(tracking=suggestion.tracking_number, name="consider", actor=user_named("officer1"))
    case_transition(tracking=suggestion.tracking_number, name="adopt", actor=user_named("officer1"),
                    params={"answer": "จัดจุดรับส่งแล้ว"})
    [activity] = participation_activities(2569)
    assert activity.topic == suggestion.category.name_th and activity.results == "จัดจุดรับส่งแล้ว"
    assert "0812345678" not in str(vars(activity)) and suggestion.tracking_number not in str(vars(activity))


@pytest.mark.django_db
def test_archive_paths_stay_inside_the_archive(travelled):
    EvidenceItem.objects.all().delete()
    EvidenceItem.objects.create(code="..", title="/", document="guideline")
    EvidenceItem.objects.create(code="/", title="\x01", document="channels")
    names = zipfile.ZipFile(io.BytesIO(evidence_pack(fiscal_year=2569, now=NOW)[1])).namelist()
    assert not [name for name in names if name.startswith(("/", "..")) or "/../" in name], names


@pytest.mark.django_db
def test_a_missing_stored_file_is_404_not_500(travelled, client):
    report = published()
    os.remove(default_storage.path(report.files["pdf"]["name"]))
    assert client.get(f"/stats/reports/{report.pk}/pdf/").status_code == 404
    with pytest.raises(RenderFailed):
        evidence_pack(fiscal_year=2569, now=NOW)


@pytest.mark.django_db
def test_administrators_read_no_corruption_report(travelled):
    report = report_draft(period_code="2569-H1", scope="corruption", actor=user_named("integrity1"))
    from core.errors import NotFound

    with pytest.raises(NotFound):
        report_get(report_id=report.pk, user=user_named("admin"))
    assert report_get(report_id=report.pk, user=user_named("auditor1")) == report
