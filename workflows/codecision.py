"""ประเด็นการมีส่วนร่วมตัดสินใจ — co-decision items, created by staff (seed 2.3, 2.4)."""

from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from core.choices import Status as S
from core.models import Case
from workflows.base import SYSTEM, EscalationMachine, step
from workflows.permissions import supervises


class CoDecision(EscalationMachine, Case):
    class Meta:
        proxy = True
        verbose_name = _("co-decision item")

    @transition(field="status", source=S.DRAFT, target=S.CONSULTATION, permission=supervises,
                custom=step(consults=True))
    def open_consultation(self, *, opens_at, closes_at, committee, decision_days: int) -> None:
        """The public may give opinions from ``opens_at`` until ``closes_at`` (the sweep then starts the
        deliberation); ``committee`` decides within ``decision_days`` business days of the close."""
        self.consultation_opens_at, self.consultation_closes_at = opens_at, closes_at
        self.committee, self.decision_days = committee, decision_days

    @transition(field="status", source=S.CONSULTATION, target=S.DELIBERATION, permission=supervises,
                custom=step(origins=(SYSTEM,), deliberates=True))
    def start_deliberation(self) -> None:
        """The consultation ends (when its window closes, or earlier by a supervisor); the committee deliberates.
        Opinions are taken only while the item is open for consultation, so an early end ends them too."""

    @transition(field="status", source=S.DELIBERATION, target=S.DECIDED, permission=supervises,
                custom=step(message="decision", resolves=True))
    def decide(self, *, decision: str, resolution) -> None:
        """The committee's decision, as the public reads it, from the resolution its meeting recorded (with each
        member's vote: workflows.participation.resolution_record)."""

    @transition(field="status", source=S.DECIDED, target=S.IMPLEMENTING, permission=supervises, custom=step())
    def start_implementation(self) -> None:
        """Work on the decision begins."""

    @transition(field="status", source=S.IMPLEMENTING, target=S.ON_HOLD, permission=supervises,
                custom=step(message="note", holds=True))
    def hold(self, *, waiting_reason, note: str = "") -> None:
        """Implementation waits (budget, procurement...)."""
        self.waiting_reason = waiting_reason

    @transition(field="status", source=S.ON_HOLD, target=S.IMPLEMENTING, permission=supervises,
                custom=step(origins=(SYSTEM,), resumes=True))
    def resume(self) -> None:
        """The wait is over, or its maximum ran out."""

    @transition(field="status", source=S.IMPLEMENTING, target=S.COMPLETED, permission=supervises,
                custom=step(message="summary"))
    def complete(self, *, summary: str = "") -> None:
        """Done: the summary tells stakeholders what was done ("you said, we did")."""

    @transition(field="status", source=[S.DECIDED, S.COMPLETED], target=S.CLOSED, permission=supervises,
                custom=step())
    def close(self) -> None:
        """Nothing more to do."""

    @transition(field="status", source=[S.DRAFT, S.CONSULTATION, S.DELIBERATION], target=S.WITHDRAWN,
                permission=supervises, custom=step(message="reason"))
    def withdraw(self, *, reason: str) -> None:
        """Dropped; the reason is public."""
