"""ข้อเสนอแนะ / ความคิดเห็น — suggestions and opinions ("you said, we did")."""

from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from core.choices import Status as S
from core.models import Case
from workflows.base import SYSTEM, EscalationMachine, step
from workflows.permissions import supervises, works_case


class Suggestion(EscalationMachine, Case):
    class Meta:
        proxy = True
        verbose_name = _("suggestion")

    @transition(field="status", source=S.SUBMITTED, target=S.ASSIGNED, permission=supervises,
                custom=step(origins=(SYSTEM,)))
    def assign(self, *, unit, assignee=None) -> None:
        self.unit, self.assignee = unit, assignee

    @transition(field="status", source=S.ASSIGNED, target=S.UNDER_CONSIDERATION, permission=works_case,
                custom=step(acknowledges=True))
    def consider(self) -> None:
        """Taken up for consideration."""

    @transition(field="status", source=S.UNDER_CONSIDERATION, target=S.ON_HOLD, permission=works_case,
                custom=step(message="note", holds=True))
    def hold(self, *, waiting_reason, note: str = "") -> None:
        """Consideration waits (a budget, a plan...)."""
        self.waiting_reason = waiting_reason

    @transition(field="status", source=S.ON_HOLD, target=S.UNDER_CONSIDERATION, permission=works_case,
                custom=step(origins=(SYSTEM,), resumes=True))
    def resume(self) -> None:
        """The wait is over, or its maximum ran out."""

    @transition(field="status", source=S.UNDER_CONSIDERATION, target=S.ADOPTED, permission=works_case,
                custom=step(message="answer", resolves=True))
    def adopt(self, *, answer: str) -> None:
        """We will do it; the answer says what and when."""

    @transition(field="status", source=S.UNDER_CONSIDERATION, target=S.NOTED, permission=works_case,
                custom=step(message="answer", resolves=True))
    def note(self, *, answer: str) -> None:
        """Kept for future planning."""

    @transition(field="status", source=S.UNDER_CONSIDERATION, target=S.DECLINED, permission=works_case,
                custom=step(message="answer", resolves=True))
    def decline(self, *, answer: str) -> None:
        """Cannot be done; the answer says why."""

    @transition(field="status", source=[S.ADOPTED, S.NOTED, S.DECLINED], target=S.CLOSED, permission=works_case,
                custom=step(origins=(SYSTEM,)))
    def close(self) -> None:
        """Nothing more to do."""
