"""Public consultations on co-decision items, and what follows them (docs/participation.md): the questions asked,
the opinions citizens give (each with its own tracking number, PH-...), the themes staff summarise them into and answer,
the implementation milestones of a decision, and the people who follow an item."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.case import Case
from core.models.participation import StakeholderGroup
from core.models.translated import translated


class ConsultationQuestion(models.Model):
    """A question the consultation asks; every opinion may answer it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consultation_questions")
    position = models.PositiveSmallIntegerField(default=0)
    text_th = models.CharField(max_length=500)
    text_en = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("consultation question")

    @property
    def text(self) -> str:
        return translated(self, "text")


class Stance(models.TextChoices):
    SUPPORT = "support", _("I support it")
    OPPOSE = "oppose", _("I oppose it")
    NEUTRAL = "neutral", _("Neither, or it depends")


class OpinionTheme(models.Model):
    """What several opinions say, in the office's words, with how many said it and the office's answer."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="opinion_themes")
    title = models.CharField(max_length=300)
    answer = models.TextField(max_length=5_000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("opinion theme")


class Opinion(models.Model):
    """A citizen's opinion on an open consultation. Hidden by moderation (with the reason, audited), never deleted;
    the contact details, if given, are encrypted at rest like a case's (core.crypto)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="opinions")
    tracking_number = models.CharField(max_length=20, unique=True)
    stance = models.CharField(max_length=8, choices=Stance.choices)
    body = models.TextField(max_length=5_000)
    answers = models.JSONField(default=dict, blank=True)  # {question id: answer}
    group = models.ForeignKey(StakeholderGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    contact_encrypted = models.TextField(blank=True)
    # The personal-data notice the citizen accepted, when they left contact details.
    consent_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, default="th")
    submitted_at = models.DateTimeField()
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    theme = models.ForeignKey(OpinionTheme, on_delete=models.PROTECT, null=True, blank=True, related_name="opinions")

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("opinion")
        indexes = [models.Index(fields=["case", "submitted_at"], name="opinion_case_time")]


class Milestone(models.Model):
    """A step of implementing a decision, as the public board shows it: what, how far (percent), by when, done."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(max_length=300)
    percent = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    note = models.TextField(max_length=2_000, blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")


class Follower(models.Model):
    """Someone told by email when a followed item's phase, decision or progress changes. The address is encrypted at
    rest, with a keyed hash so that one address follows an item once; the link to stop is signed
    (workflows.follow_up.unfollow_token)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="followers")
    email_encrypted = models.TextField()
    email_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=8, default="th")
    consent_at = models.DateTimeField()
    created_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "email_hash"], condition=models.Q(stopped_at=None),
                                               name="follower_once")]
