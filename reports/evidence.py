"""The ITA evidence pack of a fiscal year (docs/reports.md, "The ITA evidence pack"): one ZIP with a folder per
checklist item (core.models.EvidenceItem, configured in the Django admin, not here) holding the document that answers
it, an index of the items and their files, and the SHA-256 of every file.

Documents: the handling guideline, the channels and the corruption channel, each printed as a dated PDF from the live
configuration; the fiscal year's published statistics reports (their PDF, XLSX and CSV as published); and the
participation evidence, the four components ITA asks of each activity (topic, participants, results, how the results
were used) for the year's co-decision items and adopted suggestions."""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.choices import Kind, Status, choice_label
from core.consultations import ActivityEvidence, participation_evidence
from core.models import Case, CaseEvent, EvidenceDocument, EvidenceItem, Report, Survey
from core.periods import period_parse
from core.surveys import survey_results
from portal.selectors import channels_published, office_published
from reports.documents import FONTS, RenderFailed, html_pdf, report_title
from reports.guideline import guideline_read
from workflows.reports import reports_published

REPORT_SCOPES = {EvidenceDocument.COMPLAINT_REPORTS: Kind.COMPLAINT, EvidenceDocument.CORRUPTION_REPORTS: Kind.CORRUPTION,
                 EvidenceDocument.SUGGESTION_REPORTS: Kind.SUGGESTION}


@dataclass
class Activity:
    """A participation activity as ITA describes it."""

    topic: str
    kind: str
    participants: str
    results: str
    use: str


def evidence_items(fiscal_year: int) -> list[EvidenceItem]:
    """The year's own checklist if it has one, else the items for every year."""
    own = list(EvidenceItem.objects.filter(fiscal_year=fiscal_year))
    return own or list(EvidenceItem.objects.filter(fiscal_year__isnull=True))


def evidence_pack(*, fiscal_year: int, now: datetime) -> tuple[str, bytes]:
    """The pack's file name and bytes (in Thai, as the office publishes)."""
    period_parse(str(fiscal_year))  # a year outside the range is refused like any period
    with translation.override("th"):
        documents: dict[str, list[tuple[str, bytes]]] = {}
        files: dict[str, bytes] = {}
        index = []
        for item in evidence_items(fiscal_year):
            if item.document not in documents:
                documents[item.document] = _document(item.document, fiscal_year, now)
            folder = _safe(f"{item.code} {item.title}")
            entries = []
            for name, content in documents[item.document]:
                path = f"{folder}/{name}"
                files[path] = content
                entries.append((path, hashlib.sha256(content).hexdigest()))
            index.append((item, entries))
        files["index.html"] = render_to_string("reports/evidence/index.html", {
            "fiscal_year": fiscal_year, "now": now, "index": index, "office": office_published(),
        }).encode()
    sums = "".join(f"{hashlib.sha256(content).hexdigest()}  {path}\n" for path, content in files.items())
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path, content in {**files, "SHA256SUMS": sums.encode()}.items():
            zipped.writestr(path, content)
    return f"rabfang-ita-{fiscal_year}.zip", archive.getvalue()


def participation_activities(fiscal_year: int) -> list[Activity]:
    """The year's co-decision items (from core.consultations.participation_evidence: who gave opinions, by stakeholder
    group, who attended and voted, the decision and the answered themes, what was done) and adopted suggestions."""
    year = period_parse(str(fiscal_year))
    activities = [Activity(topic=item.topic, kind=choice_label(Kind, Kind.CODECISION),
                           participants=_participants(item), results=_results(item), use=item.use)
                  for item in participation_evidence(year)]
    suggestions = Case.objects.filter(submitted_at__gte=year.start, submitted_at__lt=year.end, kind=Kind.SUGGESTION,
                                      sealed=False, status__in=[Status.ADOPTED, Status.CLOSED],
                                      responded_at__isnull=False)
    answers = {event.case_id: event for event in CaseEvent.objects.filter(case__in=suggestions, type="adopt").order_by(
        "case_id", "seq")}
    for case in suggestions.select_related("category").order_by("submitted_at"):
        if case.pk not in answers:
            continue  # closed without being adopted
        # A suggestion's title is the citizen's own words, which may name people: the pack, which is published,
        # names its topic by its category and tells the office's answer.
        activities.append(Activity(
            topic=case.category.name if case.category_id else choice_label(Kind, case.kind),
            kind=choice_label(Kind, case.kind),
            participants=_("The citizen who suggested it (%(channel)s)") % {"channel": case.get_channel_display()},
            results=answers[case.pk].data.get("params", {}).get("answer", ""), use=choice_label(Status, case.status)))
    return activities


