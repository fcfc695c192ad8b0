"""Published statistics reports (docs/reports.md): a period's figures frozen when the report is drafted, the
responsible head's analysis, the director's approval, and the files the office publishes. A published report never
changes; a correction is a new version of it that says what changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANALYSED = "analysed", _("Analysis written")
    APPROVED = "approved", _("Approved by the director")
    PUBLISHED = "published", _("Published")


class FilesStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be made")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Report(models.Model):
    period = models.CharField(max_length=16)  # a core.periods code: 2569, 2569-H1 …
    scope = models.CharField(max_length=16)  # a core.statistics scope: all, complaint, corruption …
    version = models.PositiveSmallIntegerField(default=1)
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="correction")
    correction_note = models.TextField(max_length=2_000, blank=True)  # what the new version changes, and why
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    figures = models.JSONField()  # core.statistics.statistics_compute, when the report was drafted
    figures_at = models.DateTimeField()
    analysis = models.TextField(max_length=10_000, blank=True)  # the problems the figures show
    improvements = models.TextField(max_length=10_000, blank=True)  # what the office did or will do about them
    # None: drafted by the schedule (beat), for the responsible head to analyse.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField()
    analysed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    analysed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    # The files: made by the reports.generate task after every change of what they show (``revision``); they may be
    # published only when made from the approved report (``files_revision == revision``).
    revision = models.PositiveIntegerField(default=1)
    files_status = models.CharField(max_length=16, choices=FilesStatus.choices, default=FilesStatus.PENDING)
    files_revision = models.PositiveIntegerField(default=0)
    files_error = models.TextField(blank=True)
    files = models.JSONField(default=dict)  # format -> {"name", "size", "sha256"} under MEDIA_ROOT

    class Meta:
        ordering = ["-period", "scope", "-version"]
        constraints = [models.UniqueConstraint(fields=["period", "scope", "version"], name="report_version_unique")]
        verbose_name = _("report")

    def __str__(self) -> str:
        return f"{self.period} {self.scope} v{self.version}"


class ReportEvent(models.Model):
    """What happened to a report, by whom: drafted, files made or failed, analysis, approval, publication,
    correction. Written with the change, never edited."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    action = models.CharField(max_length=24)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "pk"]


class AuditExport(models.Model):
    """An export of a period's audit events (core/audit_export.py): who asked and when, whether sealed reports are in
    it, and, once the background task has made it, the archive and its SHA-256. Only the task changes it."""

    at = models.DateTimeField()  # when it was asked for
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=16)
    sealed_included = models.BooleanField()
    status = models.CharField(max_length=16, choices=FilesStatus.choices, default=FilesStatus.PENDING)
    error = models.TextField(blank=True)
    file = models.CharField(max_length=300, blank=True)  # the archive, under MEDIA_ROOT
    events = models.PositiveIntegerField(default=0)
    chains = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    made_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]


class EvidenceDocument(models.TextChoices):
    GUIDELINE = "guideline", _("The handling guideline")
    CHANNELS = "channels", _("The channels for complaints and suggestions")
    CORRUPTION_CHANNEL = "corruption_channel", _("The corruption reporting channel")
    COMPLAINT_REPORTS = "complaint_reports", _("Published complaint statistics reports")
    CORRUPTION_REPORTS = "corruption_reports", _("Published corruption statistics reports")
    SUGGESTION_REPORTS = "suggestion_reports", _("Published suggestion statistics reports")
    PARTICIPATION = "participation", _("Participation: topics, results and how they were used")
    SURVEYS = "surveys", _("Satisfaction survey results")


class EvidenceItem(models.Model):
    """One item of the ITA checklist (its number changes from year to year and between kinds of agency) and the
    document that answers it. Items without a fiscal year apply to every year that has none of its own."""

    fiscal_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Buddhist Era; blank: every year"))
    code = models.CharField(max_length=16, help_text=_("The checklist's number for the item, e.g. O27"))
    title = models.CharField(max_length=300)
    document = models.CharField(max_length=32, choices=EvidenceDocument.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code", "pk"]
        verbose_name = _("ITA evidence item")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
