"""The one transition service. The API, the pages and the workers all move cases through it."""

import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from core.choices import FINAL_STATUSES, ActorKind, Visibility
from core.errors import PermissionDenied, TransitionNotAllowed
from core.models import Case
from core.selectors import case_get_for_update
from workflows.changes import CaseChange, case_changes_write
from workflows.params import transition_params_resolve
from workflows.registry import current_transition, workflow_for
from workflows.sla import answer_window_end, sla_on_transition, waiting_end


def _json_safe(params: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(params, cls=DjangoJSONEncoder))


@transaction.atomic
def case_transition(
    *,
    tracking: str,
    name: str,
    actor=None,
    origin: str = ActorKind.STAFF,
    params: dict[str, Any] | None = None,
    comment: str = "",
) -> Case:
    """Lock the case, plan the move (``transition_plan``) and write it with the one writer.

    Staff (``actor``) are checked against the transition's ``permission``; the citizen and the
    system (``origin``) only against the origins the transition declares. Raises NotFound when
    the actor may not see the case, TransitionNotAllowed (409) when the case's state does not
    allow the move (including a race lost to another request), PermissionDenied otherwise.
    """
    case = case_get_for_update(tracking=tracking, user=actor if origin == ActorKind.STAFF else None)
    return case_transition_locked(case, name=name, actor=actor, origin=origin, params=params, comment=comment)


def case_transition_locked(
    case: Case,
    *,
    name: str,
    actor=None,
    origin: str = ActorKind.STAFF,
    params: dict[str, Any] | None = None,
    comment: str = "",
    resolved: dict[str, Any] | None = None,
) -> Case:
    """``case_transition`` for a case the caller has already locked (``select_for_update``) in the current
    transaction and may see. ``resolved``: the transition method's arguments when the caller has already
    read and checked them under its locks (routing); ``params`` are still what the audit event records."""
    change = CaseChange(case)
    transition_plan(change, name=name, actor=actor, origin=origin, params=params, comment=comment, resolved=resolved)
    case_changes_write([change])
    return change.case


def transition_plan(
    change: CaseChange,
    *,
    name: str,
    actor=None,
    origin: str = ActorKind.STAFF,
    params: dict[str, Any] | None = None,
    comment: str = "",
    resolved: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Plan transition ``name`` on the change's case, in memory: the state machine's check and move, the
    milestones, the SLA clocks, and the audit event (with who hears of it). Nothing is written."""
    params = params or {}
    case = change.case = workflow_for(change.case.kind).cast(change.case)
    method = workflow_for(case.kind).transition_method(case, name)
    if not can_proceed(method):
        raise TransitionNotAllowed(
            _("'%(step)s' is not possible now: the case is '%(status)s' at escalation level %(level)s.")
            % {"step": name, "status": case.status, "level": case.escalation_level},
            extra={"status": case.status},
        )
    step = current_transition(method)
    if origin == ActorKind.STAFF:
        if not has_transition_perm(method, actor):
            raise PermissionDenied(_("You may not '%(step)s' this case.") % {"step": name})
    elif origin not in step.custom["origins"]:
        raise PermissionDenied(_("'%(step)s' cannot be done by the %(origin)s.") % {"step": name, "origin": origin})

    if resolved is None:
        resolved = transition_params_resolve(case=case, name=name, params=params, actor=actor)
    source, level = case.status, case.escalation_level
    method(**resolved)
    now = now or timezone.now()
    _stamp_milestones(case, step.custom, now)
    _answer_window(case, step.custom, now)
    _waiting(case, step.custom, now)
    sla_on_transition(change, step.custom, now=now)
    case.updated_at = now

    message = params.get(step.custom["message"]) if step.custom["message"] else None
    data = {"params": _json_safe(params)}
    if message:
        data["message"] = message
    if comment:
        data["comment"] = comment
    moves_status = method._django_fsm.field.name == "status"
    if not moves_status:
        data.update(from_level=level, to_level=case.escalation_level)
    change.event(
        type=name,
        actor=actor,
        actor_kind=origin,
        from_status=source if moves_status else "",
        to_status=case.status if moves_status else "",
        data=data,
        visibility=Visibility.PUBLIC if message else Visibility.INTERNAL,
        at=now,
    )
    if step.custom["reopens"] and case.reopen_count >= REOPENINGS_THAT_ESCALATE and case.escalation_level < 3:
        # An answer that failed twice needs someone above the officer.
        transition_plan(change, name="escalate", origin=ActorKind.SYSTEM, now=now,
                        params={"reason": f"reopened {case.reopen_count} times"})


REOPENINGS_THAT_ESCALATE = 2


def _answer_window(case: Case, custom: dict[str, Any], now) -> None:
    """After an answer the system may close (``close`` open to the system from the new status), the citizen's
    window to rate or reopen starts; a reopening or a closure ends it (workflows/answer_window.py)."""
    if custom["reopens"]:
        case.answer_window_ends_at = None
        case.reopen_count += 1
    elif case.status in FINAL_STATUSES:
        case.answer_window_ends_at = None
    elif custom["resolves"] and _system_may_close(case):
        case.answer_window_ends_at = answer_window_end(case, now)


def _waiting(case: Case, custom: dict[str, Any], now) -> None:
    """A hold waits at most its reason's business days (then the sweep resumes the case); resuming ends it."""
    if custom["holds"]:
        case.waiting_until = waiting_end(case.waiting_reason, now)
    elif custom["resumes"]:
        case.waiting_reason, case.waiting_until = None, None


def _system_may_close(case: Case) -> bool:
    close = workflow_for(case.kind).transition_method(case, "close")
    return can_proceed(close) and ActorKind.SYSTEM in current_transition(close).custom["origins"]


def _stamp_milestones(case: Case, custom: dict[str, Any], now) -> None:
    if custom["acknowledges"] and case.acknowledged_at is None:
        case.acknowledged_at = now
    if custom["resolves"]:
        case.responded_at = now
    if custom["reopens"]:
        case.responded_at = None  # back to work: no longer answered (a rating already given stays)
    if case.status in FINAL_STATUSES:
        case.closed_at = now

