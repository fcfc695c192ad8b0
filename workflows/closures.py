"""Office closures: adding or removing one moves the deadlines of every open case."""

from datetime import date

from django.db import transaction

from core.dispatch import send_task_on_commit
from core.errors import Conflict, NotFound
from core.models import OfficeClosure

RECOMPUTE_TASK = "sla.recompute_open"


@transaction.atomic
def closure_add(*, day: date, reason: str, actor=None) -> OfficeClosure:
    if OfficeClosure.objects.filter(day=day).exists():
        raise Conflict(f"The office is already closed on {day.isoformat()}.")
    closure = OfficeClosure.objects.create(day=day, reason=reason, created_by=actor)
    send_task_on_commit(RECOMPUTE_TASK, 0)
    return closure


@transaction.atomic
def closure_remove(*, day: date) -> None:
    deleted, _ = OfficeClosure.objects.filter(day=day).delete()
    if not deleted:
        raise NotFound(f"There is no office closure on {day.isoformat()}.")
    send_task_on_commit(RECOMPUTE_TASK, 0)
