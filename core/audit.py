"""Chaining events onto a case's hash chain (in memory) and verifying the chain.

Each event's ``hash`` is SHA-256 over a canonical JSON of the event that includes the previous
event's hash, so altering, removing or reordering any row breaks every link after it.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet

from core.audit_checkpoints import SignedHead, public_key, signed_heads_of
from core.choices import ActorKind, Visibility
from core.models import Case, CaseEvent

GENESIS_HASH = "0" * 64


def canonical_event_json(
    *,
    tracking_number: str,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_kind: str,
    type: str,
    from_status: str,
    to_status: str,
    data: dict[str, Any],
    visibility: str,
    prev_hash: str,
) -> bytes:
    document = {
        "case": tracking_number,
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(),
        "actor": actor_id,
        "actor_kind": actor_kind,
        "type": type,
        "from": from_status,
        "to": to_status,
        "data": data,
        "visibility": visibility,
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: "CaseEvent | PlannedEvent", *, tracking_number: str) -> str:
    payload = canonical_event_json(
        tracking_number=tracking_number,
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        actor_kind=event.actor_kind,
        type=event.type,
        from_status=event.from_status,
        to_status=event.to_status,
        data=event.data,
        visibility=event.visibility,
        prev_hash=event.prev_hash,
    )
    return hashlib.sha256(payload).hexdigest()


@dataclass(slots=True)
class PlannedEvent:
    """An audit event planned in memory (``event_next``) and inserted by the one writer
    (``workflows.changes.case_changes_write``), which gives it its primary key."""

    case: Case
    seq: int
    at: datetime
    actor: Any  # the staff user, or None for the citizen and the system
    actor_kind: str
    type: str
    data: dict[str, Any]
    visibility: str
    prev_hash: str
    from_status: str = ""
    to_status: str = ""
    hash: str = ""
    pk: int | None = None

    @property
    def actor_id(self) -> int | None:
        return self.actor.pk if self.actor is not None else None


def event_next(*, case: Case, type: str, at: datetime, actor=None, actor_kind: str = ActorKind.SYSTEM,
               data: dict[str, Any] | None = None, visibility: str = Visibility.INTERNAL, from_status: str = "",
               to_status: str = "") -> PlannedEvent:
    """The next event of ``case``, chained after the head the case row records, which moves to it (in
    memory: the writer inserts the event and saves the head with the case's other changes).

    The case row's head columns are the one source of truth for where the chain ends. The caller holds
    the case row lock and read the row under it, so the head is current; were it not, the unique
    (case, seq) constraint would refuse the insert rather than fork the chain.
    """
    seq = case.event_head_seq + 1
    event = PlannedEvent(case=case, seq=seq, at=at, actor=actor, actor_kind=actor_kind, type=type, data=data or {},
                         visibility=visibility, prev_hash=case.event_head_hash if case.event_head_seq else GENESIS_HASH,
                         from_status=from_status, to_status=to_status)
    event.hash = event_hash(event, tracking_number=case.tracking_number)
    case.event_head_seq, case.event_head_hash = seq, event.hash
    return event


@dataclass(frozen=True)
class ChainReport:
    tracking_number: str
    events: int
    ok: bool
    broken_seq: int | None = None
    reason: str = ""
    checkpointed_seq: int = 0  # events up to here are held by a signed checkpoint

    def as_dict(self) -> dict[str, Any]:
        return {
            "tracking_number": self.tracking_number,
            "events": self.events,
            "ok": self.ok,
            "broken_seq": self.broken_seq,
            "reason": self.reason,
            "checkpointed_seq": self.checkpointed_seq,
        }


def chain_verify(case: Case, events: QuerySet[CaseEvent] | None = None,
                 signed_heads: list[SignedHead] | None = None) -> ChainReport:
    """Walk the chain from the first event and name the first link that does not hold; then hold the chain
    to the heads that checkpoints signed (``signed_heads``, default: the database's), which someone who
    rewrote the chain and its recorded head with SQL cannot re-sign (core.audit_checkpoints)."""
    rows = (events if events is not None else CaseEvent.objects.filter(case=case)).order_by("seq")
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
    hashes: dict[int, str] = {}
    for event in rows.iterator(chunk_size=500):
        count += 1
        reason = ""
        if event.seq != expected_seq:
            reason = f"sequence gap: expected {expected_seq}, found {event.seq}"
        elif event.prev_hash != expected_prev:
            reason = "prev_hash does not match the previous event's hash"
        elif event_hash(event, tracking_number=case.tracking_number) != event.hash:
            reason = "hash does not match the event's contents"
        if reason:
            return ChainReport(case.tracking_number, count, ok=False, broken_seq=event.seq, reason=reason)
        hashes[event.seq] = expected_prev = event.hash
        expected_seq += 1
    head_seq, head_hash = Case.objects.filter(pk=case.pk).values_list("event_head_seq", "event_head_hash").get()
    if (head_seq, head_hash) != (count, expected_prev if count else ""):
        return ChainReport(case.tracking_number, count, ok=False, broken_seq=count + 1,
                           reason=f"the case records {head_seq} events but the chain ends at {count}")
    heads = signed_heads_of(case) if signed_heads is None else signed_heads
    key = public_key() if heads else None
    for head in heads:
        if not head.signed(key):
            return ChainReport(case.tracking_number, count, ok=False, broken_seq=head.seq,
                               reason=f"the checkpoint of {head.at.isoformat()} does not carry a valid signature")
        if hashes.get(head.seq) != head.hash:
            return ChainReport(case.tracking_number, count, ok=False, broken_seq=head.seq,
                               reason=f"the chain differs from what the checkpoint of {head.at.isoformat()} signed "
                                      f"at event {head.seq}")
    return ChainReport(case.tracking_number, count, ok=True, checkpointed_seq=max((h.seq for h in heads), default=0))


def chains_verify(cases: QuerySet[Case]) -> list[ChainReport]:
    """Verify each case's chain; the reports of broken chains only."""
    broken = []
    for case in cases.only("pk", "tracking_number").iterator(chunk_size=500):
        report = chain_verify(case)
        if not report.ok:
            broken.append(report)
    return broken
