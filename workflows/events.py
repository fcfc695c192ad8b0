"""Recording what happened to a case: its audit event and, in the same transaction, who to tell."""

from core.audit import EVENT_COLUMNS, GENESIS_HASH, case_event_append, case_event_new
from core.bulk import rows_insert
from core.choices import ActorKind, Visibility
from core.models import Case, CaseEvent
from core.search import search_document_append
from workflows.notify import outbox_enqueue_for


def case_event_record(*, case: Case, **event_fields) -> CaseEvent:
    event = case_event_append(case=case, **event_fields)
    outbox_enqueue_for(event, case)
    _answer_searchable(event, case)
    return event


def _answer_searchable(event: CaseEvent, case: Case) -> None:
    """The office's public answers are searchable too."""
    if event.visibility == Visibility.PUBLIC and event.actor_kind != ActorKind.CITIZEN and event.data.get("message"):
        search_document_append(case, event.data["message"])


def case_first_event(*, case: Case, **event_fields) -> CaseEvent:
    """The first event of a case about to be inserted, hashed in memory; the case's chain head is set
    to it, so that the case row goes in complete (no read of the last event, no head update). Always
    seq 1, unlike ``case_next_event``: intake calls it again when a tracking-number collision retries."""
    event = case_event_new(case=case, seq=1, prev_hash=GENESIS_HASH, **event_fields)
    case.event_head_seq, case.event_head_hash = 1, event.hash
    return event


def case_first_event_record(event: CaseEvent, case: Case) -> CaseEvent:
    """Insert an event made by ``case_first_event`` or ``case_next_event`` once its case row holds it,
    and who to tell."""
    event.case = case
    [event.pk] = rows_insert(CaseEvent, EVENT_COLUMNS, [
        (case.pk, event.seq, event.at, event.actor_id, event.actor_kind, event.type, event.from_status,
         event.to_status, event.data, event.visibility, event.prev_hash, event.hash)])
    event._state.adding = False
    outbox_enqueue_for(event, case)
    return event


def case_next_event(*, case: Case, **event_fields) -> CaseEvent:
    """The next event of ``case``, hashed in memory after the chain head the case row records, which moves
    to it: the caller saves the head with the case's other changes (one UPDATE) and then inserts the event
    with ``case_next_event_record``. The caller holds the case row lock and read the row under it, so the
    head is current; were it not, the unique (case, seq) constraint would refuse the insert rather than
    fork the chain."""
    prev_hash = case.event_head_hash if case.event_head_seq else GENESIS_HASH
    event = case_event_new(case=case, seq=case.event_head_seq + 1, prev_hash=prev_hash, **event_fields)
    case.event_head_seq, case.event_head_hash = event.seq, event.hash
    return event


def case_next_event_record(event: CaseEvent, case: Case) -> CaseEvent:
    """Insert an event made by ``case_next_event`` (its case row already saved with the new head), and
    who to tell; the office's public answers become searchable."""
    case_first_event_record(event, case)
    _answer_searchable(event, case)
    return event
