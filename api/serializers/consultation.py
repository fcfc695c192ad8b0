"""Public consultations, opinions, themes, milestones and followers (docs/participation.md)."""

from rest_framework import serializers

from api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictEmailField,
    StrictIntegerField,
    StrictSerializer,
    id_keyed,
)
from api.serializers.common import ContactInput
from core.models import Stance


class ConsultationSummaryOutput(serializers.Serializer):
    tracking_number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    opens_at = serializers.DateTimeField(source="consultation_opens_at", allow_null=True)
    closes_at = serializers.DateTimeField(source="consultation_closes_at", allow_null=True)
    opinions = serializers.IntegerField(source="opinion_count", help_text="Opinions shown (hidden ones left out).")


class ConsultationListOutput(serializers.Serializer):
    open = ConsultationSummaryOutput(many=True)
    past = ConsultationSummaryOutput(many=True)


class QuestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text_th = serializers.CharField()
    text_en = serializers.CharField()


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class PublicOpinionOutput(serializers.Serializer):
    tracking_number = serializers.CharField()
    stance = serializers.CharField()
    body = serializers.CharField()
    group = serializers.CharField(source="group.code", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField()


class ThemeOutput(serializers.Serializer):
    id = serializers.IntegerField(source="theme.pk")
    title = serializers.CharField(source="theme.title")
    answer = serializers.CharField(source="theme.answer")
    answered_at = serializers.DateTimeField(source="theme.answered_at", allow_null=True)
    opinions = serializers.IntegerField(source="count", help_text="Opinions shown under the theme.")


class VotesOutput(serializers.Serializer):
    meeting = serializers.CharField(source="meeting.number")
    held_at = serializers.DateTimeField(source="meeting.held_at")
    adopted = serializers.BooleanField()
    in_favour = serializers.IntegerField()
    against = serializers.IntegerField()
    abstain = serializers.IntegerField()
    recused = serializers.IntegerField()
    casting_vote = serializers.BooleanField()


class MilestoneOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    percent = serializers.IntegerField()
    due_on = serializers.DateField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()


class ConsultationItemOutput(serializers.Serializer):
    tracking_number = serializers.CharField(source="case.tracking_number")
    title = serializers.CharField(source="case.title")
    description = serializers.CharField(source="case.description")
    status = serializers.CharField(source="case.status")
    opens_at = serializers.DateTimeField(source="case.consultation_opens_at", allow_null=True)
    closes_at = serializers.DateTimeField(source="case.consultation_closes_at", allow_null=True)
    committee = serializers.CharField(source="case.committee.name", allow_null=True, default=None)
    accepting_opinions = serializers.BooleanField()
    questions = QuestionOutput(many=True)
    documents = DocumentOutput(many=True)
    received = serializers.IntegerField(help_text="Every opinion received, hidden ones included.")
    stances = serializers.DictField(child=serializers.IntegerField(), help_text="Of the opinions shown.")
    themes = ThemeOutput(many=True)
    decision = serializers.CharField()
    votes = VotesOutput(source="resolution", allow_null=True)
    milestones = MilestoneOutput(many=True)
    progress = serializers.IntegerField(help_text="Percent: the milestones' average.")
    opinions = PublicOpinionOutput(many=True, help_text="The newest 200 opinions shown; hidden ones never.")


class OpinionInput(StrictSerializer):
    stance = StrictChoiceField(choices=Stance.choices)
    body = StrictCharField(max_length=5_000)
    answers = serializers.DictField(child=StrictCharField(max_length=2_000, allow_blank=True), required=False,
                                    default=dict, help_text='An answer to each question by its id: {"3": "..."}.')
    group = StrictCharField(max_length=32, required=False, default="", allow_blank=True,
                            help_text="The stakeholder group the citizen takes part as (its code).")
    contact = ContactInput(required=False)
    consent = StrictBooleanField(required=False, default=False,
                                 help_text="The personal-data notice accepted: required with contact details.")

    def validate(self, attrs):
        attrs["answers"] = id_keyed(attrs["answers"], "answers")
        return attrs


class OpinionStatusOutput(serializers.Serializer):
    tracking_number = serializers.CharField()
    item = serializers.CharField(source="case.tracking_number")
    item_status = serializers.CharField(source="case.status")
    submitted_at = serializers.DateTimeField()
    shown = serializers.BooleanField(help_text="False once hidden by moderation.")
    hidden_reason = serializers.CharField()
    theme = serializers.CharField(source="theme.title", allow_null=True, default=None)
    answer = serializers.CharField(source="theme.answer", allow_null=True, default=None)


class FollowInput(StrictSerializer):
    email = StrictEmailField(max_length=254)
    consent = StrictBooleanField(help_text="Agreement to keep the address until the follower stops.")


class BoardEntryOutput(serializers.Serializer):
    tracking_number = serializers.CharField(source="case.tracking_number")
    kind = serializers.CharField(source="case.kind")
    topic = serializers.CharField()
    outcome = serializers.CharField()
    decided_at = serializers.DateTimeField()
    progress = serializers.IntegerField()
    milestones = MilestoneOutput(many=True)


class QuestionInput(StrictSerializer):
    th = StrictCharField(max_length=500)
    en = StrictCharField(max_length=500, required=False, default="", allow_blank=True)


class QuestionsInput(StrictSerializer):
    questions = QuestionInput(many=True, max_length=10)


class DocumentPublishInput(StrictSerializer):
    public = StrictBooleanField()


class StaffOpinionOutput(PublicOpinionOutput):
    answers = serializers.DictField(child=serializers.CharField())
    hidden_at = serializers.DateTimeField(allow_null=True)
    hidden_reason = serializers.CharField()
    theme = serializers.IntegerField(source="theme_id", allow_null=True)
    has_contact = serializers.SerializerMethodField()

    def get_has_contact(self, opinion) -> bool:
        return bool(opinion.contact_encrypted)


class HideInput(StrictSerializer):
    reason = StrictCharField(max_length=500)


class ThemeInput(StrictSerializer):
    title = StrictCharField(max_length=300)
    answer = StrictCharField(max_length=5_000, required=False, default="", allow_blank=True)
    opinions = serializers.ListField(child=StrictCharField(max_length=64), required=False, max_length=5_000,
                                     help_text="The numbers of the opinions the theme gathers (replacing earlier).")


class StaffThemeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class MilestoneInput(StrictSerializer):
    title = StrictCharField(max_length=300)
    percent = StrictIntegerField(min_value=0, max_value=100)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    done_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = StrictCharField(max_length=2_000, required=False, default="", allow_blank=True)
