"""Open311 GeoReport v2 clients (docs/channels.md): each application that posts service requests has its own API key,
kept only as a keyed hash, so that its requests are known and a leaked key is revoked alone."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Client(models.Model):
    name = models.CharField(max_length=200)
    key_hash = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 client")

    def __str__(self) -> str:
        return self.name
