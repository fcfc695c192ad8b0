"""เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ — sealed corruption / misconduct reports (ITA O28)."""

from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from core.choices import Status as S
from core.models import Case
from workflows.base import CITIZEN, SYSTEM, EscalationMachine, step
from workflows.permissions import supervises, works_case


class CorruptionReport(EscalationMachine, Case):
    class Meta:
        proxy = True
        verbose_name = _("corruption report")

    @transition(field="status", source=S.SUBMITTED, target=S.ASSIGNED, permission=supervises,
                custom=step(origins=(SYSTEM,)))
    def assign(self, *, unit, assignee=None) -> None:
        self.unit, self.assignee = unit, assignee

    @transition(field="status", source=S.ASSIGNED, target=S.FACT_FINDING, permission=works_case,
                custom=step(acknowledges=True))
    def accept(self) -> None:
        """Fact-finding begins."""

    @transition(field="status", source=S.FACT_FINDING, target=S.AWAITING_INFO, permission=works_case,
                custom=step(message="question", pauses=True))
    def request_info(self, *, question: str) -> None:
        """Ask the reporter; the clock pauses."""

    @transition(field="status", source=[S.AWAITING_INFO, S.ON_HOLD], target=S.FACT_FINDING, permission=works_case,
                custom=step(origins=(CITIZEN, SYSTEM), resumes=True))
    def resume(self) -> None:
        """The reporter answered, the wait is over, or its maximum ran out."""

    @transition(field="status", source=S.FACT_FINDING, target=S.ON_HOLD, permission=works_case,
                custom=step(message="note", holds=True))
    def hold(self, *, waiting_reason, note: str = "") -> None:
        """Fact-finding waits (a legal process, another agency's records...)."""
        self.waiting_reason = waiting_reason

    @transition(field="status", source=S.FACT_FINDING, target=S.REFERRED, permission=supervises,
                custom=step(refers=True))
    def refer(self, *, agency, letter_number: str, letter_date) -> None:
        """Sent to an agency that investigates corruption (the NACC, the PACC); never with the reporter's identity."""
        self.referred_to, self.referral_letter_number, self.referral_letter_date = agency, letter_number, letter_date

    @transition(field="status", source=S.REFERRED, target=S.FACT_FINDING, permission=works_case,
                custom=step(agency_replies=True, resumes=True))
    def record_agency_reply(self, *, summary: str, letter_number: str = "", letter_date=None) -> None:
        """The agency answered (``summary``, internal); the integrity unit concludes."""

    @transition(field="status", source=S.FACT_FINDING, target=S.DISMISSED, permission=works_case, custom=step())
    def dismiss(self, *, reason: str) -> None:
        """No grounds found; the reason stays internal until the conclusion."""

    @transition(field="status", source=S.FACT_FINDING, target=S.REFERRED_FOR_INQUIRY, permission=supervises,
                custom=step())
    def refer_for_inquiry(self, *, reason: str = "") -> None:
        """Grounds found: a disciplinary inquiry takes over."""

    @transition(field="status", source=[S.DISMISSED, S.REFERRED_FOR_INQUIRY], target=S.CONCLUDED,
                permission=supervises, custom=step(message="summary", resolves=True))
    def conclude(self, *, summary: str) -> None:
        """The summary released to the reporter."""

    @transition(field="status", source=S.CONCLUDED, target=S.CLOSED, permission=works_case,
                custom=step(origins=(SYSTEM,)))
    def close(self) -> None:
        """Nothing more to do."""
