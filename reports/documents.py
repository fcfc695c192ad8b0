"""A report's files, as offices publish them: PDF (printed by headless Chromium from an HTML page, with the full
Sarabun TrueType fonts embedded, so that the text layer reads back as the Thai it shows), XLSX (openpyxl, a sheet
per table and a native chart) and CSV (UTF-8 with a byte-order mark, so that Excel opens the Thai).

``report_files_make`` is the reports.generate task's work: it is idempotent, and it stores nothing half-made. The
files of one revision are stored together, or the report is marked failed with the reason."""

import csv
import hashlib
import io
import logging
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.models import FilesStatus, Report, ReportEvent, ReportStatus
from core.spreadsheets import spreadsheet_safe
from core.statistics import statistics_labelled
from portal.selectors import office_published
from reports.charts import statistics_charts

logger = logging.getLogger(__name__)
FONTS = Path(__file__).resolve().parent / "fonts"
PRINT_TIMEOUT_SECONDS = 60
CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8"}


class RenderFailed(Exception):
    pass


def report_files_make(*, report_id: int) -> bool:
    """Make the files of the report's current revision; False if there was nothing to do."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == ReportStatus.PUBLISHED or (
                report.files_status == FilesStatus.READY and report.files_revision == report.revision):
            return False
        report.files_status = FilesStatus.RUNNING
        report.save(update_fields=["files_status"])
        revision = report.revision
    try:
        with translation.override("th"):
            made = {"pdf": report_pdf(report), "xlsx": report_xlsx(report), "csv": report_csv(report)}
    except Exception as error:  # noqa: BLE001 - whatever went wrong is the report's failure, with its reason
        logger.exception("report %s: files failed", report_id)
        _failed(report_id, revision, error)
        return True
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.revision != revision or report.status == ReportStatus.PUBLISHED:
            return True  # changed meanwhile: the task asked for by that change makes the new files
        stem = f"reports/{report.period}-{report.scope}-v{report.version}-r{revision}"
        files = {}
        for name, content in made.items():
            stored = default_storage.save(f"{stem}.{name}", ContentFile(content))
            files[name] = {"name": stored, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        report.files, report.files_revision, report.files_status, report.files_error = (
            files, revision, FilesStatus.READY, "")
        report.save(update_fields=["files", "files_revision", "files_status", "files_error"])
        ReportEvent.objects.create(report=report, at=timezone.now(), action="files_made",
                                   data={"revision": revision, **{n: f["sha256"] for n, f in files.items()}})
    return True


def _failed(report_id: int, revision: int, error: Exception) -> None:
    reason = f"{type(error).__name__}: {error}"[:2_000]
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.revision != revision or report.status == ReportStatus.PUBLISHED or (
                report.files_status == FilesStatus.READY and report.files_revision == revision):
            return  # changed meanwhile, or another run of the task made these files: its success stands
        report.files_status, report.files_error = FilesStatus.FAILED, reason
        report.save(update_fields=["files_status", "files_error"])
        ReportEvent.objects.create(report=report, at=timezone.now(), action="files_failed",
                                   data={"revision": revision, "reason": reason})


def document_context(report: Report) -> dict:
    figures = statistics_labelled(report.figures)
    return {"report": report, "figures": figures, "charts": statistics_charts(figures), "office": office_published(),
            "title": report_title(report.scope), "fonts": FONTS.as_uri(),
            "approver": _name(report.approved_by), "analyst": _name(report.analysed_by)}


def report_title(scope: str) -> str:
    return {
        "complaint": _("Report on the handling of complaints"),
        "corruption": _("Report on corruption and misconduct reports"),
        "suggestion": _("Report on suggestions and opinions"),
        "codecision": _("Report on co-decision items"),
    }.get(scope, _("Report on complaints, suggestions and corruption reports"))


def report_pdf(report: Report) -> bytes:
    return html_pdf(render_to_string("reports/document.html", document_context(report)))


def html_pdf(html: str) -> bytes:
    """A print page (with reports/_print_style.html: A4, the Sarabun fonts) printed to PDF by headless Chromium."""
    with tempfile.TemporaryDirectory(prefix="rabfang-print-") as folder:
        page, pdf = Path(folder) / "page.html", Path(folder) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        command = [settings.CHROMIUM_PATH, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--disable-dev-shm-usage", f"--user-data-dir={folder}/profile", "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf}", page.as_uri()]
        try:
            run = subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise RenderFailed(_("The PDF could not be printed: %(error)s") % {"error": error}) from error
        if run.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
            raise RenderFailed(_("The PDF could not be printed (the browser ended with %(code)s).")
                               % {"code": run.returncode})
        return pdf.read_bytes()


def report_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    figures = statistics_labelled(report.figures)
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")
    bold = Font(bold=True)
    rows = [[report_title(report.scope)], [figures["period"]["label"]],
            [_("Figures as of"), figures["as_of"].astimezone(timezone.get_current_timezone()).replace(tzinfo=None)],
            [_("Version"), report.version], []]
    rows += [[label, value] for label, value in _summary_rows(figures)]
    rows += [[], [_("Analysis of problems"), report.analysis], [_("Improvements"), report.improvements],
             [_("Approved by"), _name(report.approved_by) or _("Not approved yet")]]
    for row in rows:
        _append(summary, row)
    summary["A1"].font = Font(bold=True, size=14)
    summary.column_dimensions["A"].width = 42
    summary.column_dimensions["B"].width = 60
    for name, header, table in _tables(figures):
        sheet = book.create_sheet(name[:31])
        _append(sheet, header)
        for cell in sheet[1]:
            cell.font = bold
        for row in table:
            _append(sheet, row)
        sheet.column_dimensions["A"].width = 36
    months = book[_("By month")[:31]]
    chart = BarChart()
    chart.title = _("Cases received and completed, by month")
    chart.add_data(Reference(months, min_col=2, max_col=3, min_row=1, max_row=months.max_row), titles_from_data=True)
    chart.set_categories(Reference(months, min_col=1, min_row=2, max_row=months.max_row))
    chart.width, chart.height = 24, 10
    months.add_chart(chart, "G2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append(sheet, row: list) -> None:
    """A row of values, text kept as text: an analysis or a name that starts with "=" must not become a formula."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def report_csv(report: Report) -> bytes:
    """Every table of the report in one long table: section, item, then the counts."""
    figures = statistics_labelled(report.figures)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Section"), _("Item"), pgettext("figures", "Received"), pgettext("figures", "Completed"),
                     pgettext("figures", "In progress")])
    for name, _header, table in _tables(figures):
        for row in table:
            writer.writerow([spreadsheet_safe(value) for value in (name, *row[:4])])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _summary_rows(figures: dict) -> list[tuple[str, object]]:
    totals, resolve = figures["totals"], figures["clocks"]["resolve"]
    satisfaction = figures["satisfaction"]
    return [
        (pgettext("figures", "Received"), totals["received"]), (pgettext("figures", "Completed"), totals["completed"]),
        (pgettext("figures", "In progress"), totals["in_progress"]),
        (_("Answered on time"), resolve["on_time"]), (_("Answered late"), resolve["late"]),
        (_("Overdue, not answered"), resolve["overdue"]),
        (_("Median days to answer"), resolve["median_days"]), (_("90%% answered within (days)"), resolve["p90_days"]),
        (_("Average satisfaction (of 5)"), satisfaction["average"]), (_("Ratings given"), satisfaction["rated"]),
        (_("Reopened"), totals["reopened"]), (_("Escalated"), totals["escalated"]),
    ]


def _tables(figures: dict) -> list[tuple[str, list[str], list[list]]]:
    counts = [pgettext("figures", "Received"), pgettext("figures", "Completed"), pgettext("figures", "In progress")]

    def rows(items) -> list[list]:
        return [[item["label"], item["received"], item["completed"], item["in_progress"]] for item in items]

    tables = [
        (_("By month"), [_("Month"), *counts, _("Corruption reports")],
         [[m["label"], m["received"], m["completed"], m["in_progress"], m["sealed"]] for m in figures["months"]]),
        (_("By kind"), [_("Kind"), *counts], rows(figures["by_kind"])),
        (_("By channel"), [_("Channel"), *counts], rows(figures["by_channel"])),
        (_("Topics"), [_("Topic"), *counts], rows(figures["by_category"])),
        (_("Responsible units"), [_("Unit"), *counts], rows(figures["by_unit"])),
        (_("Stage"), [_("Stage"), pgettext("figures", "Received")],
         [[f'{row["label"]}', row["received"]] for row in figures["by_status"]]),
    ]
    return tables


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""
