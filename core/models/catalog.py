"""Categories that citizens and staff choose from, per case kind."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Kind
from core.models.translated import TranslatedNameMixin


class Category(TranslatedNameMixin, models.Model):
    kind = models.CharField(max_length=16, choices=Kind.choices)
    code = models.SlugField(max_length=48)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="category_kind_code_unique")]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
