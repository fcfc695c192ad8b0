"""kind -> workflow: the proxy model, its first status, its default answer time."""

from dataclasses import dataclass

from django_fsm import Transition

from core.choices import Kind, Status
from core.errors import NotFound
from core.models import Case
from workflows.codecision import CoDecision
from workflows.complaint import Complaint
from workflows.corruption import CorruptionReport
from workflows.suggestion import Suggestion

MACHINE_FIELDS = ("status", "escalation_level")


@dataclass(frozen=True)
class Workflow:
    kind: str
    model: type[Case]
    initial_status: str
    # Calendar days within which the citizen can expect an answer (Royal Decree on Good
    # Governance B.E. 2546: 15 days) until an SLA policy applies; None when no answer is owed.
    answer_days: int | None

    def cast(self, case: Case) -> Case:
        """The same row as this workflow's proxy model, so its transitions are available."""
        case.__class__ = self.model
        return case

    def transition_names(self) -> list[str]:
        names: list[str] = []
        for field_name in MACHINE_FIELDS:
            names.extend(self.model._meta.get_field(field_name).transitions[self.model])
        return names

    def transition_method(self, case: Case, name: str):
        """The bound transition method called ``name``; NotFound when this kind has none."""
        if name not in self.transition_names():
            raise NotFound(f"A {self.kind} has no transition named '{name}'.")
        return getattr(case, name)

    def available_transitions(self, case: Case, user) -> list[str]:
        """Names ``user`` may fire now, alphabetically (status machine first, then escalation)."""
        available: list[str] = []
        for field_name in MACHINE_FIELDS:
            getter = getattr(case, f"get_available_user_{field_name}_transitions")
            available.extend(t.name for t in getter(user))
        return available


WORKFLOWS: dict[str, Workflow] = {
    Kind.COMPLAINT: Workflow(Kind.COMPLAINT, Complaint, Status.SUBMITTED, answer_days=15),
    Kind.CORRUPTION: Workflow(Kind.CORRUPTION, CorruptionReport, Status.SUBMITTED, answer_days=30),
    Kind.SUGGESTION: Workflow(Kind.SUGGESTION, Suggestion, Status.SUBMITTED, answer_days=15),
    Kind.CODECISION: Workflow(Kind.CODECISION, CoDecision, Status.DRAFT, answer_days=None),
}


def workflow_for(kind: str) -> Workflow:
    return WORKFLOWS[kind]


def current_transition(bound_method) -> Transition | None:
    """The django-fsm Transition that ``bound_method`` would take from the case's current state."""
    meta = bound_method._django_fsm
    return meta.get_transition(meta.field.get_state(bound_method.__self__))
