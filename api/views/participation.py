"""Committees, their meetings and resolutions: thin views over workflows/participation.py."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.participation import (
    CommitteeOutput,
    MeetingInput,
    MeetingOutput,
    MemberEndInput,
    MemberInput,
    MemberOutput,
    ResolutionInput,
    ResolutionOutput,
)
from core.errors import NotFound
from core.models import Committee
from workflows.participation import (
    committee_member_add,
    committee_member_end,
    committee_serving,
    committees_for,
    meeting_record,
    member_references,
    resolution_record,
)


class CommitteesApi(APIView):
    @extend_schema(responses=CommitteeOutput(many=True), summary="The committees you manage or serve on")
    def get(self, request):
        today = timezone.localdate()
        committees = [{**{name: getattr(committee, name) for name in (
            "code", "name", "order_number", "order_date", "quorum_rule", "majority_rule")},
            "serving": committee_serving(committee, today)} for committee in committees_for(request.user)]
        return Response(CommitteeOutput(committees, many=True).data)


class MeetingsApi(APIView):
    @extend_schema(request=MeetingInput, responses={201: MeetingOutput},
                   summary="Record a meeting and its attendance (the secretary, the director, an administrator)")
    def post(self, request, code: str):
        committee = _committee(code)
        data = MeetingInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        meeting = meeting_record(committee=committee, actor=request.user, number=fields["number"],
                                 held_at=fields["held_at"], present=set(fields["present"]), place=fields["place"],
                                 link=fields["link"], minutes=fields["minutes"], agenda=fields["agenda"])
        return Response(MeetingOutput(meeting).data, status=status.HTTP_201_CREATED)


class ResolutionsApi(APIView):
    @extend_schema(request=ResolutionInput, responses={201: ResolutionOutput},
                   summary="Record a resolution with each present member's vote")
    def post(self, request, meeting_id: int):
        data = ResolutionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        resolution = resolution_record(meeting_id=meeting_id, tracking=fields["case"], motion=fields["motion"],
                                       votes=fields["votes"], conflicts=fields["conflicts"],
                                       chair_casts=fields["chair_casts"], actor=request.user)
        return Response(ResolutionOutput(resolution).data, status=status.HTTP_201_CREATED)


def _committee(code: str) -> Committee:
    committee = Committee.objects.filter(code=code, active=True).first()
    if committee is None:
        raise NotFound("No such committee.")
    return committee


class CommitteeMembersApi(APIView):
    @extend_schema(request=MemberInput, responses={201: MemberOutput},
                   summary="Appoint a member (the director, administrators; in the configuration log)")
    def post(self, request, code: str):
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        user, group = member_references(username=fields["username"], group=fields["group"])
        member = committee_member_add(committee=_committee(code), actor=request.user, name=fields["name"],
                                      position=fields["position"], term_start=fields["term_start"], user=user,
                                      group=group)
        return Response(MemberOutput(member).data, status=status.HTTP_201_CREATED)


class CommitteeMemberEndApi(APIView):
    @extend_schema(request=MemberEndInput, responses=MemberOutput,
                   summary="End a member's term: the last day and why (never deleted)")
    def post(self, request, member_id: int):
        data = MemberEndInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = committee_member_end(member_id=member_id, actor=request.user,
                                      term_end=data.validated_data["term_end"], reason=data.validated_data["reason"])
        return Response(MemberOutput(member).data)
