"""What the public pages publish about the office: the channels through which it listens (seed 3.4)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.choices import Channel
from core.models import Office
from core.models.translated import TranslatedNameMixin


class PublishedChannel(TranslatedNameMixin, models.Model):
    """One way to reach the office, as the home page lists it (phone number, LINE ID, address…)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="published_channels")
    kind = models.CharField(max_length=16, choices=Channel.choices)  # the channels cases arrive by
    name_th = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    detail_th = models.CharField(max_length=300, help_text=_("Number, ID or address as people should use it."))
    detail_en = models.CharField(max_length=300, blank=True)
    # Optional link: tel:, mailto:, https://line.me/R/ti/p/@id, a map, a Facebook page.
    link = models.CharField(max_length=300, blank=True, validators=[RegexValidator(
        r"^(tel:\+?[0-9]{3,15}|mailto:[^\s]+@[^\s]+|https://[^\s]+)$",
        _("A link starts with tel:, mailto: or https://."))])
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["office", "position", "id"]
        verbose_name = _("published channel")
        verbose_name_plural = _("published channels")

    @property
    def detail(self) -> str:
        if (get_language() or "th").startswith("en") and self.detail_en:
            return self.detail_en
        return self.detail_th
