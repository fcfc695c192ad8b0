"""Public consultations through the API (docs/participation.md, docs/api.md): the public side without an account
(throttled per address), the office's side with the staff token. Thin views over core.consultations (reads) and
workflows.consultation / workflows.follow_up (writes)."""

from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.consultation import (
    BoardEntryOutput,
    ConsultationItemOutput,
    ConsultationListOutput,
    DocumentPublishInput,
    FollowInput,
    HideInput,
    MilestoneInput,
    MilestoneOutput,
    OpinionInput,
    OpinionStatusOutput,
    QuestionOutput,
    QuestionsInput,
    StaffOpinionOutput,
    StaffThemeOutput,
    ThemeInput,
)
from api.throttles import PublicIntakeThrottle, PublicLookupThrottle
from api.views.public import PublicApi
from core.consultations import board_entries, consultations_public, item_public, opinion_public
from core.selectors import case_get_visible
from workflows import consultation
from workflows.follow_up import follow_start, milestone_save


class ConsultationsApi(PublicApi):
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(responses=ConsultationListOutput, summary="Consultations open now and past",
                   operation_id="public_consultations_list")
    def get(self, request):
        is_open, past = consultations_public()
        return Response(ConsultationListOutput({"open": is_open, "past": past}).data)


class ConsultationItemApi(PublicApi):
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(responses=ConsultationItemOutput, summary="A co-decision item's public page")
    def get(self, request, tracking: str):
        view = item_public(tracking)
        accepting = consultation.consultation_open_refusal(view.case, timezone.now()) is None
        return Response(ConsultationItemOutput({**vars(view), "accepting_opinions": accepting}).data)


class ConsultationOpinionsApi(PublicApi):
    throttle_classes = [PublicIntakeThrottle]

    @extend_schema(request=OpinionInput, responses={201: OpinionStatusOutput},
                   summary="Give an opinion while the consultation is open (409 outside its window)")
    def post(self, request, tracking: str):
        data = OpinionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        given = consultation.opinion_submit(tracking=tracking, opinion=consultation.OpinionInput(
            stance=fields["stance"], body=fields["body"], answers=fields["answers"], group=fields["group"],
            contact={key: value for key, value in (fields.get("contact") or {}).items() if key != "line_id"},
            consent=fields["consent"], language=get_language() or "th"))
        return Response(_opinion_status(given), status=status.HTTP_201_CREATED)


def _opinion_status(opinion) -> dict:
    return OpinionStatusOutput({**{name: getattr(opinion, name) for name in (
        "tracking_number", "case", "submitted_at", "hidden_reason", "theme")},
        "shown": opinion.hidden_at is None}).data


class OpinionStatusApi(PublicApi):
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(responses=OpinionStatusOutput, summary="What became of an opinion, by its number")
    def get(self, request, number: str):
        return Response(_opinion_status(opinion_public(number)))


class ConsultationFollowersApi(PublicApi):
    throttle_classes = [PublicIntakeThrottle]

    @extend_schema(request=FollowInput, responses={201: None},
                   summary="Follow an item by email (news of its phases, decision and progress)")
    def post(self, request, tracking: str):
        data = FollowInput(data=request.data)
        data.is_valid(raise_exception=True)
        follow_start(tracking=tracking, email=data.validated_data["email"], consent=data.validated_data["consent"],
                     language=get_language() or "th")
        return Response(status=status.HTTP_201_CREATED)


class BoardApi(PublicApi):
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(responses=BoardEntryOutput(many=True), summary='"You said, we did": decisions and adopted '
                                                                  "suggestions with their progress")
    def get(self, request):
        return Response(BoardEntryOutput(board_entries(), many=True).data)


class QuestionsApi(APIView):
    @extend_schema(request=QuestionsInput, responses=QuestionOutput(many=True),
                   summary="Set the consultation's questions (until the first opinion)")
    def put(self, request, tracking: str):
        data = QuestionsInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved = consultation.consultation_questions_set(tracking=tracking, actor=request.user,
                                                        questions=data.validated_data["questions"])
        return Response(QuestionOutput(saved, many=True).data)


class DocumentPublishApi(APIView):
    @extend_schema(request=DocumentPublishInput, responses={204: None},
                   summary="Offer an attachment on the item's public page, or withdraw it")
    def post(self, request, tracking: str, attachment_id: int):
        data = DocumentPublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        consultation.consultation_document_publish(tracking=tracking, actor=request.user, attachment_id=attachment_id,
                                                   public=data.validated_data["public"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffOpinionsApi(APIView):
    @extend_schema(responses=StaffOpinionOutput(many=True), summary="Every opinion on the item, hidden ones too")
    def get(self, request, tracking: str):
        case = case_get_visible(tracking=tracking, user=request.user)
        return Response(StaffOpinionOutput(consultation.opinions_for(case, request.user), many=True).data)


class OpinionHideApi(APIView):
    @extend_schema(request=HideInput, responses=StaffOpinionOutput,
                   summary="Hide an opinion from the public, with the reason (kept, never deleted)")
    def post(self, request, number: str):
        data = HideInput(data=request.data)
        data.is_valid(raise_exception=True)
        hidden = consultation.opinion_hide(number=number, actor=request.user, reason=data.validated_data["reason"])
        return Response(StaffOpinionOutput(hidden).data)


def _theme_save(request, tracking: str, theme_id: int | None, code: int) -> Response:
    data = ThemeInput(data=request.data)
    data.is_valid(raise_exception=True)
    fields = data.validated_data
    theme = consultation.theme_save(tracking=tracking, actor=request.user, theme_id=theme_id, title=fields["title"],
                                    answer=fields["answer"], opinions=fields.get("opinions"))
    return Response(StaffThemeOutput(theme).data, status=code)


class ThemesApi(APIView):
    @extend_schema(request=ThemeInput, responses={201: StaffThemeOutput}, summary="Add a theme of the opinions")
    def post(self, request, tracking: str):
        return _theme_save(request, tracking, None, status.HTTP_201_CREATED)


class ThemeApi(APIView):
    @extend_schema(request=ThemeInput, responses=StaffThemeOutput,
                   summary="Change a theme: its wording, the office's answer, the opinions it gathers")
    def put(self, request, tracking: str, theme_id: int):
        return _theme_save(request, tracking, theme_id, status.HTTP_200_OK)


def _milestone_save(request, tracking: str, milestone_id: int | None, code: int) -> Response:
    data = MilestoneInput(data=request.data)
    data.is_valid(raise_exception=True)
    milestone = milestone_save(tracking=tracking, actor=request.user, milestone_id=milestone_id, **data.validated_data)
    return Response(MilestoneOutput(milestone).data, status=code)


class MilestonesApi(APIView):
    @extend_schema(request=MilestoneInput, responses={201: MilestoneOutput},
                   summary="Report a milestone of carrying out the decision")
    def post(self, request, tracking: str):
        return _milestone_save(request, tracking, None, status.HTTP_201_CREATED)


class MilestoneApi(APIView):
    @extend_schema(request=MilestoneInput, responses=MilestoneOutput, summary="Update a milestone")
    def put(self, request, tracking: str, milestone_id: int):
        return _milestone_save(request, tracking, milestone_id, status.HTTP_200_OK)
