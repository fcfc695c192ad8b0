"""Appending to and verifying a case's hash chain.

Each event's ``hash`` is SHA-256 over a canonical JSON of the event that includes the previous
event's hash, so altering, removing or reordering any row breaks every link after it.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.bulk import rows_insert
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


def case_event_new(
    *,
    case: Case,
    seq: int,
    prev_hash: str,
    type: str,
    actor=None,
    actor_kind: str = ActorKind.STAFF,
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any] | None = None,
    visibility: str = Visibility.INTERNAL,
    at: datetime | None = None,
) -> CaseEvent:
    """An event in memory, hashed after ``prev_hash``; nothing is written."""
    event = CaseEvent(
        case=case,
        seq=seq,
        at=at or timezone.now(),
        actor=actor,
        actor_kind=actor_kind,
        type=type,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
        visibility=visibility,
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event, tracking_number=case.tracking_number)
    return event


@dataclass(slots=True)
class PlannedEvent:
    """An event to be inserted with many others (``case_events_insert``): what hashing and the
    outbox read of a CaseEvent, without building a model instance per row."""

    case: Case
    seq: int
    at: datetime
    actor_kind: str
    type: str
    data: dict[str, Any]
    visibility: str
    prev_hash: str
    actor_id: int | None = None
    from_status: str = ""
    to_status: str = ""
    hash: str = ""
    pk: int | None = None


def case_event_plan(*, case: Case, type: str, at: datetime, actor_kind: str = ActorKind.SYSTEM,
                    data: dict[str, Any] | None = None, visibility: str = Visibility.INTERNAL, from_status: str = "",
                    to_status: str = "", actor_id: int | None = None) -> PlannedEvent:
    """The next event of ``case``, chained after the head the case row records, which moves to it
    (in memory: the caller inserts the events and writes the cases' head columns in one transaction).

    The caller holds the case row lock and read the row under it, so the head is current; were it
    not, the unique (case, seq) constraint would refuse the insert rather than fork the chain.
    """
    seq = case.event_head_seq + 1
    event = PlannedEvent(case=case, seq=seq, at=at, actor_kind=actor_kind, type=type, data=data or {},
                         visibility=visibility, prev_hash=case.event_head_hash if case.event_head_seq else GENESIS_HASH,
                         actor_id=actor_id, from_status=from_status, to_status=to_status)
    event.hash = event_hash(event, tracking_number=case.tracking_number)
    case.event_head_seq, case.event_head_hash = seq, event.hash
    return event


EVENT_COLUMNS = ("case_id", "seq", "at", "actor_id", "actor_kind", "type", "from_status", "to_status", "data",
                 "visibility", "prev_hash", "hash")


def case_events_insert(events: list[PlannedEvent]) -> None:
    """Insert planned events in one statement; each gets its primary key."""
    keys = rows_insert(CaseEvent, EVENT_COLUMNS, [
        (e.case.pk, e.seq, e.at, e.actor_id, e.actor_kind, e.type, e.from_status, e.to_status, e.data, e.visibility,
         e.prev_hash, e.hash) for e in events])
    for event, key in zip(events, keys, strict=True):
        event.pk = key


def case_event_append(
    *,
    case: Case,
    type: str,
    actor=None,
    actor_kind: str = ActorKind.STAFF,
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any] | None = None,
    visibility: str = Visibility.INTERNAL,
    at: datetime | None = None,
) -> CaseEvent:
    """Append one event. The caller holds the case row lock, so seq and prev_hash cannot race."""
    last = CaseEvent.objects.filter(case=case).order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    event = case_event_new(case=case, seq=seq, prev_hash=prev_hash, type=type, actor=actor, actor_kind=actor_kind,
                           from_status=from_status, to_status=to_status, data=data, visibility=visibility, at=at)
    event.save(force_insert=True)
    Case.objects.filter(pk=case.pk).update(event_head_seq=seq, event_head_hash=event.hash)
    case.event_head_seq, case.event_head_hash = seq, event.hash
    return event


@dataclass(frozen=True)
class ChainReport:
    tracking_number: str
    events: int
    ok: bool
    broken_seq: int | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "tracking_number": self.tracking_number,
            "events": self.events,
            "ok": self.ok,
            "broken_seq": self.broken_seq,
            "reason": self.reason,
        }


def chain_verify(case: Case, events: QuerySet[CaseEvent] | None = None) -> ChainReport:
    """Walk the chain from the first event and name the first link that does not hold."""
    rows = (events if events is not None else CaseEvent.objects.filter(case=case)).order_by("seq")
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
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
        expected_prev, expected_seq = event.hash, expected_seq + 1
    head_seq, head_hash = Case.objects.filter(pk=case.pk).values_list("event_head_seq", "event_head_hash").get()
    if (head_seq, head_hash) != (count, expected_prev if count else ""):
        return ChainReport(case.tracking_number, count, ok=False, broken_seq=count + 1,
                           reason=f"the case records {head_seq} events but the chain ends at {count}")
    return ChainReport(case.tracking_number, count, ok=True)


def chains_verify(cases: QuerySet[Case]) -> list[ChainReport]:
    """Verify each case's chain; the reports of broken chains only."""
    broken = []
    for case in cases.only("pk", "tracking_number").iterator(chunk_size=500):
        report = chain_verify(case)
        if not report.ok:
            broken.append(report)
    return broken
