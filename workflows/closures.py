"""Office closures: adding or removing one moves the deadlines of every open case."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core import task_names
from core.config_changes import config_log, snapshot
from core.dispatch import send_task_on_commit
from core.errors import Conflict, NotFound
from core.models import CalendarMark, OfficeClosure

RECOMPUTE_TASK = task_names.SLA_RECOMPUTE_OPEN
# The two CalendarMark rows: when the calendar last changed, and when a recompute last started.
CALENDAR_CHANGED = "calendar_changed"
RECOMPUTE_STARTED = "calendar_recompute_started"


def _calendar_changed() -> None:
    CalendarMark.objects.update_or_create(name=CALENDAR_CHANGED, defaults={"at": timezone.now()})
    send_task_on_commit(RECOMPUTE_TASK, 0)


def calendar_recompute_pending() -> bool:
    marks = dict(CalendarMark.objects.filter(name__in=[CALENDAR_CHANGED, RECOMPUTE_STARTED]).values_list("name", "at"))
    changed, started = marks.get(CALENDAR_CHANGED), marks.get(RECOMPUTE_STARTED)
    return changed is not None and (started is None or started < changed)


def calendar_recompute_started() -> None:
    CalendarMark.objects.update_or_create(name=RECOMPUTE_STARTED, defaults={"at": timezone.now()})


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
