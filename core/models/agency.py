"""Other agencies a case is referred to or received from (docs/design.md, "Referral to another agency")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.translated import TranslatedNameMixin

DEFAULT_REPLY_DAYS = 15


class Agency(TranslatedNameMixin, models.Model):
    """An agency outside the office: the Damrongdham centre, the 1111 centre, other area offices, OBEC, the
    provincial office, the police, the NACC. Referring a case to it emails ``email`` a summary and starts a
    follow-up clock of ``reply_days`` business days on the case's escalation ladder."""

    code = models.SlugField(max_length=48, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, help_text=_("Where referrals are emailed; blank: the letter goes by post."))
    phone = models.CharField(max_length=64, blank=True)
    address = models.TextField(max_length=1_000, blank=True)
    reply_days = models.PositiveSmallIntegerField(
        default=DEFAULT_REPLY_DAYS, help_text=_("Business days the agency has to reply before the case escalates."))
    # Only agencies that investigate corruption (the NACC, the PACC) may receive a sealed report.
    handles_corruption = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
