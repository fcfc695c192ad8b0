"""Staff API: token-authenticated; every case is addressed by its tracking number."""

from django.contrib.auth import authenticate
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.staff import (
    CaseCreatedOutput,
    CaseDetailOutput,
    CaseListItemOutput,
    CaseListQuery,
    CasePageOutput,
    ChainReportOutput,
    EventOutput,
    LoginInput,
    QueueCountsOutput,
    StaffIntakeInput,
    TokenOutput,
)
from api.serializers.transitions import TransitionRequestDoc, transition_input_for
from api.throttles import LoginThrottle
from core.access import office_sees_case
from core.audit import chain_verify
from core.clocks_view import case_clocks_describe
from core.errors import ValidationFailed
from core.keyset import CaseKeysetPage
from core.queues import queue_and_search, queue_counts
from core.selectors import case_events, case_get_visible
from workflows.registry import workflow_for
from workflows.staff_intake import staff_case_submit
from workflows.transitions import case_transition

# What CaseListItemOutput shows (and the keys it needs to find them).
LIST_COLUMNS = ("tracking_number", "kind", "status", "title", "priority", "channel", "escalation_level", "submitted_at",
                "updated_at", "resolve_due_at", "sla_due_at", "waiting_reason_id", "category__code", "unit__code",
                "assignee__username")


def case_detail_data(case, user) -> dict:
    workflow = workflow_for(case.kind)
    case = workflow.cast(case)
    case.available_transitions = workflow.available_transitions(case, user)
    case.clocks_view = case_clocks_describe(case, now=timezone.now())
    case.contact_withheld = not office_sees_case(user, case)
    return CaseDetailOutput(case).data


class TokenApi(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [LoginThrottle]

    @extend_schema(request=LoginInput, responses=TokenOutput, summary="Exchange a username and password for a token")
    def post(self, request):
        data = LoginInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, **data.validated_data)
        if user is None or not user.is_active:
            raise ValidationFailed("Unable to log in with the given username and password.")
        # A fresh token at every sign-in: the previous one (and its clock) ends.
        Token.objects.filter(user=user).delete()
        return Response({"token": Token.objects.create(user=user).key})


class LogoutApi(APIView):
    @extend_schema(request=None, responses={204: None}, summary="Revoke the token used for this request")
    def post(self, request):
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseListCreateApi(APIView):
    @extend_schema(parameters=[CaseListQuery], responses=CasePageOutput, operation_id="cases_list",
                   summary="A queue of cases")
    def get(self, request):
        query = CaseListQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        cases, search = queue_and_search(user=request.user, queue=params["queue"], filters=params)
        cases = cases.only(*LIST_COLUMNS)  # not the long texts: a page reads 50 rows of a big table
        page = CaseKeysetPage(cases, ordering=params["ordering"], page_size=params["page_size"],
                              cursor=params.get("cursor"), request=request, search=search)
        return Response({"next": page.next_link(), "previous": None,
                         "results": CaseListItemOutput(page.results, many=True).data})

    @extend_schema(request=StaffIntakeInput, responses={201: CaseCreatedOutput},
                   summary="Record a case on a citizen's behalf, or create a co-decision item")
    def post(self, request):
        data = StaffIntakeInput(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = staff_case_submit(actor=request.user, **data.validated_data)
        body = {"access_key": receipt.access_key, "case": case_detail_data(receipt.case, request.user)}
        return Response(body, status=status.HTTP_201_CREATED)


class CaseCountsApi(APIView):
    @extend_schema(responses=QueueCountsOutput, summary="How many cases each of your queues holds")
    def get(self, request):
        return Response(queue_counts(user=request.user))


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseDetailOutput, summary="A case, with what you may do to it now")
    def get(self, request, tracking: str):
        case = case_get_visible(tracking=tracking, user=request.user)
        return Response(case_detail_data(case, request.user))


class CaseTransitionApi(APIView):
    @extend_schema(request=TransitionRequestDoc, responses=CaseDetailOutput, summary="Move a case on")
    def post(self, request, tracking: str, name: str):
        data = transition_input_for(name)(data=request.data)
        data.is_valid(raise_exception=True)
        params = dict(data.validated_data)
        comment = params.pop("comment", "")
        case = case_transition(tracking=tracking, name=name, actor=request.user, params=params, comment=comment)
        return Response(case_detail_data(case, request.user))


class CaseEventsApi(APIView):
    @extend_schema(responses=EventOutput(many=True), summary="The case's audit chain")
    def get(self, request, tracking: str):
        case = case_get_visible(tracking=tracking, user=request.user)
        return Response(EventOutput(case_events(case), many=True).data)


class CaseEventsVerifyApi(APIView):
    @extend_schema(responses=ChainReportOutput, summary="Check the case's hash chain")
    def get(self, request, tracking: str):
        case = case_get_visible(tracking=tracking, user=request.user)
        return Response(chain_verify(case).as_dict())
