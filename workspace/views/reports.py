"""Reports in the workspace (docs/reports.md): the list, a new report from any period's figures (the dashboard opens
this with its period), and a report's page: its figures, its files as they are being made, the analysis, the
director's approval and publication, and a correction of a published report."""

import hashlib

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.audit_export import (
    audit_export_get,
    audit_export_request,
    audit_exports_of,
    export_file_name,
    includes_sealed,
    may_export,
)
from core.choices import Kind
from core.errors import ApplicationError, NotFound, ValidationFailed
from core.models import FilesStatus, ReportStatus
from core.periods import fiscal_year_period
from core.statistics import SCOPES, period_statistics, statistics_labelled
from portal.forms import PortalForm
from reports.documents import CONTENT_TYPES, RenderFailed, report_title
from reports.evidence import evidence_items, evidence_pack
from reports.forms import StatisticsPeriodForm, fiscal_year_choices
from reports.views import file_response
from workflows.reports import (
    may_approve,
    may_draft,
    may_read_reports,
    report_analysis_write,
    report_approve,
    report_correct,
    report_draft,
    report_get,
    report_publish,
    reports_for,
)
from workspace.access import staff_page
from workspace.forms import ReportAnalysisForm, ReportCorrectForm, ReportDraftForm
from workspace.views.errors import errors_onto_form, not_found, refusal


def _scopes(user) -> list[str]:
    return [scope for scope in ("complaint", "corruption", "suggestion", "codecision", "all")
            if scope in SCOPES and may_draft(user, scope)]


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def report_list(request):
    now = timezone.now()
    scopes = _scopes(request.user)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = ReportDraftForm(data, now=now, scopes=scopes)
    status = 200
    if request.method == "POST" and not scopes:
        status = 403
    elif request.method == "POST":
        if form.is_valid():
            try:
                report = report_draft(period_code=form.cleaned_data["period"].code, scope=form.cleaned_data["scope"],
                                      actor=request.user, now=now)
            except ValidationFailed as error:
                errors_onto_form(form, error)
            except ApplicationError as error:
                refusal(request, error)
            else:
                messages.success(request, _("The report was drafted; its files are being made."))
                return redirect("workspace:report", report_id=report.pk)
        status = 400
    preview = None
    if scopes and request.method == "GET" and form.is_bound and form.is_valid():
        preview = period_statistics(form.cleaned_data["period"], now=now, scope=form.cleaned_data["scope"])
    return render(request, "workspace/reports.html", {
        "nav": "reports", "form": form, "may_draft": bool(scopes), "reports": reports_for(request.user),
        "preview": preview, "may_export": may_export(request.user), "may_evidence": may_read_reports(request.user),
    }, status=status)


@staff_page
@require_http_methods(["GET", "HEAD"])
def report_page(request, report_id: int):
    try:
        report = report_get(report_id=report_id, user=request.user)
    except NotFound:
        return not_found(request)
    return _render(request, report)


def _render(request, report, forms: dict | None = None, status: int = 200):
    user = request.user
    editable = report.status != ReportStatus.PUBLISHED and may_draft(user, report.scope)
    context = {
        "nav": "reports", "report": report, "title": report_title(report.scope),
        "figures": statistics_labelled(report.figures), "events": report.events.select_related("actor"),
        "files_busy": report.files_status in (FilesStatus.PENDING, FilesStatus.RUNNING),
        "formats": list(CONTENT_TYPES),
        "analysis_form": ReportAnalysisForm(initial={"analysis": report.analysis,
                                                     "improvements": report.improvements}) if editable else None,
        "may_approve": may_approve(user) and report.status == ReportStatus.ANALYSED,
        "may_publish": may_approve(user) and report.status == ReportStatus.APPROVED,
        "correct_form": ReportCorrectForm() if report.status == ReportStatus.PUBLISHED and may_draft(
            user, report.scope) and not hasattr(report, "correction") else None,
        "sealed": report.scope == Kind.CORRUPTION,
    }
    context.update(forms or {})
    return render(request, "workspace/report.html", context, status=status)