def _results(item: ActivityEvidence) -> str:
    if not item.results:
        return _("Not decided yet")
    if item.resolution is None:
        return item.results
    votes = item.resolution
    return item.results + " (" + _("%(for)s for, %(against)s against, %(abstain)s abstaining") % {
        "for": votes.in_favour, "against": votes.against, "abstain": votes.abstain} + ")"


def _participants(item: ActivityEvidence) -> str:
    unstated = _("not stated")

    def by_group(counts: dict[str, int]) -> str:
        return ", ".join(f"{name or unstated} {count}" for name, count in sorted(counts.items()))

    opinions = sum(item.opinions_by_group.values())
    parts = [_("%(count)s opinions (%(groups)s)") % {"count": opinions, "groups": by_group(item.opinions_by_group)}
             if opinions else _("No opinions")]
    if item.members_by_group:
        parts.append(_("%(committee)s: %(count)s members (%(groups)s), %(attendees)s attended the vote") % {
            "committee": item.case.committee.name if item.case.committee_id else "",
            "count": sum(item.members_by_group.values()), "groups": by_group(item.members_by_group),
            "attendees": item.attendees})
    return "; ".join(parts)


def _document(document: str, fiscal_year: int, now: datetime) -> list[tuple[str, bytes]]:
    if document in REPORT_SCOPES:
        return _published_reports(REPORT_SCOPES[document], fiscal_year)
    context = {"fonts": FONTS.as_uri(), "now": now, "fiscal_year": fiscal_year, "office": office_published(),
               "base_url": settings.PUBLIC_BASE_URL}
    if document == EvidenceDocument.GUIDELINE:
        context["guideline"] = guideline_read()
    elif document == EvidenceDocument.CHANNELS:
        context["channels"] = channels_published(context["office"])
        context["submit_url"] = settings.PUBLIC_BASE_URL + reverse("portal:submit")
        context["track_url"] = settings.PUBLIC_BASE_URL + reverse("portal:track")
    elif document == EvidenceDocument.CORRUPTION_CHANNEL:
        context["guideline"] = guideline_read()
        context["corruption_url"] = settings.PUBLIC_BASE_URL + reverse("portal:corruption")
    elif document == EvidenceDocument.PARTICIPATION:
        context["activities"] = participation_activities(fiscal_year)
    elif document == EvidenceDocument.SURVEYS:
        year = period_parse(str(fiscal_year))
        context["surveys"] = [survey_results(survey, unstated=_("not stated")) for survey in Survey.objects.filter(
            closes_at__gt=year.start, closes_at__lte=min(year.end, now)).order_by("closes_at")]
    html = render_to_string(f"reports/evidence/{document}.html", context)
    return [(f"{document}.pdf", html_pdf(html))]


def _published_reports(scope: str, fiscal_year: int) -> list[tuple[str, bytes]]:
    """The latest published version of each of the year's reports of ``scope``, its files as published."""
    latest: dict[str, Report] = {}
    for report in reports_published(fiscal_year):  # newest version of each period first
        if report.scope == scope:
            latest.setdefault(report.period, report)
    files = []
    for period, report in sorted(latest.items()):
        stem = _safe(f"{report_title(scope)} {period} v{report.version}")
        for fmt, entry in sorted(report.files.items()):
            try:
                with default_storage.open(entry["name"], "rb") as stored:
                    files.append((f"{stem}.{fmt}", stored.read()))
            except FileNotFoundError as error:
                raise RenderFailed(_("A published report's file is missing from the storage: %(name)s")
                                   % {"name": entry["name"]}) from error
    return files


def _safe(name: str) -> str:
    """A folder or file name that every unzip keeps inside the archive: no path separators, control characters,
    or a name of dots alone."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).strip(" .")[:120] or "-"
