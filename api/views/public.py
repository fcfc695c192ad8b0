"""Public API: no account; every endpoint throttled per client address."""

from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import StrictCharField, StrictSerializer
from api.serializers.common import AccessKeyOutput, CategoryOutput, ReceiptOutput
from api.serializers.public import (
    CategoryQuery,
    CitizenMessageInput,
    CitizenMessageOutput,
    FeedbackInput,
    FeedbackOutput,
    PublicCaseOutput,
    PublicIntakeInput,
    public_case_output,
    receipt_output,
)
from api.serializers.statistics import StatisticsOutput, StatisticsQuery
from api.throttles import (
    PublicAccessKeyThrottle,
    PublicIntakeThrottle,
    PublicLookupThrottle,
)
from core.catalog import categories_active
from core.periods import fiscal_year_period
from core.selectors import case_citizen_messages, case_get_public_status
from core.statistics import period_for_statistics, period_statistics
from reports.views import published_report_entry
from workflows.answer_window import citizen_reopen
from workflows.citizen import (
    case_get_with_key,
    citizen_access_key_rotate,
    citizen_feedback_give,
    citizen_message_add,
)
from workflows.intake import case_submit
from workflows.reports import reports_published

ACCESS_KEY_HEADER = OpenApiParameter(
    "X-Access-Key", location=OpenApiParameter.HEADER, required=True, description="The access key from the receipt."
)


class PublicApi(APIView):
    authentication_classes: list = []
    permission_classes: list = []


class PublicCategoriesApi(PublicApi):
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(parameters=[CategoryQuery], responses=CategoryOutput(many=True), summary="Categories for the forms")
    def get(self, request):
        query = CategoryQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        categories = categories_active(kind=query.validated_data.get("kind"))
        return Response(CategoryOutput(categories, many=True).data)


class PublicCaseSubmitApi(PublicApi):
    throttle_classes = [PublicIntakeThrottle]

    @extend_schema(request=PublicIntakeInput, responses={201: ReceiptOutput}, summary="Submit a case")
    def post(self, request):
        data = PublicIntakeInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        receipt = case_submit(
            kind=fields["kind"],
            title=fields["title"],
            description=fields["description"],
            channel=fields["channel"],
            category_code=fields.get("category"),
            anonymous=fields["anonymous"],
            contact=fields.get("contact"),
            language=get_language() or "th",
            consent=fields["consent"],
            follows=fields.get("follows"),
            school_code=fields.get("school"),
        )
        return Response(receipt_output(receipt), status=status.HTTP_201_CREATED)


class PublicCaseStatusApi(PublicApi):
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(responses=PublicCaseOutput, summary="Status of a case by tracking number")
    def get(self, request, tracking: str):
        return Response(public_case_output(case_get_public_status(tracking=tracking)))


class PublicCaseRepliesApi(PublicApi):
    throttle_classes = [PublicAccessKeyThrottle]

    @extend_schema(parameters=[ACCESS_KEY_HEADER], responses=CitizenMessageOutput(many=True),
                   summary="The office's replies and the citizen's messages")
    def get(self, request, tracking: str):
        case = case_get_with_key(tracking=tracking, access_key=request.headers.get("X-Access-Key"))
        return Response(CitizenMessageOutput(case_citizen_messages(case), many=True).data)


class PublicCaseAccessKeyApi(PublicApi):
    throttle_classes = [PublicAccessKeyThrottle]

    @extend_schema(parameters=[ACCESS_KEY_HEADER], request=None, responses={201: AccessKeyOutput},
                   summary="Replace your access key (whoever saw the old one can no longer read the case)")
    def post(self, request, tracking: str):
        key = citizen_access_key_rotate(tracking=tracking, access_key=request.headers.get("X-Access-Key"))
        return Response(AccessKeyOutput({"access_key": key}).data, status=status.HTTP_201_CREATED)


class ReopenInput(StrictSerializer):
    reason = StrictCharField(max_length=2000, help_text="What is still not solved.")


class PublicCaseReopenApi(PublicApi):
    throttle_classes = [PublicAccessKeyThrottle]

    @extend_schema(parameters=[ACCESS_KEY_HEADER], request=ReopenInput, responses=PublicCaseOutput,
                   summary="Say the answer did not solve the problem (within the window after it; a complaint)")
    def post(self, request, tracking: str):
        data = ReopenInput(data=request.data)
        data.is_valid(raise_exception=True)
        citizen_reopen(tracking=tracking, access_key=request.headers.get("X-Access-Key"),
                       reason=data.validated_data["reason"])
        return Response(public_case_output(case_get_public_status(tracking=tracking)))


class PublicCaseMessagesApi(PublicApi):
    throttle_classes = [PublicAccessKeyThrottle]

    @extend_schema(parameters=[ACCESS_KEY_HEADER], request=CitizenMessageInput, responses={201: CitizenMessageOutput},
                   summary="Add information (resumes a case waiting for it)")
    def post(self, request, tracking: str):
        data = CitizenMessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = citizen_message_add(
            tracking=tracking, access_key=request.headers.get("X-Access-Key"), message=data.validated_data["message"]
        )
        return Response(CitizenMessageOutput(event).data, status=status.HTTP_201_CREATED)


class PublicCaseFeedbackApi(PublicApi):
    throttle_classes = [PublicAccessKeyThrottle]

    @extend_schema(parameters=[ACCESS_KEY_HEADER], request=FeedbackInput, responses={201: FeedbackOutput},
                   summary="Rate the answer, once")
    def post(self, request, tracking: str):
        data = FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = citizen_feedback_give(
            tracking=tracking, access_key=request.headers.get("X-Access-Key"), **data.validated_data
        )
        return Response(FeedbackOutput(case).data, status=status.HTTP_201_CREATED)


class PublicStatisticsApi(PublicApi):
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(parameters=[StatisticsQuery], responses=StatisticsOutput,
                   summary="Transparency statistics of a fiscal year or another reporting period")
    def get(self, request):
        query = StatisticsQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        now = timezone.now()
        code = query.validated_data.get("period") or query.validated_data.get("fiscal_year")
        period = period_for_statistics(code, now=now) if code else fiscal_year_period(now)
        figures = period_statistics(period, now=now, scope=query.validated_data["scope"])
        figures["reports"] = [published_report_entry(request, report) for report in
                              reports_published(period.fiscal_year)]
        return Response(StatisticsOutput(figures).data)
