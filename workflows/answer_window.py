"""After the office's answer: the citizen's window to rate it or say it did not solve the problem.

The window opens with any answer after which the system may close the case (``transition_plan`` sets
``Case.answer_window_ends_at`` from the SLA policy's ``answer_window_days``, on the business calendar). Inside
it the citizen may reopen a complaint with a reason, at most the policy's ``reopen_limit`` times (a second
reopening also escalates). When it ends without a reopening, ``answered_cases_close`` (beat) closes the case:
an audited system transition, and the citizen is told, with a link to rate the answer.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import ActorKind
from core.errors import Conflict
from core.models import Case
from workflows.changes import CaseChange, case_changes_write
from workflows.citizen import case_locked_with_key
from workflows.registry import workflow_for
from workflows.sla import reopen_limit
from workflows.transitions import transition_plan

CLOSED_BY_WINDOW = "The window for the citizen to reopen the case after the answer has ended."


def answered_cases_close(*, now: datetime, limit: int) -> int:
    """Close at most ``limit`` cases whose answer window has ended; how many it took. Each is closed by the
    system through the transition planner; one that the state machine refuses keeps its window cleared."""
    with transaction.atomic():
        cases = list(Case.objects.select_for_update(skip_locked=True, of=("self",))
                     .filter(answer_window_ends_at__lte=now).order_by("answer_window_ends_at")[:limit])
        changes = []
        for case in cases:
            change = CaseChange(case)
            try:
                with transaction.atomic():  # planning reads: a database error stays with this case
                    transition_plan(change, name="close", origin=ActorKind.SYSTEM, comment=CLOSED_BY_WINDOW, now=now)
            except Exception:  # noqa: BLE001 - a case that cannot close (moved on meanwhile) just leaves the sweep
                change = CaseChange(Case.objects.get(pk=case.pk))
                change.set(answer_window_ends_at=None)
            changes.append(change)
        case_changes_write(changes)
    return len(cases)


def citizen_reopen_refusal(case: Case, *, now: datetime | None = None) -> str | None:
    """Why the citizen cannot reopen the case now, or None if they can."""
    now = now or timezone.now()
    if "reopen" not in workflow_for(case.kind).transition_names():
        return _("This kind of case cannot be reopened; please submit a new case instead.")
    if case.answer_window_ends_at is None or case.answer_window_ends_at <= now:
        return _("The case can be reopened only within the period after its answer; please submit a new case "
                 "instead.")
    if case.reopen_count >= reopen_limit(case):
        return _("This case has been reopened as many times as allowed; please submit a new case instead.")
    return None


@transaction.atomic
def citizen_reopen(*, tracking: str, access_key: str | None, reason: str) -> Case:
    """The citizen says the answer did not solve the problem: the case goes back to work (the resolve clock
    restarts without counting the answered time), the assignee and the unit's heads are told."""
    case = case_locked_with_key(tracking, access_key)
    if (refusal := citizen_reopen_refusal(case)) is not None:
        raise Conflict(refusal)
    change = CaseChange(case)
    transition_plan(change, name="reopen", origin=ActorKind.CITIZEN, params={"reason": reason})
    case_changes_write([change])
    return change.case
