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
                custom=step(acknowledges=True, refers=True))
    def refer(self, *, agency, letter_number: str, letter_date) -> None:
        """Sent, with the office's letter, to the agency that holds the mandate. The case stays open, awaiting
        the agency, on the agency's own follow-up clock (docs/design.md, "Referral to another agency")."""
        self.referred_to, self.referral_letter_number, self.referral_letter_date = agency, letter_number, letter_date

    @transition(field="status", source=S.REFERRED, target=S.IN_PROGRESS, permission=works_case,
                custom=step(agency_replies=True, resumes=True))
    def record_agency_reply(self, *, summary: str, letter_number: str = "", letter_date=None) -> None:
        """The agency answered (``summary``, internal); the office now answers the citizen."""

    @transition(field="status", source=S.IN_PROGRESS, target=S.ON_HOLD, permission=works_case,
                custom=step(message="note", holds=True))
    def hold(self, *, waiting_reason, note: str = "") -> None:
        """Work waits on something outside the office's hands (docs/design.md, "Waiting for a stated reason")."""
        self.waiting_reason = waiting_reason

    @transition(field="status", source=S.IN_PROGRESS, target=S.AWAITING_INFO, permission=works_case,
                custom=step(message="question", pauses=True))
    def request_info(self, *, question: str) -> None:
        """Ask the citizen; the SLA clock pauses while we wait."""

    @transition(field="status", source=[S.AWAITING_INFO, S.ON_HOLD], target=S.IN_PROGRESS, permission=works_case,
                custom=step(origins=(CITIZEN, SYSTEM), resumes=True))
    def resume(self) -> None:
        """The citizen answered, the wait is over, or its maximum ran out."""

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
