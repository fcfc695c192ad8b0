"""Signed checkpoints of the audit chains: tampering shows even to someone who does not trust the database.

The hash chain alone shows a changed event only to a verifier who knows the true head: someone with SQL
access can rewrite an event, recompute every hash after it and update the case's head, and the chain
verifies again. So every few minutes a checkpoint records the head of each chain that moved since the
last one, each entry signed with Ed25519 under ``AUDIT_CHECKPOINT_SIGNING_KEY``, a private key that lives in
the environment of the processes that sign (beat's task runs in a worker), never in the database.
Verification (``core.audit.chain_verify``, the ``verify_audit`` command, the API) needs only the public key
(``AUDIT_CHECKPOINT_PUBLIC_KEY``, or derived from the private one), which the auditors keep too: an entry
whose signature does not verify, or whose hash the chain no longer has at that sequence number, is a
rewrite. Forging it needs the private key, which neither the web processes nor the auditors need to hold.

What an attacker can still do without the key: delete checkpoint rows (the tables refuse it to the
application's runtime role, and an exported copy held by the auditors still has them: ``verify_audit
--checkpoints FILE``), or rewrite events newer than the last checkpoint (the next checkpoint would sign the
forgery, which is why checkpoints are frequent and exported).
"""

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from core.bulk import rows_insert
from core.models import AuditCheckpoint, AuditCheckpointEntry, Case


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _signing_key() -> Ed25519PrivateKey:
    seed = settings.AUDIT_CHECKPOINT_SIGNING_KEY
    if not seed:
        raise ImproperlyConfigured("AUDIT_CHECKPOINT_SIGNING_KEY is not set here: checkpoints are signed where it is.")
    return Ed25519PrivateKey.from_private_bytes(_decode(seed)[:32])


def public_key() -> Ed25519PublicKey:
    """The key that verifies checkpoints: ``AUDIT_CHECKPOINT_PUBLIC_KEY``, else derived from the private key."""
    if settings.AUDIT_CHECKPOINT_PUBLIC_KEY:
        return Ed25519PublicKey.from_public_bytes(_decode(settings.AUDIT_CHECKPOINT_PUBLIC_KEY))
    return _signing_key().public_key()


def public_key_text() -> str:
    """The public key as the auditors keep it (and as ``AUDIT_CHECKPOINT_PUBLIC_KEY`` takes it)."""
    return _encode(public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def _message(*, tracking_number: str, seq: int, hash: str, at: datetime) -> bytes:
    # Neither the entry's case, its place in the chain, its hash nor its time can change without the key.
    return f"{tracking_number}|{seq}|{hash}|{at.isoformat()}".encode()


def entry_signature(*, tracking_number: str, seq: int, hash: str, at: datetime) -> str:
    return _signing_key().sign(_message(tracking_number=tracking_number, seq=seq, hash=hash, at=at)).hex()


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
        key = _signing_key()
        checkpoint = AuditCheckpoint.objects.create(at=now, cases=len(heads))
        rows_insert(AuditCheckpointEntry, ("checkpoint_id", "case_id", "seq", "hash", "signature"), [
            (checkpoint.pk, case_id, seq, head_hash,
             key.sign(_message(tracking_number=number, seq=seq, hash=head_hash, at=now)).hex())
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

    def signed(self, key: Ed25519PublicKey | None = None) -> bool:
        message = _message(tracking_number=self.tracking_number, seq=self.seq, hash=self.hash, at=self.at)
        try:
            (key or public_key()).verify(bytes.fromhex(self.signature), message)
        except (InvalidSignature, ValueError):
            return False
        return True

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
