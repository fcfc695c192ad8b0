"""Routing rules: which unit receives a new case (docs/design.md, "Routing")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Channel, Kind
from core.models.catalog import Category
from core.models.org import Unit


class RoutingRule(models.Model):
    """First active rule, by ``position``, whose every filled condition matches the case wins."""

    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=100)
    kind = models.CharField(max_length=16, choices=Kind.choices, blank=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=24, choices=Channel.choices, blank=True)
    # The school the case is about, or any school of a district (อำเภอ).
    school = models.ForeignKey("core.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    district = models.CharField(max_length=100, blank=True)
    # Thai (or any) words, one per line or comma-separated; any one found in the title or description matches.
    keywords = models.TextField(blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="routing_rules")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("routing rule")

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [word.strip().casefold() for word in self.keywords.replace(",", "\n").splitlines() if word.strip()]
