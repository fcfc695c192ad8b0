"""Committees and stakeholder groups (docs/participation.md): who deliberates and decides co-decision items with the
office, under which appointing order, with which quorum and majority."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.translated import TranslatedNameMixin


class GroupKind(models.TextChoices):
    SCHOOL_BOARD = "school_board", _("School board")
    PARENTS = "parents", _("Parent network")
    COMMUNITY = "community", _("Community")
    PRIVATE_SECTOR = "private_sector", _("Private-sector partner")
    TEACHERS = "teachers", _("Teachers and education personnel")
    OFFICE = "office", _("The office's own committee")
    OTHER = "other", _("Other")


class StakeholderGroup(TranslatedNameMixin, models.Model):
    code = models.SlugField(max_length=32, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=GroupKind.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("stakeholder group")


class QuorumRule(models.TextChoices):
    # The Administrative Procedure Act B.E. 2539 (s. 79) asks at least half of a committee's members.
    HALF = "half", _("At least half of the serving members")
    MORE_THAN_HALF = "more_than_half", _("More than half of the serving members")
    TWO_THIRDS = "two_thirds", _("At least two thirds of the serving members")


class MajorityRule(models.TextChoices):
    # The Act's rule (s. 82): a majority of the votes; on a tie the chair casts one more, deciding vote.
    SIMPLE = "simple", _("More votes for than against; on a tie the chair's casting vote decides")
    TWO_THIRDS_PRESENT = "two_thirds_present", _("At least two thirds of the members present vote for")


class Committee(TranslatedNameMixin, models.Model):
    code = models.SlugField(max_length=32, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    purpose = models.TextField(max_length=2_000, blank=True)
    # The appointing order (คำสั่งแต่งตั้ง): its number and date.
    order_number = models.CharField(max_length=64)
    order_date = models.DateField()
    quorum_rule = models.CharField(max_length=16, choices=QuorumRule.choices, default=QuorumRule.HALF)
    majority_rule = models.CharField(max_length=24, choices=MajorityRule.choices, default=MajorityRule.SIMPLE)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("committee")


class CommitteePosition(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    REPRESENTATIVE = "representative", _("Stakeholder representative")
    SECRETARY = "secretary", _("Secretary")


class CommitteeMember(models.Model):
    """One person's term on a committee. A member with an account (``user``) signs in to the workspace with the
    committee role; a term ends (``term_end``) rather than being deleted, so the record of who served stays."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="committee_terms")
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=16, choices=CommitteePosition.choices, default=CommitteePosition.MEMBER)
    group = models.ForeignKey(StakeholderGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    term_start = models.DateField()
    term_end = models.DateField(null=True, blank=True)  # the last day served; None: serving
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["committee", "position", "name"]
        verbose_name = _("committee member")

    def __str__(self) -> str:
        return self.name

    def serves_on(self, day: date) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)

    def clean(self) -> None:
        if self.term_end is not None and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("A term cannot end before it starts.")})


class Meeting(models.Model):
    """A committee's meeting: when, where (or the link), who attended, the minutes."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    number = models.CharField(max_length=32)  # as the minutes number it: "ครั้งที่ 1/2569"
    held_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    link = models.URLField(max_length=300, blank=True)
    minutes = models.TextField(max_length=50_000, blank=True)
    # The co-decision items and suggestions the meeting considers.
    agenda = models.ManyToManyField("core.Case", related_name="meetings", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("meeting")


class MeetingDocument(models.Model):
    """A meeting's file: the signed minutes, the attendance sheet, a presentation. Checked like a case's attachment
    (workflows.attachments)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(upload_to="meetings/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("meeting document")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")]


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")
    RECUSED = "recused", _("Declared a conflict of interest (does not vote)")


class Resolution(models.Model):
    """A motion the meeting voted on, about an agenda item (a co-decision item or a suggestion), and its outcome as
    the committee's rules compute it (core.participation). Recorded once, never edited."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions")
    case = models.ForeignKey("core.Case", on_delete=models.PROTECT, related_name="resolutions")
    motion = models.TextField(max_length=5_000)
    adopted = models.BooleanField()
    casting_vote = models.BooleanField(default=False)
    in_favour = models.PositiveSmallIntegerField()
    against = models.PositiveSmallIntegerField()
    abstain = models.PositiveSmallIntegerField()
    recused = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("resolution")


class Vote(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=VoteChoice.choices)
    conflict = models.CharField(max_length=500, blank=True)  # the interest a recused member declared

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resolution", "member"], name="vote_once")]
