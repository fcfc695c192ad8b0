"""Signed checkpoints of the audit chains: tampering shows even to someone who does not trust the database.

The hash chain alone shows a changed event only to a verifier who knows the true head: someone with SQL
access can rewrite an event, recompute every hash after it and update the case's head, and the chain
verifies again. So every few minutes a checkpoint records the head of each chain that moved since the
last one, each entry signed with HMAC-SHA256 under ``AUDIT_CHECKPOINT_KEY``, a key that lives in the
application's environment, never in the database. Verification (``core.audit.chain_verify``, the
``verify_audit`` command, the API) then checks the chain against every entry for the case: an entry
whose signature does not verify, or whose hash the chain no longer has at that sequence number, is a
rewrite. Forging it needs the key.

What an attacker can still do without the key: delete checkpoint rows (the tables refuse it to the
application's runtime role, and an exported copy held by the auditors still has them: ``verify_audit
--checkpoints FILE``), or rewrite events newer than the last checkpoint (the next checkpoint would sign the
forgery, which is why checkpoints are frequent and exported).
"""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from core.bulk import rows_insert
from core.models import AuditCheckpoint, AuditCheckpointEntry, Case


def _key() -> bytes:
    return settings.AUDIT_CHECKPOINT_KEY.encode()


def entry_signature(*, tracking_number: str, seq: int, hash: str, at: datetime) -> str:
    """HMAC-SHA256 over the entry, so that neither its case, its place in the chain, its hash nor its time can
    be changed without the key."""
    message = f"{tracking_number}|{seq}|{hash}|{at.isoformat()}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


# The heads that moved since they were last checkpointed (or were never), with what an entry records.
_MOVED_HEADS = f"""
SELECT c.id, c.tracking_number, c.event_head_seq, c.event_head_hash FROM {Case._meta.db_table} c
WHERE c.event_head_seq > COALESCE(
    (SELECT max(e.seq) FROM {AuditCheckpointEntry._meta.db_table} e WHERE e.case_id = c.id), 0)
ORDER BY c.id
"""


def checkpoint_create(*, now: datetime) -> AuditCheckpoint | None:
    """Sign the head of every chain that moved since it was last checkpointed; None if none moved."""
    with transaction.atomic():
        # One checkpoint at a time: a second one waits and then finds nothing new to sign.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('rabfang_audit_checkpoint'))")
            cursor.execute(_MOVED_HEADS)
            heads = cursor.fetchall()
        if not heads:
            return None
        checkpoint = AuditCheckpoint.objects.create(at=now, cases=len(heads))
        rows_insert(AuditCheckpointEntry, ("checkpoint_id", "case_id", "seq", "hash", "signature"), [
            (checkpoint.pk, case_id, seq, head_hash,
             entry_signature(tracking_number=number, seq=seq, hash=head_hash, at=now))
            for case_id, number, seq, head_hash in heads])
    return checkpoint


@dataclass(frozen=True)
class SignedHead:
    """A case's chain head as a checkpoint signed it (from the database or an exported file)."""

    tracking_number: str
    seq: int
    hash: str
    at: datetime
    signature: str

    def signed(self) -> bool:
        expected = entry_signature(tracking_number=self.tracking_number, seq=self.seq, hash=self.hash, at=self.at)
        return hmac.compare_digest(expected, self.signature)

    def as_json(self) -> str:
        return json.dumps({"case": self.tracking_number, "seq": self.seq, "hash": self.hash,
                           "at": self.at.isoformat(), "signature": self.signature}, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> "SignedHead":
        row = json.loads(line)
        return cls(tracking_number=row["case"], seq=row["seq"], hash=row["hash"],
                   at=datetime.fromisoformat(row["at"]), signature=row["signature"])


def signed_heads_of(case: Case) -> list[SignedHead]:
    """Every checkpoint entry of ``case`` in the database, oldest first."""
    return [SignedHead(tracking_number=case.tracking_number, seq=seq, hash=head_hash, at=at, signature=signature)
            for seq, head_hash, at, signature in AuditCheckpointEntry.objects.filter(case=case).order_by("seq")
            .values_list("seq", "hash", "checkpoint__at", "signature")]


def signed_heads_export() -> Iterable[str]:
    """Every checkpoint entry as a JSON line, for the auditors to keep outside the database."""
    entries = (AuditCheckpointEntry.objects.order_by("checkpoint_id", "case_id")
               .values_list("case__tracking_number", "seq", "hash", "checkpoint__at", "signature"))
    for number, seq, head_hash, at, signature in entries.iterator(chunk_size=2000):
        yield SignedHead(tracking_number=number, seq=seq, hash=head_hash, at=at, signature=signature).as_json() + "\n"
