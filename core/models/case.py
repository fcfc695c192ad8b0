"""The one table for every kind of case. Each kind is a proxy model in ``workflows/``."""

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMIntegerField, FSMModelMixin

from core.choices import Channel, EscalationLevel, Kind, Priority, Status
from core.models.catalog import Category
from core.models.org import Unit

# The queues' default order is "soonest running deadline first", deadline-less cases last:
# (COALESCE(sla_due_at, NO_DEADLINE), id). Indexed as such, so a first page reads ~50 index rows.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)


def case_due_key() -> Coalesce:
    return Coalesce(F("sla_due_at"), Value(NO_DEADLINE), output_field=models.DateTimeField())


class Case(FSMModelMixin, models.Model):
    tracking_number = models.CharField(max_length=24, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Both machines are protected: only a transition (workflows.transitions.transition_plan) moves them.
    status = FSMField(max_length=32, choices=Status.choices, default=Status.SUBMITTED, protected=True)
    escalation_level = FSMIntegerField(choices=EscalationLevel.choices, default=EscalationLevel.OFFICER, protected=True)

    channel = models.CharField(max_length=24, choices=Channel.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", null=True, blank=True)
    # No single-column indexes on unit and assignee: the composite indexes below lead with them, and every
    # case update (each sweep step, each transition) would otherwise write two more index entries.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases", null=True, blank=True,
                             db_index=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assigned_cases", null=True, blank=True,
        db_index=False,
    )
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    # Sealed cases (corruption reports) are seen only by the integrity unit and the director.
    sealed = models.BooleanField(default=False)

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=10_000)
    # The requester's contact details, a Fernet token of JSON (core.crypto): encrypted at rest.
    contact_encrypted = models.TextField(blank=True)
    anonymous = models.BooleanField(default=False)
    language = models.CharField(max_length=8, default="th")
    access_key_hash = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recorded_cases", null=True, blank=True
    )
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, related_name="duplicates", null=True, blank=True)
    # A case the citizen opened after an earlier one closed without solving the problem.
    follows = models.ForeignKey("self", on_delete=models.PROTECT, related_name="followed_by", null=True, blank=True)

    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # When the citizen can expect an answer; the SLA engine owns it once it lands.
    resolve_due_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # After the office's answer the case waits this long for the citizen to rate it or reopen it; then the
    # answered-cases sweep closes it (workflows/answer_window.py). None outside that window.
    answer_window_ends_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0, db_default=0)  # (db_default: bulk loads by COPY)

    # Referral (docs/design.md, "Referral to another agency"): the agency the case was last referred to, with the office's
    # letter; and the agency a case was received from, with its letter.
    referred_to = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    referral_letter_number = models.CharField(max_length=64, blank=True, default="", db_default="")
    referral_letter_date = models.DateField(null=True, blank=True)
    received_from = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+", null=True,
                                      blank=True)
    received_letter_number = models.CharField(max_length=64, blank=True, default="", db_default="")
    received_letter_date = models.DateField(null=True, blank=True)
    # While the case is on hold: why, and when it resumes by itself (None: no limit).
    waiting_reason = models.ForeignKey("core.WaitingReason", on_delete=models.PROTECT, related_name="+", null=True,
                                       blank=True)
    waiting_until = models.DateTimeField(null=True, blank=True)

    # The school the matter is about (an education office's cases mostly are), and where, when the channel says (an
    # Open311 request's point or address; docs/channels.md).
    school = models.ForeignKey("core.School", on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(max_length=300, blank=True, default="", db_default="")

    # Co-decision items: when citizens may send opinions.
    consultation_opens_at = models.DateTimeField(null=True, blank=True)
    consultation_closes_at = models.DateTimeField(null=True, blank=True)
    # The committee that decides it (its members see it in the workspace), and within how many business days of the
    # consultation's close (the decision clock).
    committee = models.ForeignKey("core.Committee", on_delete=models.PROTECT, related_name="cases", null=True,
                                  blank=True)
    decision_days = models.PositiveSmallIntegerField(null=True, blank=True)

    # What q= searches: title, description, the office's public messages and the tracking number.
    # Matched by substring (trigram-indexed on PostgreSQL), which suits Thai: no word boundaries needed.
    search_document = models.TextField(blank=True, default="")

    # The head of the audit chain, so that removing events from its end is detected too.
    event_head_seq = models.PositiveIntegerField(default=0)
    event_head_hash = models.CharField(max_length=64, blank=True)

    # SLA (docs/design.md, "SLA"): when the sweep must next look at this case, and the earliest unmet
    # deadline and at-risk point of its running clocks, for the overdue and at-risk queues.
    sla_next_action_at = models.DateTimeField(null=True, blank=True)
    sla_due_at = models.DateTimeField(null=True, blank=True)
    sla_warn_at = models.DateTimeField(null=True, blank=True)
    # When routing last decided about this case (the unrouted sweep skips decided cases).
    routed_at = models.DateTimeField(null=True, blank=True)

    satisfaction_score = models.PositiveSmallIntegerField(null=True, blank=True)
    satisfaction_comment = models.TextField(max_length=2_000, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "status"], name="case_unit_status"),
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
            models.Index(fields=["kind", "status"], name="case_kind_status"),
            models.Index(fields=["sla_next_action_at"], condition=models.Q(sla_next_action_at__isnull=False),
                         name="case_sla_next_action"),
            models.Index(fields=["sla_due_at"], condition=models.Q(sla_due_at__isnull=False), name="case_sla_due"),
            models.Index(fields=["answer_window_ends_at"], condition=models.Q(answer_window_ends_at__isnull=False),
                         name="case_answer_window"),
            models.Index(fields=["submitted_at"], condition=models.Q(status="submitted", routed_at__isnull=True),
                         name="case_unrouted"),
            # Keyset order of the queues, office-wide and per assignee ("mine") and unit.
            models.Index(case_due_key(), F("id"), name="case_due_key"),
            models.Index(F("assignee"), case_due_key(), F("id"), name="case_assignee_due_key"),
            models.Index(F("unit"), case_due_key(), F("id"), name="case_unit_due_key"),
            # The statistics of a period (core.statistics): a month or a quarter is read through it, and a period
            # without cases costs an index probe rather than a scan of every case.
            models.Index(fields=["submitted_at"], name="case_submitted_at"),
            # Least-loaded routing and workload counts: an officer's unanswered open cases.
            models.Index(fields=["assignee"], condition=models.Q(closed_at__isnull=True, responded_at__isnull=True),
                         name="case_assignee_open"),
        ]
        verbose_name = _("case")

    def __str__(self) -> str:
        return self.tracking_number
