"""What every workflow shares: transition metadata and the escalation machine.

Transition metadata rides on django-fsm's ``custom=`` dict so that the transition table stays
the single description of a workflow:

- ``origins``: who besides staff may fire it (``citizen``, ``system``); staff are checked by ``permission=``;
- ``message``: the parameter whose text is shown to the citizen (a reply, a reason, a decision);
- ``acknowledges`` / ``resolves``: the steps that meet the acknowledge and resolve clocks (docs/design.md, "Workflows");
- ``pauses`` / ``resumes`` / ``reopens``: the steps that stop and restart the clocks (docs/design.md, "SLA");
- ``holds``: work waits for a configured reason, which says whether the clocks stop (docs/design.md, "Waiting for a stated reason");
- ``refers`` / ``agency_replies``: the case goes to another agency, whose own follow-up clock runs until staff
  record its reply (docs/design.md, "Referral to another agency");
- ``consults`` / ``deliberates``: a co-decision item's consultation window opens (its clock runs until the window
  closes) and closes (the committee's decision clock starts; docs/participation.md, "Clocks").
"""

from django_fsm import transition

from core.choices import FINAL_STATUSES, ActorKind, EscalationLevel
from workflows.permissions import works_case

CITIZEN = ActorKind.CITIZEN.value
SYSTEM = ActorKind.SYSTEM.value


def step(*, origins: tuple[str, ...] = (), message: str | None = None, acknowledges: bool = False,
         resolves: bool = False, pauses: bool = False, resumes: bool = False, reopens: bool = False,
         holds: bool = False, refers: bool = False, agency_replies: bool = False, consults: bool = False,
         deliberates: bool = False) -> dict:
    return {"origins": frozenset(origins), "message": message, "acknowledges": acknowledges, "resolves": resolves,
            "pauses": pauses, "resumes": resumes, "reopens": reopens, "holds": holds, "refers": refers,
            "agency_replies": agency_replies, "consults": consults, "deliberates": deliberates}


# What the clocks and the case's SLA columns react to (workflows.sla.sla_on_transition).
CLOCK_FLAGS = ("acknowledges", "resolves", "pauses", "resumes", "reopens", "holds", "refers", "agency_replies",
               "consults", "deliberates")


def is_open(case) -> bool:
    return case.status not in FINAL_STATUSES


class EscalationMachine:
    """The second, orthogonal machine: who is accountable, 0 officer .. 3 oversight body.

    Escalating moves the case into the next level's queue; it never changes the work status.
    Mixed into every workflow proxy model.
    """

    @transition(field="escalation_level", source=EscalationLevel.DIRECTOR, target=EscalationLevel.OVERSIGHT,
                conditions=[is_open], permission=works_case, custom=step(origins=(SYSTEM,)))
    @transition(field="escalation_level", source=EscalationLevel.UNIT_HEAD, target=EscalationLevel.DIRECTOR,
                conditions=[is_open], permission=works_case, custom=step(origins=(SYSTEM,)))
    @transition(field="escalation_level", source=EscalationLevel.OFFICER, target=EscalationLevel.UNIT_HEAD,
                conditions=[is_open], permission=works_case, custom=step(origins=(SYSTEM,)))
    def escalate(self, *, reason: str = "") -> None:
        """Raise accountability one level; ``reason`` is recorded in the audit event."""
