"""The office, its units (กลุ่มงาน) and who belongs to which unit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.translated import TranslatedNameMixin


class Office(TranslatedNameMixin, models.Model):
    code = models.SlugField(max_length=32, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    short_name_th = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("office")


class AssignmentStrategy(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("Round robin")
    LEAST_LOADED = "least_loaded", _("Least loaded (open cases weighted by priority)")
    MANUAL = "manual", _("Manual (unit queue; officers claim)")


class Unit(TranslatedNameMixin, models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="units")
    code = models.SlugField(max_length=32, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    # The integrity unit alone receives sealed corruption reports (ITA O28).
    is_integrity = models.BooleanField(default=False)
    # Cases that no routing rule claims land here (at most one unit should have it).
    receives_unrouted = models.BooleanField(default=False)
    strategy = models.CharField(max_length=16, choices=AssignmentStrategy.choices, default=AssignmentStrategy.ROUND_ROBIN)
    # Round robin remembers whom it gave the last case to.
    last_assignee_id = models.BigIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")

    def clean(self) -> None:
        """The sealed channel must always have somewhere to go: keep at least one active integrity unit."""
        if self.pk is None or (self.is_integrity and self.active):
            return
        others = Unit.objects.filter(is_integrity=True, active=True).exclude(pk=self.pk)
        was_integrity = Unit.objects.filter(pk=self.pk, is_integrity=True, active=True).exists()
        if was_integrity and not others.exists():
            raise ValidationError(_("This is the only active integrity unit: corruption reports would have nowhere "
                                    "to go. Create another one first."))


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    # The unit head (ผู้อำนวยการกลุ่ม) supervises the unit's cases and receives level-1 escalations.
    is_head = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_user_unit_unique")]
        verbose_name = _("unit membership")

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit.code}{' (head)' if self.is_head else ''}"
