"""SLA policies, office closures and the clocks that run on each case (docs/design.md, "SLA")."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.choices import Kind, Priority
from core.models.case import Case
from core.models.catalog import Category
from core.models.translated import TranslatedNameMixin


class CalendarCode(models.TextChoices):
    BUSINESS = "business", _("Business days (Mon–Fri 08:30–16:30, minus holidays and closures)")
    ALWAYS = "24x7", _("Every hour of every day (24x7)")


class DurationUnit(models.TextChoices):
    BUSINESS_DAYS = "business_days", _("business days")
    BUSINESS_HOURS = "business_hours", _("business hours")
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


class ClockKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    RESOLVE = "resolve", _("Resolve")
    # While a case is referred: the time the agency has to reply (core.models.agency.Agency.reply_days).
    AGENCY = "agency_reply", _("Agency reply")
    # Co-decision items: the committee's business days to decide once the consultation has closed.
    DECISION = "decision", _("Committee decision")


class PauseReason:
    """Why a clock is paused (``SlaPause.reason``), besides the configured waiting reasons' codes."""

    AWAITING_CITIZEN = "awaiting_citizen"  # request_info: the policy's maximum pause applies
    ANSWERED = "answered"  # between an answer and a reopening
    REFERRED = "referred"  # the resolve clock while the agency holds the case; its own clock runs


def default_ladder() -> list[dict]:
    # 75% warns the assignee; 100%, 150%, 200% hand accountability up one level each.
    return [{"percent": 75, "level": 0}, {"percent": 100, "level": 1}, {"percent": 150, "level": 2},
            {"percent": 200, "level": 3}]


class SlaPolicy(models.Model):
    """Targets for (kind, category?, priority?); the most specific active policy applies."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    priority = models.CharField(max_length=8, choices=Priority.choices, blank=True)
    calendar = models.CharField(max_length=16, choices=CalendarCode.choices, default=CalendarCode.BUSINESS)
    acknowledge_value = models.DecimalField(max_digits=8, decimal_places=2)
    acknowledge_unit = models.CharField(max_length=16, choices=DurationUnit.choices)
    resolve_value = models.DecimalField(max_digits=8, decimal_places=2)
    resolve_unit = models.CharField(max_length=16, choices=DurationUnit.choices)
    # How long a case may wait for the citizen before it resumes by itself (blank: never).
    max_pause_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_pause_unit = models.CharField(max_length=16, choices=DurationUnit.choices, blank=True)
    # [{"percent": 75, "level": 0}, ...]: level 0 warns the assignee, 1..3 escalate to that level.
    ladder = models.JSONField(default=default_ladder)
    # After the answer: business days the citizen has to rate it or say it did not solve the problem, and how
    # many times they may reopen the case.
    answer_window_days = models.PositiveSmallIntegerField(default=10, db_default=10)
    reopen_limit = models.PositiveSmallIntegerField(default=2, db_default=2)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Business units count on the business calendar only; minutes, hours and days on 24x7; sane sizes."""
        business_units = {DurationUnit.BUSINESS_DAYS, DurationUnit.BUSINESS_HOURS}
        errors = {}
        for field in ("acknowledge_unit", "resolve_unit", "max_pause_unit"):
            unit = getattr(self, field)
            if unit and (unit in business_units) != (self.calendar == CalendarCode.BUSINESS):
                errors[field] = _("Use business days or hours with the business calendar, and minutes, hours or days "
                                  "with the 24x7 calendar.")
        for field in ("acknowledge_value", "resolve_value", "max_pause_value"):
            value = getattr(self, field)
            if value is not None and not 0 < value <= MAX_TARGET_VALUE:
                errors[field] = _("Give a value above 0 and at most %(max)s.") % {"max": MAX_TARGET_VALUE}
        if (self.max_pause_value is None) != (not self.max_pause_unit):
            errors["max_pause_unit"] = _("Give both a maximum pause and its unit, or neither.")
        if not _ladder_valid(self.ladder):
            errors["ladder"] = _('A list of up to 10 steps {"percent": 1..1000, "level": 0..3}.')
        if errors:
            raise ValidationError(errors)


