"""Recording what happened to a case: its audit event and, in the same transaction, who to tell."""

from core.audit import case_event_append
from core.models import Case, CaseEvent
from workflows.notify import outbox_enqueue_for


def case_event_record(*, case: Case, **event_fields) -> CaseEvent:
    event = case_event_append(case=case, **event_fields)
    outbox_enqueue_for(event, case)
    return event
