"""The auditor's export (docs/reports.md, "Auditor export"): every audit event of a period as JSON Lines and as CSV,
each chain's verification, and the SHA-256 of every file, in one ZIP. For the director and the integrity unit
(sealed reports included) and auditors (sealed reports left out). Every export is recorded: who, which period,
whether sealed reports were in it, and the archive's SHA-256."""

import csv
import hashlib
import io
import json
import zipfile
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder

from core.access import staff_profile
from core.audit import chain_verify
from core.choices import Role
from core.errors import PermissionDenied
from core.models import AuditExport, Case, CaseEvent
from core.periods import Period
from core.spreadsheets import spreadsheet_safe

COLUMNS = ("tracking_number", "seq", "at", "actor", "actor_kind", "type", "from_status", "to_status", "visibility",
           "data", "prev_hash", "hash")
CHAIN_COLUMNS = ("tracking_number", "events", "ok", "broken_seq", "reason", "checkpointed_seq")


def may_export(user) -> bool:
    profile = staff_profile(user)
    return profile.is_director or bool(profile.integrity_unit_ids) or Role.AUDITOR in profile.roles


def includes_sealed(user) -> bool:
    profile = staff_profile(user)
    return profile.is_director or bool(profile.integrity_unit_ids)


def audit_export(*, period: Period, user, now: datetime) -> tuple[str, bytes]:
    """The archive's file name and bytes; records the export."""
    if not may_export(user):
        raise PermissionDenied("The audit export is for the director, the integrity unit and auditors.")
    sealed = includes_sealed(user)
    events = (CaseEvent.objects.filter(at__gte=period.start, at__lt=period.end)
              .select_related("case", "actor").order_by("case_id", "seq"))
    if not sealed:
        events = events.filter(case__sealed=False)
    jsonl, table = io.StringIO(), io.StringIO()
    writer = csv.writer(table)
    writer.writerow(COLUMNS)
    case_ids, count = [], 0
    for event in events.iterator(chunk_size=2_000):
        row = _row(event)
        jsonl.write(json.dumps(row, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n")
        writer.writerow([spreadsheet_safe(json.dumps(row[name], ensure_ascii=False) if name == "data" else row[name])
                         for name in COLUMNS])
        if not case_ids or case_ids[-1] != event.case_id:
            case_ids.append(event.case_id)
        count += 1
    chains = io.StringIO()
    chain_writer = csv.writer(chains)
    chain_writer.writerow(CHAIN_COLUMNS)
    for case in Case.objects.filter(pk__in=case_ids).only("pk", "tracking_number").order_by("pk").iterator(
            chunk_size=500):
        report = chain_verify(case).as_dict()
        chain_writer.writerow([report[name] for name in CHAIN_COLUMNS])
    files = {"events.jsonl": jsonl.getvalue().encode(), "events.csv": ("\ufeff" + table.getvalue()).encode(),
             "chains.csv": ("\ufeff" + chains.getvalue()).encode()}
    sums = "".join(f"{hashlib.sha256(content).hexdigest()}  {name}\n" for name, content in files.items())
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, content in {**files, "SHA256SUMS": sums.encode()}.items():
            zipped.writestr(name, content)
    content = archive.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    AuditExport.objects.create(at=now, actor=user, period=period.code, sealed_included=sealed, events=count,
                               chains=len(case_ids), sha256=digest)
    return f"rabfang-audit-{period.code}{'' if sealed else '-unsealed'}.zip", content


def _row(event: CaseEvent) -> dict:
    return {"tracking_number": event.case.tracking_number, "seq": event.seq, "at": event.at.isoformat(),
            "actor": event.actor.get_username() if event.actor else "", "actor_kind": event.actor_kind,
            "type": event.type, "from_status": event.from_status, "to_status": event.to_status,
            "visibility": event.visibility, "data": event.data, "prev_hash": event.prev_hash, "hash": event.hash}
