"""Staff API for working a case without moving its status: notes, replies, claim, reassign, corrections."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import StrictBooleanField, StrictCharField, StrictChoiceField, StrictSerializer
from api.serializers.common import AccessKeyOutput
from api.serializers.staff import CaseDetailOutput, CaseListItemOutput, ContactOutput, EventOutput
from api.views.staff import case_detail_data
from core.choices import Priority
from workflows.corrections import case_correct, case_redact
from workflows.staff_work import (
    case_access_key_issue,
    case_claim,
    case_identity_read,
    case_note_add,
    case_reply_add,
    cases_reassign,
)

TEXT = 5_000


class TextInput(StrictSerializer):
    text = StrictCharField(max_length=TEXT)


class ReplyInput(StrictSerializer):
    text = StrictCharField(max_length=TEXT, required=False, default="")
    template = StrictCharField(max_length=48, required=False, default="",
                               help_text="Code of a reply template, filled in with the case's details.")
    for_all_requesters = StrictBooleanField(
        required=False, default=False,
        help_text="Also for the requesters of the duplicates merged into this case. Off by default: they see only "
                  "the status and the replies marked so, never what was written to this case's own requester.")

    def validate(self, attrs):
        if not attrs["text"] and not attrs["template"]:
            raise serializers.ValidationError({"text": ["Write a text or choose a template."]})
        return attrs


class ReassignInput(StrictSerializer):
    assignee = StrictCharField(max_length=150, help_text="Username of an officer of the unit.")
    unit = StrictCharField(max_length=32, required=False, help_text="Move to this unit too (default: the case's).")


class BulkReassignInput(ReassignInput):
    tracking_numbers = serializers.ListField(child=StrictCharField(max_length=64), min_length=1, max_length=200)


class BulkReassignOutput(serializers.Serializer):
    cases = CaseListItemOutput(many=True)


class CorrectInput(StrictSerializer):
    category = StrictCharField(max_length=48, required=False,
                               help_text="Code of an active category of the case's kind: the case is routed again "
                                         "and its SLA targets recomputed.")
    priority = StrictChoiceField(choices=Priority.choices, required=False,
                                 help_text="The SLA targets are recomputed; time already spent stays spent.")
    reason = StrictCharField(max_length=1_000, required=False, default="", allow_blank=True)

    def validate(self, attrs):
        if "category" not in attrs and "priority" not in attrs:
            raise serializers.ValidationError({"category": ["Give a category, a priority or both."]})
        return attrs


class RedactInput(StrictSerializer):
    title = StrictCharField(max_length=200)
    description = StrictCharField(max_length=10_000)
    reason = StrictCharField(max_length=1_000, help_text="What was removed, in general terms (never the data).")


class IdentityInput(StrictSerializer):
    # In the body, not the address: a reason may name the case's facts, and addresses end up in access logs.
    reason = StrictCharField(max_length=1_000)


class CaseNoteApi(APIView):
    @extend_schema(request=TextInput, responses={201: EventOutput}, summary="Add an internal note")
    def post(self, request, tracking: str):
        data = TextInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = case_note_add(tracking=tracking, actor=request.user, text=data.validated_data["text"])
        return Response(EventOutput(event).data, status=status.HTTP_201_CREATED)


class CaseReplyApi(APIView):
    @extend_schema(request=ReplyInput, responses={201: EventOutput},
                   summary="Reply to the citizen (readable with the access key; sent to their contact)")
    def post(self, request, tracking: str):
        data = ReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = case_reply_add(tracking=tracking, actor=request.user, **data.validated_data)
        return Response(EventOutput(event).data, status=status.HTTP_201_CREATED)


class CaseClaimApi(APIView):
    @extend_schema(request=None, responses=CaseDetailOutput, summary="Take a case from your unit's queue")
    def post(self, request, tracking: str):
        case = case_claim(tracking=tracking, actor=request.user)
        return Response(case_detail_data(case, request.user))


class CaseReassignApi(APIView):
    @extend_schema(request=ReassignInput, responses=CaseDetailOutput, summary="Give the case to another officer")
    def post(self, request, tracking: str):
        data = ReassignInput(data=request.data)
        data.is_valid(raise_exception=True)
        [case] = cases_reassign(trackings=[tracking], actor=request.user,
                                assignee_username=data.validated_data["assignee"],
                                unit_code=data.validated_data.get("unit"))
        return Response(case_detail_data(case, request.user))


class BulkReassignApi(APIView):
    @extend_schema(request=BulkReassignInput, responses=BulkReassignOutput, operation_id="cases_bulk_reassign",
                   summary="Give several cases to an officer (all or none)")
    def post(self, request):
        data = BulkReassignInput(data=request.data)
        data.is_valid(raise_exception=True)
        cases = cases_reassign(trackings=data.validated_data["tracking_numbers"], actor=request.user,
                               assignee_username=data.validated_data["assignee"],
                               unit_code=data.validated_data.get("unit"))
        return Response({"cases": CaseListItemOutput(cases, many=True).data})


class CaseCorrectApi(APIView):
    @extend_schema(request=CorrectInput, responses=CaseDetailOutput,
                   summary="Correct the category or priority after intake (audited; routes and SLA follow)")
    def post(self, request, tracking: str):
        data = CorrectInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_correct(tracking=tracking, actor=request.user, **data.validated_data)
        return Response(case_detail_data(case, request.user))


class CaseRedactApi(APIView):
    @extend_schema(request=RedactInput, responses=CaseDetailOutput,
                   summary="Take personal data out of the title or description (audited; the removed text is kept "
                           "nowhere)")
    def post(self, request, tracking: str):
        data = RedactInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_redact(tracking=tracking, actor=request.user, **data.validated_data)
        return Response(case_detail_data(case, request.user))


class CaseIdentityApi(APIView):
    @extend_schema(responses=ContactOutput, summary="The requester's contact details (not a sealed reporter's: "
                                                    "POST with a reason for those)")
    def get(self, request, tracking: str):
        return Response(case_identity_read(tracking=tracking, actor=request.user))

    @extend_schema(request=IdentityInput, responses=ContactOutput,
                   summary="The requester's contact details, with the reason you need them: required for a sealed "
                           "reporter's, whose every read is an audit event with the reader and the reason")
    def post(self, request, tracking: str):
        data = IdentityInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(case_identity_read(tracking=tracking, actor=request.user, reason=data.validated_data["reason"]))


class CaseAccessKeyApi(APIView):
    @extend_schema(request=None, responses={201: AccessKeyOutput},
                   summary="Issue a sealed report's access key to hand to its reporter (integrity unit, director)")
    def post(self, request, tracking: str):
        key = case_access_key_issue(tracking=tracking, actor=request.user)
        return Response(AccessKeyOutput({"access_key": key}).data, status=status.HTTP_201_CREATED)
