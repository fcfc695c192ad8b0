"""Satisfaction surveys (seed 3.5; docs/participation.md, "Surveys"): about a mission, a strategy or a service, aimed
at stakeholder groups, open for a period on the portal. Responses are anonymous by design: nothing ties a response to
a person, an address or a case; one-time form tokens and invitation links are kept only as keyed hashes."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models.participation import StakeholderGroup
from core.models.translated import translated


class SurveySubject(models.TextChoices):
    MISSION = "mission", _("A mission of the office")
    STRATEGY = "strategy", _("A strategy or plan")
    SERVICE = "service", _("A service")


class Survey(models.Model):
    code = models.SlugField(max_length=48, unique=True)
    title_th = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)
    description_th = models.TextField(max_length=5_000, blank=True)
    description_en = models.TextField(max_length=5_000, blank=True)
    subject = models.CharField(max_length=16, choices=SurveySubject.choices)
    groups = models.ManyToManyField(StakeholderGroup, related_name="+", blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    # Only through invitation links, one response each (a school board's members, say); else anyone may answer.
    invitation_only = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("survey")

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def description(self) -> str:
        return translated(self, "description")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("A scale from 1 to 5")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    TEXT = "text", _("Free text")


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices)
    text_th = models.CharField(max_length=500)
    text_en = models.CharField(max_length=500, blank=True)
    choices = models.JSONField(default=list, blank=True)  # [{"th": ..., "en": ...}] for single and multiple
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("survey question")

    @property
    def text(self) -> str:
        return translated(self, "text")

    def choice_labels(self) -> list[str]:
        english = (get_language() or "th").startswith("en")
        return [choice.get("en") if english and choice.get("en") else choice["th"] for choice in self.choices]


class SurveyInvitation(models.Model):
    """One response's worth of invitation, for a stakeholder group; the link's token is shown once, kept hashed."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    group = models.ForeignKey(StakeholderGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    group = models.ForeignKey(StakeholderGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The day only: a timestamp to the second could be matched against a visit to the office.
    submitted_on = models.DateField()
    # The form's one-time token (a keyed hash): the same form cannot be sent twice.
    form_token_hash = models.CharField(max_length=64, unique=True)
    invitation = models.OneToOneField(SurveyInvitation, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="response")

    class Meta:
        verbose_name = _("survey response")


class TextReview(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Shown in the results")
    HIDDEN = "hidden", _("Not shown (personal data, abuse or off topic)")


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    chosen = models.JSONField(default=list, blank=True)  # indexes into the question's choices
    text = models.TextField(max_length=2_000, blank=True)
    review = models.CharField(max_length=10, choices=TextReview.choices, blank=True)  # free-text answers only

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once")]