MAX_TARGET_VALUE = 1000


def _ladder_valid(ladder) -> bool:
    if not isinstance(ladder, list) or len(ladder) > 10:
        return False
    for step in ladder:
        if not isinstance(step, dict) or set(step) != {"percent", "level"}:
            return False
        percent, level = step["percent"], step["level"]
        if isinstance(percent, bool) or not isinstance(percent, int | float) or not 1 <= percent <= 1000:
            return False
        if isinstance(level, bool) or level not in (0, 1, 2, 3):
            return False
    return True


class WaitingReason(TranslatedNameMixin, models.Model):
    """Why work on a case waits on something outside the office's hands (budget, procurement, a legal process,
    another agency, the citizen): whether the SLA clocks stop meanwhile, for how long at most (then the case
    resumes by itself), and what the citizen reads."""

    code = models.SlugField(max_length=32, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    explanation_th = models.TextField(max_length=1_000, help_text=_("What the citizen reads, in plain Thai."))
    explanation_en = models.TextField(max_length=1_000, blank=True)
    stops_clock = models.BooleanField(default=True)
    max_business_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("After this many business days the case resumes by itself; blank: no limit."))
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("waiting reason")

    @property
    def explanation(self) -> str:
        if (get_language() or "th").startswith("en") and self.explanation_en:
            return self.explanation_en
        return self.explanation_th

    def clean(self) -> None:
        if self.max_business_days == 0 or (self.max_business_days or 0) > MAX_TARGET_VALUE:
            raise ValidationError({"max_business_days": _("Give a value above 0 and at most %(max)s.")
                                   % {"max": MAX_TARGET_VALUE}})


class OfficeClosure(models.Model):
    """A day the office is closed beyond the national holidays (e.g. a provincial event)."""

    day = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["day"]
        verbose_name = _("office closure")

    def __str__(self) -> str:
        return f"{self.day} {self.reason}"


class SlaClock(models.Model):
    """One running target on one case: its budget, pauses, due time and ladder progress."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="clocks")
    kind = models.CharField(max_length=16, choices=ClockKind.choices)
    # None for a clock whose days the case itself sets, when no policy covers its kind (a committee's decision clock).
    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="clocks", null=True, blank=True)
    # Copied from the policy when the clock starts, so editing a policy never moves running clocks.
    calendar = models.CharField(max_length=16, choices=CalendarCode.choices)
    budget_seconds = models.FloatField()
    ladder = models.JSONField()
    max_pause_seconds = models.FloatField(null=True, blank=True)
    started_at = models.DateTimeField()
    paused_since = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    # The clock's time when it was met (its calendar's seconds, paused time left out), kept with met_at so that
    # the statistics (core.statistics) read on-time rates and answer times in SQL instead of replaying pauses.
    used_seconds = models.FloatField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    steps_applied = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="slaclock_case_kind_unique")]
        verbose_name = _("SLA clock")

    STATE_FIELDS = ("due_at", "met_at", "used_seconds", "paused_since", "steps_applied")

    def state(self) -> tuple:
        return (self.due_at, self.met_at, self.used_seconds, self.paused_since, self.steps_applied)

    def is_dirty(self) -> bool:
        """Whether it differs from its row (new clocks are always dirty), so unchanged clocks are not rewritten."""
        return getattr(self, "_saved_state", None) != self.state()

    @classmethod
    def from_db(cls, db, field_names, values):
        clock = super().from_db(db, field_names, values)
        # Only when the row was read with its state: a partial read (the delete collector reads primary keys
        # alone) must not load each deferred field, which would read the row again, and again.
        if set(cls.STATE_FIELDS).issubset(field_names):
            clock._saved_state = clock.state()
        return clock

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.mark_saved()

    def mark_saved(self) -> None:
        self._saved_state = self.state()


class SlaPause(models.Model):
    """An interval during which a clock did not run, and why."""

    clock = models.ForeignKey(SlaClock, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=32)

    class Meta:
        ordering = ["started_at"]
