"""What the channels remember of what they received (docs/channels.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailOutcome(models.TextChoices):
    CASE = "case", _("A new case")
    MESSAGE = "message", _("A message on a case")
    IGNORED = "ignored", _("Ignored (an automatic reply or a delivery report)")
    REFUSED = "refused", _("Refused")


class InboundMail(models.Model):
    """One message taken from the office's mailbox, once (its Message-ID), and what became of it."""

    message_id = models.CharField(max_length=500, unique=True)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=8, choices=MailOutcome.choices)
    case = models.ForeignKey("core.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    detail = models.TextField(blank=True)  # why it was refused or ignored; files left out

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("received email")


class LineEvent(models.Model):
    """A webhook event, kept once (LINE redelivers with the same ``webhookEventId``) until a worker has taken it."""

    webhook_event_id = models.CharField(max_length=64, unique=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("LINE event")
