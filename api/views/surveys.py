"""Satisfaction surveys through the API (docs/participation.md, "Surveys"): answering without an account (throttled
per address), building and reading results with the staff token."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.surveys import (
    InvitationsInput,
    InvitationsOutput,
    SurveyCreateInput,
    SurveyFormOutput,
    SurveyQuestionInput,
    SurveyQuestionOutput,
    SurveyResponseInput,
    SurveyResultsOutput,
    SurveySummaryOutput,
    TextReviewInput,
)
from api.throttles import PublicLookupThrottle, PublicSurveyThrottle
from api.views.public import PublicApi
from core.errors import NotFound, PermissionDenied
from core.models import Survey
from core.surveys import survey_results, surveys_open
from workflows import surveys


class PublicSurveysApi(PublicApi):
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(responses=SurveySummaryOutput(many=True), summary="Surveys open now",
                   operation_id="public_surveys_list")
    def get(self, request):
        return Response(SurveySummaryOutput(surveys_open(), many=True).data)


def _survey(code: str) -> Survey:
    found = Survey.objects.filter(code=code).first()
    if found is None:
        raise NotFound("No survey has this code.")
    return found


class PublicSurveyApi(PublicApi):
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(responses=SurveyFormOutput, summary="A survey's questions, with a one-time form token")
    def get(self, request, code: str):
        found = _survey(code)
        found.form_token = surveys.survey_form_token(found)
        return Response(SurveyFormOutput(found).data)


class PublicSurveyResponsesApi(PublicApi):
    throttle_classes = [PublicSurveyThrottle]

    @extend_schema(request=SurveyResponseInput, responses={201: None},
                   summary="Answer a survey (anonymous; once per form token and per invitation)")
    def post(self, request, code: str):
        data = SurveyResponseInput(data=request.data)
        data.is_valid(raise_exception=True)
        surveys.survey_respond(code=code, **data.validated_data)
        return Response(status=status.HTTP_201_CREATED)


class PublicSurveyResultsApi(PublicApi):
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(responses=SurveyResultsOutput, summary="A closed survey's results (reviewed free text only)")
    def get(self, request, code: str):
        found = _survey(code)
        if found.closes_at > timezone.now():
            raise NotFound("The results are published when the survey closes.")
        return Response(SurveyResultsOutput(survey_results(found, unstated=_("not stated"))).data)


class SurveysApi(APIView):
    @extend_schema(request=SurveyCreateInput, responses={201: SurveySummaryOutput}, summary="Create a survey")
    def post(self, request):
        data = SurveyCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = surveys.survey_create(actor=request.user, **data.validated_data)
        return Response(SurveySummaryOutput(created).data, status=status.HTTP_201_CREATED)


class SurveyQuestionsApi(APIView):
    @extend_schema(request=SurveyQuestionInput, responses={201: SurveyQuestionOutput},
                   summary="Add a question (until the first response)")
    def post(self, request, code: str):
        data = SurveyQuestionInput(data=request.data)
        data.is_valid(raise_exception=True)
        question = surveys.survey_question_add(actor=request.user, survey_code=code, **data.validated_data)
        return Response(SurveyQuestionOutput(question).data, status=status.HTTP_201_CREATED)


class SurveyInvitationsApi(APIView):
    @extend_schema(request=InvitationsInput, responses={201: InvitationsOutput},
                   summary="Make invitation links' tokens (shown once)")
    def post(self, request, code: str):
        data = InvitationsInput(data=request.data)
        data.is_valid(raise_exception=True)
        tokens = surveys.survey_invitations_create(actor=request.user, survey_code=code, **data.validated_data)
        response = Response({"tokens": tokens}, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class SurveyResultsApi(APIView):
    @extend_schema(responses=SurveyResultsOutput, summary="A survey's results, with every free-text answer to review")
    def get(self, request, code: str):
        if not surveys.may_manage_surveys(request.user):
            raise PermissionDenied("Surveys are read by the director, unit heads and administrators.")
        return Response(SurveyResultsOutput(survey_results(_survey(code), reviewing=True,
                                                           unstated=_("not stated"))).data)


class SurveyTextReviewApi(APIView):
    @extend_schema(request=TextReviewInput, responses={204: None},
                   summary="Show a free-text answer in the results, or keep it out")
    def post(self, request, answer_id: int):
        data = TextReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        surveys.survey_text_review(actor=request.user, answer_id=answer_id, review=data.validated_data["review"])
        return Response(status=status.HTTP_204_NO_CONTENT)