def _step(request, report_id: int, act, done: str, form_class=None, form_name: str = ""):
    """A form posted from the report page: the service call, or the page again with the form's errors."""
    try:
        report = report_get(report_id=report_id, user=request.user)
    except NotFound:
        return not_found(request)
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            outcome = act(form.cleaned_data if form else {})
        except ValidationFailed as error:
            if form is None:
                refusal(request, error)
                return redirect("workspace:report", report_id=report.pk)
            errors_onto_form(form, error)
        except ApplicationError as error:
            refusal(request, error)
            return redirect("workspace:report", report_id=report.pk)
        else:
            messages.success(request, done)
            return redirect("workspace:report", report_id=getattr(outcome, "pk", report.pk))
    return _render(request, report, {form_name: form}, status=400)


@staff_page
@require_POST
def report_analysis(request, report_id: int):
    return _step(request, report_id, lambda data: report_analysis_write(
        report_id=report_id, analysis=data["analysis"], improvements=data["improvements"], actor=request.user),
        _("The analysis was saved; the files are being made again."), ReportAnalysisForm, "analysis_form")


@staff_page
@require_POST
def report_approval(request, report_id: int):
    return _step(request, report_id, lambda data: report_approve(report_id=report_id, actor=request.user),
                 _("The report was approved; its files are being made again with your approval on them."))


@staff_page
@require_POST
def report_publication(request, report_id: int):
    return _step(request, report_id, lambda data: report_publish(report_id=report_id, actor=request.user),
                 _("The report was published on the public statistics page."))


@staff_page
@require_POST
def report_correction(request, report_id: int):
    return _step(request, report_id, lambda data: report_correct(report_id=report_id, note=data["note"],
                                                                 actor=request.user),
                 _("A new version was drafted with today's figures."), ReportCorrectForm, "correct_form")


@staff_page
@require_http_methods(["GET", "HEAD"])
def report_file(request, report_id: int, fmt: str):
    try:
        report = report_get(report_id=report_id, user=request.user)
    except NotFound:
        return not_found(request)
    if fmt not in report.files or report.files_revision != report.revision:
        return not_found(request)
    return file_response(report, fmt)


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def audit_export_page(request):
    """The auditor's export: asked for here, made in the background, downloaded from the list when it is ready."""
    if not may_export(request.user):
        return render(request, "workspace/audit_export.html", {"nav": "reports", "denied": True}, status=403)
    now = timezone.now()
    form = StatisticsPeriodForm(request.POST if request.method == "POST" else None, now=now)
    if request.method == "POST" and form.is_valid():
        audit_export_request(period=form.cleaned_data["period"], user=request.user, now=now)
        messages.success(request, _("The export is being made; it appears below when it is ready."))
        return redirect("workspace:audit-export")
    exports = audit_exports_of(request.user)
    return render(request, "workspace/audit_export.html", {
        "nav": "reports", "form": form, "exports": exports, "sealed": includes_sealed(request.user),
        "busy": any(export.status in (FilesStatus.PENDING, FilesStatus.RUNNING) for export in exports),
    }, status=400 if form.errors else 200)


@staff_page
@require_http_methods(["GET", "HEAD"])
def audit_export_download(request, export_id: int):
    try:
        export = audit_export_get(export_id=export_id, user=request.user)
        stored = default_storage.open(export.file, "rb")
    except (NotFound, FileNotFoundError):
        return not_found(request)
    response = FileResponse(stored, as_attachment=True, filename=export_file_name(export),
                            content_type="application/zip")
    response["X-Content-SHA256"] = export.sha256
    return response


class EvidenceForm(PortalForm):
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)

    def __init__(self, *args, now, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = fiscal_year_choices(now)


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def evidence_page(request):
    """The ITA evidence pack of a fiscal year, as one ZIP."""
    if not may_read_reports(request.user):
        return render(request, "workspace/evidence.html", {"nav": "reports", "denied": True}, status=403)
    now = timezone.now()
    form = EvidenceForm(request.POST if request.method == "POST" else None, now=now)
    if request.method == "POST" and form.is_valid():
        try:
            name, content = evidence_pack(fiscal_year=form.cleaned_data["fiscal_year"], now=now)
        except RenderFailed as error:
            messages.error(request, str(error))
        else:
            return _zip_response(name, content)
    return render(request, "workspace/evidence.html", {
        "nav": "reports", "form": form, "items": evidence_items(fiscal_year_period(now).fiscal_year),
    }, status=400 if form.errors else 200)


def _zip_response(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-SHA256"] = hashlib.sha256(content).hexdigest()
    return response
