"""The audit trail: an append-only, hash-chained list of events per case (docs/design.md, "Audit chain")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import ActorKind, Visibility
from core.models.case import Case


class CaseEvent(models.Model):
    """One thing that happened to a case. Rows are never updated or deleted (a trigger enforces it)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_events", null=True, blank=True
    )
    actor_kind = models.CharField(max_length=8, choices=ActorKind.choices)
    type = models.CharField(max_length=48)
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.INTERNAL)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="caseevent_case_seq_unique")]
        verbose_name = _("case event")

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.type}"


class AuditCheckpoint(models.Model):
    """A signed record of where case chains stood (core.audit_checkpoints). Append-only, like the events."""

    at = models.DateTimeField()
    cases = models.PositiveIntegerField()  # how many chain heads it records (those that moved since the last)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("audit checkpoint")


class AuditCheckpointEntry(models.Model):
    """One case's chain head at a checkpoint, signed (Ed25519) with a private key that is not in the database:
    whoever rewrites the chain up to ``seq`` no longer matches ``hash``, and cannot re-sign it."""

    checkpoint = models.ForeignKey(AuditCheckpoint, on_delete=models.PROTECT, related_name="entries")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="checkpoint_entries")
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)  # Ed25519, hex

    class Meta:
        indexes = [models.Index(fields=["case", "seq"], name="checkpoint_entry_case_seq")]
        verbose_name = _("audit checkpoint entry")
