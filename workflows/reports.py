"""Statistics reports from draft to publication (docs/reports.md): drafted with the period's figures frozen, the
analysis and improvements written by the responsible head, approved by the director, published with its files.
Each step is one transaction that locks the report, records a ReportEvent, and asks for the files again when what
they show changed. A published report never changes: a correction is a new version."""

import re
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import task_names
from core.access import staff_profile
from core.choices import Kind, Role
from core.dispatch import send_task_on_commit
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.models import FilesStatus, Report, ReportEvent, ReportStatus
from core.periods import Period, month_period, period_parse
from core.statistics import SCOPES, period_for_statistics, scope_check, statistics_compute

TEXT_LIMIT = 10_000
# A report whose files were asked for this long ago and are still not made is asked for again (a lost message).
FILES_RETRY_AFTER = timedelta(minutes=10)


def may_draft(user, scope: str) -> bool:
    """Heads of units and the director; for corruption reports, the integrity unit and the director."""
    profile = staff_profile(user)
    if profile.is_director:
        return True
    if scope == Kind.CORRUPTION:
        return bool(profile.integrity_unit_ids)
    return profile.is_head


def may_read(user, report: Report) -> bool:
    """Those who may draft it, auditors, and administrators except for the corruption reports (as they see no sealed
    case, they read no analysis of the sealed channel)."""
    profile = staff_profile(user)
    if may_draft(user, report.scope) or Role.AUDITOR in profile.roles:
        return True
    return Role.ADMIN in profile.roles and report.scope != Kind.CORRUPTION


def may_read_reports(user) -> bool:
    """Who reads reports and assembles the evidence pack: those who draft them, auditors and administrators."""
    profile = staff_profile(user)
    return may_draft(user, Kind.COMPLAINT) or may_draft(user, Kind.CORRUPTION) or bool(
        profile.roles & {Role.AUDITOR, Role.ADMIN})


def may_approve(user) -> bool:
    return staff_profile(user).is_director


def report_get(*, report_id: int, user, lock: bool = False) -> Report:
    rows = Report.objects.select_for_update() if lock else Report.objects.all()
    report = rows.filter(pk=report_id).first()
    if report is None or not may_read(user, report):
        raise NotFound(_("No such report."))
    return report


@transaction.atomic
def report_draft(*, period_code: str, scope: str, actor, now: datetime | None = None) -> Report:
    """A new report of the period (the next version, if there are earlier ones that are not published)."""
    now = now or timezone.now()
    period = period_for_statistics(period_code, now=now)
    scope_check(scope)
    if not may_draft(actor, scope):
        raise PermissionDenied(_("Reports are drafted by heads of units and the director (corruption reports: by "
                                 "the integrity unit)."))
    _period_lock(period, scope)
    latest = Report.objects.filter(period=period.code, scope=scope).order_by("-version").first()
    if latest is not None and latest.status != ReportStatus.PUBLISHED:
        raise Conflict(_("Version %(version)s of this report is still being prepared: finish or correct it.")
                       % {"version": latest.version})
    if latest is not None:
        raise Conflict(_("This report is published: a change is made as a correction of it."))
    report = _report_new(period, scope, actor, now, version=1)
    _event(report, actor, "drafted", now, period=period.code, scope=scope)
    return report


@transaction.atomic
def report_correct(*, report_id: int, note: str, actor, now: datetime | None = None) -> Report:
    """A new version of a published report, with the figures as they are now and a note of what changed."""
    now = now or timezone.now()
    published = report_get(report_id=report_id, user=actor, lock=True)
    if not may_draft(actor, published.scope):
        raise PermissionDenied(_("Only those who may draft this report may correct it."))
    if published.status != ReportStatus.PUBLISHED:
        raise Conflict(_("Only a published report is corrected; change this one directly."))
    if Report.objects.filter(corrects=published).exists():
        raise Conflict(_("This version already has a correction."))
    note = _required_text(note, "note")
    period = period_for_statistics(published.period, now=now)
    report = _report_new(period, published.scope, actor, now, version=published.version + 1, corrects=published,
                         correction_note=note)
    _event(report, actor, "drafted", now, corrects=published.version, note=note)
    return report


@transaction.atomic
def report_analysis_write(*, report_id: int, analysis: str, improvements: str, actor,
                          now: datetime | None = None) -> Report:
    """The head's analysis of the problems and the improvements made; rewriting it withdraws an approval."""
    now = now or timezone.now()
    report = report_get(report_id=report_id, user=actor, lock=True)
    if not may_draft(actor, report.scope):
        raise PermissionDenied(_("The analysis is written by the responsible head or the director."))
    _not_published(report)
    report.analysis = _required_text(analysis, "analysis")
    report.improvements = _required_text(improvements, "improvements")
    report.status, report.analysed_by, report.analysed_at = ReportStatus.ANALYSED, actor, now
    report.approved_by = report.approved_at = None
    _changed(report)
    _event(report, actor, "analysed", now)
    return report


@transaction.atomic
def report_approve(*, report_id: int, actor, now: datetime | None = None) -> Report:
    now = now or timezone.now()
    report = report_get(report_id=report_id, user=actor, lock=True)
    if not may_approve(actor):
        raise PermissionDenied(_("Only the director approves a report."))
    if report.status != ReportStatus.ANALYSED:
        raise Conflict(_("A report is approved once its analysis is written, and only once."))
    report.status, report.approved_by, report.approved_at = ReportStatus.APPROVED, actor, now
    _changed(report)  # the approval is shown on the document: its files are made again
    _event(report, actor, "approved", now)
    return report


