"""The public statistics page (/stats/) and the handling guideline (/guideline/): thin views over
core.statistics and reports.guideline."""

import logging

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import NotFound
from core.models import Report
from core.statistics import period_statistics
from reports.charts import statistics_charts
from reports.documents import CONTENT_TYPES, report_title
from reports.forms import StatisticsPeriodForm
from reports.guideline import guideline_read
from workflows.reports import report_published_get, reports_published

logger = logging.getLogger(__name__)

# How long a rendered set of figures is served before the snapshot is read again (the figures themselves are
# refreshed by beat every ten minutes: core.statistics).
FIGURES_CACHE_SECONDS = 60


@require_http_methods(["GET", "HEAD"])
def statistics(request):
    now = timezone.now()
    form = StatisticsPeriodForm(request.GET or None, now=now)
    period = form.period()

    def content() -> dict:
        figures = period_statistics(period, now=now)
        return {"figures": figures, "charts": statistics_charts(figures)}

    # The figures and the published reports are read only when the page's cached body has expired (a template
    # evaluates a lazy object on its first use); the body is cached per period and language, not when the form
    # has errors.
    return render(request, "reports/statistics.html", {
        "form": form, "period": period, "content": SimpleLazyObject(content),
        "cache_seconds": FIGURES_CACHE_SECONDS, "title": _("Complaint and suggestion statistics"),
        "published": SimpleLazyObject(lambda: [(report, report_title(report.scope))
                                               for report in reports_published(period.fiscal_year)]),
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD"])
def published_file(request, report_id: int, fmt: str):
    """A published report's file; nothing of a report that is not published."""
    try:
        report = report_published_get(report_id)
    except NotFound as error:
        raise Http404 from error
    if fmt not in report.files:
        raise Http404
    return file_response(report, fmt)


def file_response(report: Report, fmt: str) -> FileResponse:
    entry = report.files[fmt]
    name = f"rabfang-{report.period}-{report.scope}-v{report.version}.{fmt}"
    try:
        stored = default_storage.open(entry["name"], "rb")
    except FileNotFoundError as error:
        logger.error("report %s: its %s file %s is missing from the storage", report.pk, fmt, entry["name"])
        raise Http404 from error
    response = FileResponse(stored, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])
    response["X-Content-SHA256"] = entry["sha256"]
    return response


@require_http_methods(["GET", "HEAD"])
def guideline(request):
    return render(request, "reports/guideline.html", {"guideline": guideline_read()})


def published_report_entry(request, report: Report) -> dict:
    """A published report as the public API lists it."""
    correction = getattr(report, "correction", None)
    return {
        "period": report.period, "scope": report.scope, "version": report.version,
        "title": report_title(report.scope), "published_at": report.published_at,
        "corrected_by_version": correction.version if correction and correction.published_at else None,
        "correction_note": report.correction_note,
        "files": {fmt: {"url": request.build_absolute_uri(reverse("reports:published-file", args=[report.pk, fmt])),
                        "sha256": entry["sha256"], "size": entry["size"]} for fmt, entry in report.files.items()},
    }
