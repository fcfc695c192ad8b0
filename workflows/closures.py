"""Office closures: adding or removing one moves the deadlines of every open case."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.config_changes import config_log, snapshot
from core.dispatch import send_task_on_commit
from core.errors import Conflict, NotFound
from core.models import Heartbeat, OfficeClosure

RECOMPUTE_TASK = "sla.recompute_open"
# When the calendar last changed, and when a recompute last started: if the first is later, the
# recompute message was lost (broker down) and the SLA sweep starts one.
CALENDAR_CHANGED = "calendar_changed"
RECOMPUTE_STARTED = "calendar_recompute_started"


def _calendar_changed() -> None:
    Heartbeat.objects.update_or_create(name=CALENDAR_CHANGED, defaults={"last_run_at": timezone.now()})
    send_task_on_commit(RECOMPUTE_TASK, 0)


def calendar_recompute_pending() -> bool:
    marks = dict(Heartbeat.objects.filter(name__in=[CALENDAR_CHANGED, RECOMPUTE_STARTED])
                 .values_list("name", "last_run_at"))
    changed, started = marks.get(CALENDAR_CHANGED), marks.get(RECOMPUTE_STARTED)
    return changed is not None and (started is None or started < changed)


def calendar_recompute_started() -> None:
    Heartbeat.objects.update_or_create(name=RECOMPUTE_STARTED, defaults={"last_run_at": timezone.now()})


@transaction.atomic
def closure_add(*, day: date, reason: str, actor=None) -> OfficeClosure:
    if OfficeClosure.objects.filter(day=day).exists():
        raise Conflict(f"The office is already closed on {day.isoformat()}.")
    closure = OfficeClosure.objects.create(day=day, reason=reason, created_by=actor)
    if actor is not None:
        config_log(actor=actor, instance=closure, action="create", before=None, after=snapshot(closure))
    _calendar_changed()
    return closure


@transaction.atomic
def closure_remove(*, day: date, actor=None) -> None:
    closure = OfficeClosure.objects.filter(day=day).first()
    if closure is None:
        raise NotFound(f"There is no office closure on {day.isoformat()}.")
    if actor is not None:
        config_log(actor=actor, instance=closure, action="delete", before=snapshot(closure), after=None)
    closure.delete()
    _calendar_changed()