@transaction.atomic
def report_publish(*, report_id: int, actor, now: datetime | None = None) -> Report:
    """Publish the approved report with files made from it; an earlier version it corrects stays listed, marked
    as corrected."""
    now = now or timezone.now()
    report = report_get(report_id=report_id, user=actor, lock=True)
    if not may_approve(actor):
        raise PermissionDenied(_("Only the director publishes a report."))
    if report.status != ReportStatus.APPROVED:
        raise Conflict(_("Only an approved report is published."))
    if report.files_status != FilesStatus.READY or report.files_revision != report.revision:
        raise Conflict(_("The report's files are not ready yet: publish it when they are."))
    report.status, report.published_by, report.published_at = ReportStatus.PUBLISHED, actor, now
    report.save()
    _event(report, actor, "published", now, files={name: entry["sha256"] for name, entry in report.files.items()})
    return report


# The reports beat drafts by itself: a month's, and a half year's when one ends (ITA's rounds), of these kinds.
SCHEDULED_SCOPES = (Kind.COMPLAINT, Kind.CORRUPTION)


def reports_scheduled_draft(*, now: datetime) -> list[Report]:
    """Beat, on the first of each month: drafts of the month that ended and, in April and October, of the half year
    that ended, for each of SCHEDULED_SCOPES that has no report of that period yet. The heads take it from there."""
    month = month_period(month_period(now).start - timedelta(days=1))
    periods = [month]
    if month.code.endswith(("-03", "-09")):
        periods.append(period_parse(f"{month.fiscal_year}-{'H1' if month.code.endswith('-03') else 'H2'}"))
    drafted = []
    for period in periods:
        for scope in SCHEDULED_SCOPES:
            with transaction.atomic():
                _period_lock(period, scope)
                if Report.objects.filter(period=period.code, scope=scope).exists():
                    continue
                report = _report_new(period, scope, None, now, version=1)
                _event(report, None, "drafted", now, period=period.code, scope=scope, scheduled=True)
                drafted.append(report)
    return drafted


def report_files_sweep(*, now: datetime) -> list[int]:
    """Ask again for files that were asked for long ago and never made (a message lost on the way)."""
    stale = list(Report.objects.filter(files_status__in=[FilesStatus.PENDING, FilesStatus.RUNNING]).exclude(
        status=ReportStatus.PUBLISHED).annotate(last_change=Max("events__at")).filter(
        last_change__lt=now - FILES_RETRY_AFTER).values_list("pk", flat=True))
    for report_id in stale:
        send_task_on_commit(task_names.REPORTS_GENERATE, report_id)
    return stale


def _period_lock(period: Period, scope: str) -> None:
    """Until the transaction ends, the one drafter of this period and scope: a second one (a double click, two heads,
    the schedule) waits, then finds the first one's report. (No row exists yet for a row lock to hold.)"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"rabfang-report:{period.code}:{scope}"])


def _report_new(period: Period, scope: str, actor, now: datetime, **fields) -> Report:
    report = Report.objects.create(period=period.code, scope=scope, figures=statistics_compute(period, now=now,
                                                                                               scope=scope),
                                   figures_at=now, created_by=actor, created_at=now, **fields)
    send_task_on_commit(task_names.REPORTS_GENERATE, report.pk)
    return report


def _changed(report: Report) -> None:
    report.revision += 1
    report.files_status = FilesStatus.PENDING
    report.files_error = ""
    report.save()
    send_task_on_commit(task_names.REPORTS_GENERATE, report.pk)


def _not_published(report: Report) -> None:
    if report.status == ReportStatus.PUBLISHED:
        raise Conflict(_("A published report does not change: correct it with a new version."))


# Control characters (a pasted Word line break is a vertical tab) cannot go into the XLSX and mean nothing on paper:
# page and line breaks become line breaks, the rest is dropped.
_BREAKS = re.compile(r"[\x0b\x0c]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _required_text(text: str, field: str) -> str:
    text = _CONTROLS.sub("", _BREAKS.sub("\n", text or "")).strip()
    if not text:
        message = _("Please fill in this field.")
        raise ValidationFailed(message, fields={field: [message]})
    if len(text) > TEXT_LIMIT:
        message = _("Please shorten this to at most %(limit)s characters.") % {"limit": TEXT_LIMIT}
        raise ValidationFailed(message, fields={field: [message]})
    return text


def _event(report: Report, actor, action: str, now: datetime, **data) -> None:
    ReportEvent.objects.create(report=report, at=now, actor=actor, action=action, data=data)


def reports_for(user) -> list[Report]:
    """The reports the reader may see, newest period first."""
    profile = staff_profile(user)
    reports = Report.objects.select_related("created_by", "approved_by").order_by("-period", "scope", "-version")
    if profile.is_director or Role.AUDITOR in profile.roles:
        return list(reports)
    scopes = ([Kind.CORRUPTION] if profile.integrity_unit_ids else []) + (
        [scope for scope in SCOPES if scope != Kind.CORRUPTION] if profile.is_head or Role.ADMIN in profile.roles
        else [])
    return list(reports.filter(scope__in=scopes))


def reports_published(fiscal_year: int) -> list[Report]:
    """The published reports of a fiscal year's periods, as the public statistics page lists them: each with the
    version that corrects it, if any."""
    published = Report.objects.filter(status=ReportStatus.PUBLISHED).select_related("correction").order_by(
        "period", "scope", "-version")
    return [report for report in published if period_parse(report.period).fiscal_year == fiscal_year]


def report_published_get(report_id: int) -> Report:
    report = Report.objects.filter(pk=report_id, status=ReportStatus.PUBLISHED).first()
    if report is None:
        raise NotFound(_("No such report."))
    return report
