"""The schools an education office serves (docs/channels.md, "Schools and places"): what most of its cases are about.
Imported from the office's CSV (the OBEC school code, the Thai name, district and sub-district, optional
coordinates)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.translated import TranslatedNameMixin


class School(TranslatedNameMixin, models.Model):
    code = models.CharField(max_length=16, unique=True)  # the OBEC school code (รหัสโรงเรียน)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    district = models.CharField(max_length=100, blank=True)  # อำเภอ
    subdistrict = models.CharField(max_length=100, blank=True)  # ตำบล
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("school")

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"
