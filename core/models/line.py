"""A LINE user of the office's Official Account (docs/channels.md, "LINE"): where their conversation with the bot
stands, the cases they sent, and whether they blocked the account (then nothing more is pushed to them). In core:
the notifications read it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LineUser(models.Model):
    user_id = models.CharField(max_length=64, unique=True)
    step = models.CharField(max_length=16, default="idle")
    draft = models.JSONField(default=dict, blank=True)  # the case being told: kind, topic, text, photos, place
    last_event_at = models.DateTimeField(null=True, blank=True)  # the newest event taken: older ones come too late
    blocked_at = models.DateTimeField(null=True, blank=True)
    cases = models.ManyToManyField("core.Case", related_name="+", blank=True)

    class Meta:
        verbose_name = _("LINE user")
