"""Satisfaction surveys (docs/participation.md, "Surveys")."""

from rest_framework import serializers

from api.fields import (
    BoundedDateTimeField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictSerializer,
    StrictSlugField,
    id_keyed,
)
from core.models import QuestionKind, SurveySubject, TextReview


class SurveySummaryOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    subject = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    invitation_only = serializers.BooleanField()


class ChoiceOutput(serializers.Serializer):
    th = serializers.CharField()
    en = serializers.CharField(required=False, default="")


class SurveyQuestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text_th = serializers.CharField()
    text_en = serializers.CharField()
    choices = ChoiceOutput(many=True, help_text="For single and multiple: answered by their index, from 0.")
    required = serializers.BooleanField()


class SurveyFormOutput(SurveySummaryOutput):
    description_th = serializers.CharField()
    description_en = serializers.CharField()
    groups = serializers.SerializerMethodField(help_text="The stakeholder groups a respondent may answer as.")
    questions = SurveyQuestionOutput(many=True, source="questions.all")
    form_token = serializers.CharField(help_text="Send it back with the response: it is good for one response.")

    def get_groups(self, survey) -> list[str]:
        return list(survey.groups.values_list("code", flat=True))


class SurveyResponseInput(StrictSerializer):
    form_token = StrictCharField(max_length=300)
    answers = serializers.DictField(help_text='By question id: a scale 1-5, a choice index, a list of indexes, or '
                                              'text: {"12": 4, "13": [0, 2], "14": "..."}.')
    group = StrictCharField(max_length=32, required=False, default="", allow_blank=True)
    invitation = StrictCharField(max_length=64, required=False, default="", allow_blank=True)

    def validate(self, attrs):
        attrs["answers"] = id_keyed(attrs["answers"], "answers")
        return attrs


class QuestionResultOutput(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text_th")
    kind = serializers.CharField(source="question.kind")
    count = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    distribution = serializers.ListField(child=serializers.ListField(), help_text="[label, count] pairs.")
    by_group = serializers.ListField(child=serializers.ListField(), help_text="[group, count, average] triples.")
    texts = serializers.SerializerMethodField()

    def get_texts(self, result) -> list[dict]:
        return [{"id": answer.pk, "text": answer.text, "review": answer.review} for answer in result.texts]


class SurveyResultsOutput(serializers.Serializer):
    code = serializers.CharField(source="survey.code")
    responses = serializers.IntegerField()
    responses_by_group = serializers.ListField(child=serializers.ListField())
    questions = QuestionResultOutput(many=True)
    case_ratings = serializers.DictField(help_text="Citizens' ratings of their own cases in the survey's period.")


class SurveyCreateInput(StrictSerializer):
    code = StrictSlugField(max_length=48)
    title_th = StrictCharField(max_length=300)
    title_en = StrictCharField(max_length=300, required=False, default="", allow_blank=True)
    description_th = StrictCharField(max_length=5_000, required=False, default="", allow_blank=True)
    description_en = StrictCharField(max_length=5_000, required=False, default="", allow_blank=True)
    subject = StrictChoiceField(choices=SurveySubject.choices)
    groups = serializers.ListField(child=StrictCharField(max_length=32), required=False, default=list, max_length=50)
    opens_at = BoundedDateTimeField()
    closes_at = BoundedDateTimeField()
    invitation_only = StrictBooleanField(required=False, default=False)


class SurveyQuestionInput(StrictSerializer):
    kind = StrictChoiceField(choices=QuestionKind.choices)
    text_th = StrictCharField(max_length=500)
    text_en = StrictCharField(max_length=500, required=False, default="", allow_blank=True)
    choices = ChoiceOutput(many=True, required=False, default=list)
    required = StrictBooleanField(required=False, default=True)


class InvitationsInput(StrictSerializer):
    count = StrictIntegerField(min_value=1, max_value=500)
    group = StrictCharField(max_length=32, required=False, default="", allow_blank=True)


class InvitationsOutput(serializers.Serializer):
    tokens = serializers.ListField(child=serializers.CharField(),
                                   help_text="Shown this once: each is good for one response (?invitation=...).")


class TextReviewInput(StrictSerializer):
    review = StrictChoiceField(choices=[(TextReview.PUBLISHED, "published"), (TextReview.HIDDEN, "hidden")])
