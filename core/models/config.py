"""Configuration that admins change through the API, and the log of every change."""

from string import Formatter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Kind

PLACEHOLDERS = ("tracking_number", "unit", "status", "due_date", "officer")


class ReplyTemplate(models.Model):
    """A ready answer. ``{tracking_number}``, ``{unit}``, ``{status}``, ``{due_date}``, ``{officer}`` are filled in."""

    code = models.SlugField(max_length=48, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=5_000)
    kind = models.CharField(max_length=16, choices=Kind.choices, blank=True, help_text="Blank: any kind.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("reply template")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in Formatter().parse(self.body or "")
                      if name is not None]
        except ValueError:
            raise ValidationError({"body": _("Unbalanced braces: write {{ and }} for literal braces.")}) from None
        if any(spec or conversion for _, spec, conversion in fields):
            raise ValidationError({"body": _("Write placeholders plainly, e.g. {tracking_number}, with no formatting.")})
        unknown = {name for name, _, _ in fields} - set(PLACEHOLDERS)
        if unknown:
            raise ValidationError({"body": _("Unknown placeholders: %(names)s. Use %(allowed)s.") % {
                "names": ", ".join(sorted(unknown)), "allowed": ", ".join("{%s}" % p for p in PLACEHOLDERS)}})


class ConfigChange(models.Model):
    """Who changed which configuration, when, from what to what. Written with the change, never edited."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    model = models.CharField(max_length=48)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=8)  # create, update, delete
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("configuration change")
