"""ข้อร้องเรียน — complaints (docs/design.md, "Workflows")."""

from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from core.choices import Status as S
from core.models import Case
from workflows.base import CITIZEN, SYSTEM, EscalationMachine, step
from workflows.permissions import supervises, triages_case, works_case


class Complaint(EscalationMachine, Case):
    class Meta:
        proxy = True
        verbose_name = _("complaint")

    @transition(field="status", source=S.SUBMITTED, target=S.ASSIGNED, permission=supervises,
                custom=step(origins=(SYSTEM,)))
    def assign(self, *, unit, assignee=None) -> None:
        self.unit, self.assignee = unit, assignee

    @transition(field="status", source=S.ASSIGNED, target=S.IN_PROGRESS, permission=works_case,
                custom=step(acknowledges=True))
    def accept(self) -> None:
        """Screened: the complaint is within our mandate."""

    @transition(field="status", source=S.ASSIGNED, target=S.REJECTED, permission=works_case,
                custom=step(message="reason", acknowledges=True, resolves=True))
    def reject(self, *, reason: str) -> None:
        """Outside our mandate; the reason is shown to the citizen."""

    @transition(field="status", source=[S.SUBMITTED, S.ASSIGNED], target=S.MERGED, permission=triages_case,
                custom=step(acknowledges=True))
    def merge(self, *, duplicate_of) -> None:
        self.duplicate_of = duplicate_of

    @transition(field="status", source=[S.ASSIGNED, S.IN_PROGRESS], target=S.REFERRED, permission=supervises,
                custom=step(message="agency", resolves=True))
    def refer(self, *, agency: str) -> None:
        """Sent to the agency that holds the mandate; the case stays trackable."""

    @transition(field="status", source=S.IN_PROGRESS, target=S.AWAITING_INFO, permission=works_case,
                custom=step(message="question", pauses=True))
    def request_info(self, *, question: str) -> None:
        """Ask the citizen; the SLA clock pauses while we wait."""

    @transition(field="status", source=S.AWAITING_INFO, target=S.IN_PROGRESS, permission=works_case,
                custom=step(origins=(CITIZEN, SYSTEM), resumes=True))
    def resume(self) -> None:
        """The citizen answered, the assignee moved on, or the maximum pause ran out."""

    @transition(field="status", source=S.IN_PROGRESS, target=S.RESPONDED, permission=works_case,
                custom=step(message="reply", resolves=True))
    def respond(self, *, reply: str) -> None:
        """The public answer to the complaint."""

    @transition(field="status", source=S.RESPONDED, target=S.IN_PROGRESS, permission=supervises,
                custom=step(origins=(CITIZEN,), reopens=True))
    def reopen(self, *, reason: str = "") -> None:
        """Back to work after an answer that did not settle the matter: the citizen within the answer window
        (workflows/answer_window.py), or a supervisor."""

    @transition(field="status", source=[S.RESPONDED, S.REJECTED, S.REFERRED, S.MERGED], target=S.CLOSED,
                permission=works_case, custom=step(origins=(SYSTEM,)))
    def close(self) -> None:
        """Nothing more to do."""
