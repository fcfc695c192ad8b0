"""Recording what happened to a case: its audit event and, in the same transaction, who to tell."""

from core.audit import case_event_append
from core.choices import ActorKind, Visibility
from core.models import Case, CaseEvent
from core.search import search_document_append
from workflows.notify import outbox_enqueue_for


def case_event_record(*, case: Case, **event_fields) -> CaseEvent:
    event = case_event_append(case=case, **event_fields)
    outbox_enqueue_for(event, case)
    if event.visibility == Visibility.PUBLIC and event.actor_kind != ActorKind.CITIZEN and event.data.get("message"):
        search_document_append(case, event.data["message"])  # the office's answers are searchable too
    return event
