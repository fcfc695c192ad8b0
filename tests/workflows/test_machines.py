"""The state machines' guard rails: protected fields, origins, the escalation machine."""

import pytest

from core.choices import ActorKind
from core.errors import PermissionDenied
from core.models import Case
from tests.conftest import put_in_status, submit, user_named
from workflows.registry import workflow_for
from workflows.transitions import case_transition

pytestmark = pytest.mark.django_db


def test_status_and_escalation_level_cannot_be_assigned_directly(demo):
    case = workflow_for("complaint").cast(submit().case)
    with pytest.raises(AttributeError):
        case.status = "closed"
    with pytest.raises(AttributeError):
        case.escalation_level = 3
    loaded = Case.objects.get(pk=case.pk)
    with pytest.raises(AttributeError):
        loaded.status = "closed"
    loaded.refresh_from_db()  # reloading is still allowed
    assert loaded.status == "submitted"


@pytest.mark.parametrize("status,name,params", [
    ("in_progress", "respond", {"reply": "x"}),
    ("responded", "close", {}),
    # (reopen is the citizen's too, within the window after the answer: tests/workflows/test_answer_window.py)
    ("in_progress", "escalate", {}),
    ("submitted", "assign", {"unit": "personnel"}),
])
def test_the_citizen_may_not_fire_staff_transitions(demo, status, name, params):
    case = put_in_status(submit().case, status, unit="personnel", assignee=user_named("officer1"))
    with pytest.raises(PermissionDenied):
        case_transition(tracking=case.tracking_number, name=name, origin=ActorKind.CITIZEN, params=params)
    assert Case.objects.get(pk=case.pk).status == status


def test_the_citizen_may_resume(demo):
    case = put_in_status(submit().case, "awaiting_info", unit="personnel", assignee=user_named("officer1"))
    moved = case_transition(tracking=case.tracking_number, name="resume", origin=ActorKind.CITIZEN)
    assert moved.status == "in_progress"


def test_the_system_may_assign_escalate_and_close_but_not_answer(demo):
    case = submit().case
    moved = case_transition(tracking=case.tracking_number, name="assign", origin=ActorKind.SYSTEM,
                            params={"unit": "personnel"})
    assert (moved.status, moved.unit.code, moved.assignee) == ("assigned", "personnel", None)
    assert case_transition(tracking=case.tracking_number, name="escalate", origin=ActorKind.SYSTEM).escalation_level == 1
    put_in_status(case, "in_progress")
    with pytest.raises(PermissionDenied):
        case_transition(tracking=case.tracking_number, name="respond", origin=ActorKind.SYSTEM, params={"reply": "x"})


def test_available_transitions_list_both_machines(demo):
    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    workflow = workflow_for(case.kind)
    assert workflow.available_transitions(workflow.cast(case), user_named("officer1")) == [
        "hold", "request_info", "respond", "escalate"]
