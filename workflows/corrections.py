"""Correcting a case after intake: its category (routed again, its SLA targets recomputed), its priority (its SLA
targets recomputed), and personal data redacted out of its title or description. Each is one audited event in
the case's chain, through the one writer (workflows.changes).

The clocks keep when they started and every pause: a corrected policy changes the targets they are measured
against, not the time already spent, so a late case is not made on time by reclassifying it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import FINAL_STATUSES, ActorKind, Priority, Visibility
from core.config_cache import calendars, config_snapshot
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Case, CaseEvent, ClockKind
from core.search import search_document_initial
from core.selectors import case_get_for_update
from core.sla import policy_budget, policy_max_pause
from workflows.changes import CaseChange, case_changes_write
from workflows.permissions import works_case
from workflows.routing import choose_assignee, routing_unit_for
from workflows.sla import sla_compute


def _locked_open(tracking: str, actor) -> Case:
    case = case_get_for_update(tracking=tracking, user=actor)
    if not works_case(case, actor):
        raise PermissionDenied(_("Only the assignee or a supervisor of this case may correct it."))
    if case.status in FINAL_STATUSES:
        raise Conflict(_("This case is closed; nothing more can be done to it."))
    return case


@transaction.atomic
def case_correct(*, tracking: str, actor, category: str | None = None, priority: str | None = None,
                 reason: str = "") -> Case:
    """A new category and/or priority. A new category routes the case again: if its rules name another unit,
    the case moves there, to the officer that unit's strategy chooses (or its queue)."""
    case = _locked_open(tracking, actor)
    config = config_snapshot()
    data: dict = {"reason": reason}
    change = CaseChange(case)
    if category is not None and category != (case.category.code if case.category_id else None):
        new = config.category(case.kind, category)
        if new is None:
            message = _("Choose an active category of this kind of case.")
            raise ValidationFailed(message, fields={"category": [message]})
        data["category"] = {"from": case.category.code if case.category_id else None, "to": new.code}
        change.set(category=new)
        _route_again(change, data)
    if priority is not None and priority != case.priority:
        if priority not in Priority.values:
            message = _("Choose one of the priorities.")
            raise ValidationFailed(message, fields={"priority": [message]})
        data["priority"] = {"from": case.priority, "to": priority}
        change.set(priority=priority)
    if len(data) == 1:
        raise ValidationFailed(_("Nothing to change: choose another category or priority."),
                               fields={"category": [_("Nothing to change.")]})
    _targets_again(change, config)
    now = timezone.now()
    change.set(updated_at=now)
    change.event(type="correct", actor=actor, actor_kind=ActorKind.STAFF, data=data,
                 visibility=Visibility.INTERNAL, at=now)
    case_changes_write([change])
    return change.case


def _route_again(change: CaseChange, data: dict) -> None:
    case = change.case
    if case.unit_id is None:
        return  # not routed yet: the router reads the new category when it does
    unit = routing_unit_for(case)
    if unit is None or unit.pk == case.unit_id:
        return
    assignee = choose_assignee(unit)
    data["unit"] = {"from": case.unit.code, "to": unit.code}
    data["assignee"] = {"from": case.assignee.username if case.assignee_id else None,
                        "to": assignee.username if assignee else None}
    change.set(unit=unit, assignee=assignee)


def _targets_again(change: CaseChange, config) -> None:
    """The acknowledge and resolve clocks measured against the policy that now applies (same start, same
    pauses); the ladder steps already applied stay applied. (The agency's and the committee's clocks count their
    own days.)"""
    case = change.case
    policy = config.sla_policy_for(case.kind, case.category_id, case.priority)
    clocks, pauses = change.clocks
    if policy is None:
        return
    for clock in clocks:
        if clock.kind in (ClockKind.AGENCY, ClockKind.DECISION) or clock.policy_id == policy.pk:
            continue
        clock.policy_id, clock.calendar = policy.pk, policy.calendar
        clock.budget_seconds, clock.max_pause_seconds = policy_budget(policy, clock.kind), policy_max_pause(policy)
        clock.ladder = [dict(step) for step in sorted(policy.ladder, key=lambda step: step["percent"])]
        clock.steps_applied = min(clock.steps_applied, len(clock.ladder))
        change.rewritten_clocks.append(clock)
    sla_compute(case, clocks, pauses, calendars())


@transaction.atomic
def case_redact(*, tracking: str, actor, title: str, description: str, reason: str) -> Case:
    """Personal data taken out of the title or description (a name, a phone number the citizen typed there).
    The event records which fields changed and why, never the removed text; the search text is rebuilt."""
    case = _locked_open(tracking, actor)
    if not reason.strip():
        message = _("Say what was removed, in general terms.")
        raise ValidationFailed(message, fields={"reason": [message]})
    fields = [name for name, value in (("title", title), ("description", description)) if getattr(case, name) != value]
    if not fields:
        message = _("Nothing was changed: edit the title or the description.")
        raise ValidationFailed(message, fields={"description": [message]})
    change = CaseChange(case)
    now = timezone.now()
    change.set(title=title, description=description, updated_at=now)
    change.set(search_document=_search_document(case))
    change.event(type="redact", actor=actor, actor_kind=ActorKind.STAFF, data={"fields": fields, "reason": reason},
                 visibility=Visibility.INTERNAL, at=now)
    case_changes_write([change])
    return change.case


def _search_document(case: Case) -> str:
    """The case's text as intake makes it, then the office's public messages, as they were added."""
    answers = (CaseEvent.objects.filter(case=case, visibility=Visibility.PUBLIC).exclude(actor_kind=ActorKind.CITIZEN)
               .order_by("seq").values_list("data__message", flat=True))
    return "\n".join([search_document_initial(case), *[text for text in answers if text]])
