"""The auditor's export (docs/reports.md, "Auditor export"): every audit event of a period as JSON Lines and as CSV,
each chain's verification, and the SHA-256 of every file, in one ZIP. For the director and the integrity unit
(sealed reports included) and auditors (sealed reports left out).

A year of a large office is millions of events and hundreds of thousands of chains to verify: the export is asked
for here (``audit_export_request``, recorded at once) and made by a background task (``audit_export_make``), which
streams the events through temporary files rather than memory and stores the archive with its SHA-256."""

import csv
import hashlib
import io
import json
import logging
import tempfile
import zipfile
from datetime import datetime

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from core import task_names
from core.access import staff_profile
from core.audit import chain_verify
from core.choices import Role
from core.dispatch import send_task_on_commit
from core.errors import NotFound, PermissionDenied
from core.models import AuditExport, Case, CaseEvent, FilesStatus
from core.periods import Period, period_parse
from core.spreadsheets import spreadsheet_safe

logger = logging.getLogger(__name__)
COLUMNS = ("tracking_number", "seq", "at", "actor", "actor_kind", "type", "from_status", "to_status", "visibility",
           "data", "prev_hash", "hash")
CHAIN_COLUMNS = ("tracking_number", "events", "ok", "broken_seq", "reason", "checkpointed_seq")


def may_export(user) -> bool:
    profile = staff_profile(user)
    return profile.is_director or bool(profile.integrity_unit_ids) or Role.AUDITOR in profile.roles


def includes_sealed(user) -> bool:
    profile = staff_profile(user)
    return profile.is_director or bool(profile.integrity_unit_ids)


def audit_export_request(*, period: Period, user, now: datetime) -> AuditExport:
    """Record the request and ask the background task to make it."""
    if not may_export(user):
        raise PermissionDenied("The audit export is for the director, the integrity unit and auditors.")
    with transaction.atomic():
        export = AuditExport.objects.create(at=now, actor=user, period=period.code,
                                            sealed_included=includes_sealed(user))
        send_task_on_commit(task_names.AUDIT_EXPORT, export.pk)
    return export


def audit_exports_of(user) -> list[AuditExport]:
    """The exports the reader sees listed: all of them for the director and the integrity unit, else their own."""
    exports = AuditExport.objects.select_related("actor")
    return list(exports if includes_sealed(user) else exports.filter(actor=user))[:20]


def audit_export_get(*, export_id: int, user) -> AuditExport:
    """A made export, for the person who asked for it."""
    export = AuditExport.objects.filter(pk=export_id, actor=user, status=FilesStatus.READY).first()
    if export is None:
        raise NotFound("No such export.")
    return export


def audit_export_make(*, export_id: int) -> bool:
    """The task's work; idempotent: an export already made (or failed) is left as it is."""
    with transaction.atomic():
        export = AuditExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status in (FilesStatus.READY, FilesStatus.FAILED):
            return False
        export.status = FilesStatus.RUNNING
        export.save(update_fields=["status"])
    try:
        with tempfile.TemporaryDirectory(prefix="rabfang-audit-") as folder:
            archive, events, chains = _archive(export, folder)
            with open(archive, "rb") as made:
                digest = hashlib.file_digest(made, "sha256").hexdigest()
                made.seek(0)
                stored = default_storage.save(f"audit-exports/{export.pk}-{export.period}.zip", File(made))
    except Exception as error:  # noqa: BLE001 - whatever went wrong is the export's failure, with its reason
        logger.exception("audit export %s failed", export_id)
        AuditExport.objects.filter(pk=export_id).update(status=FilesStatus.FAILED,
                                                        error=f"{type(error).__name__}: {error}"[:2_000])
        return True
    AuditExport.objects.filter(pk=export_id).update(status=FilesStatus.READY, file=stored, sha256=digest,
                                                    events=events, chains=chains, made_at=timezone.now())
    return True


def export_file_name(export: AuditExport) -> str:
    return f"rabfang-audit-{export.period}{'' if export.sealed_included else '-unsealed'}.zip"


def _archive(export: AuditExport, folder: str) -> tuple[str, int, int]:
    """Write the export's files into ``folder`` and zip them; the archive's path, the events and the chains."""
    period = period_parse(export.period)
    events = (CaseEvent.objects.filter(at__gte=period.start, at__lt=period.end)
              .select_related("case", "actor").order_by("case_id", "seq"))
    if not export.sealed_included:
        events = events.filter(case__sealed=False)
    paths = {name: f"{folder}/{name}" for name in ("events.jsonl", "events.csv", "chains.csv")}
    case_ids, count = [], 0
    with open(paths["events.jsonl"], "w", encoding="utf-8") as jsonl, \
            open(paths["events.csv"], "w", encoding="utf-8-sig", newline="") as table:
        writer = csv.writer(table)
        writer.writerow(COLUMNS)
        for event in events.iterator(chunk_size=2_000):
            row = _row(event)
            jsonl.write(json.dumps(row, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n")
            writer.writerow([spreadsheet_safe(json.dumps(row[name], ensure_ascii=False) if name == "data"
                                              else row[name]) for name in COLUMNS])
            if not case_ids or case_ids[-1] != event.case_id:
                case_ids.append(event.case_id)
            count += 1
    with open(paths["chains.csv"], "w", encoding="utf-8-sig", newline="") as chains:
        writer = csv.writer(chains)
        writer.writerow(CHAIN_COLUMNS)
        for start in range(0, len(case_ids), 500):
            for case in Case.objects.filter(pk__in=case_ids[start:start + 500]).only("pk", "tracking_number") \
                    .order_by("pk"):
                report = chain_verify(case).as_dict()
                writer.writerow([report[name] for name in CHAIN_COLUMNS])
    sums = io.StringIO()
    for name, path in paths.items():
        with open(path, "rb") as written:
            sums.write(f"{hashlib.file_digest(written, 'sha256').hexdigest()}  {name}\n")
    archive = f"{folder}/export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, path in paths.items():
            zipped.write(path, name)
        zipped.writestr("SHA256SUMS", sums.getvalue())
    return archive, count, len(case_ids)


def _row(event: CaseEvent) -> dict:
    return {"tracking_number": event.case.tracking_number, "seq": event.seq, "at": event.at.isoformat(),
            "actor": event.actor.get_username() if event.actor else "", "actor_kind": event.actor_kind,
            "type": event.type, "from_status": event.from_status, "to_status": event.to_status,
            "visibility": event.visibility, "data": event.data, "prev_hash": event.prev_hash, "hash": event.hash}
