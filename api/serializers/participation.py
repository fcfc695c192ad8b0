"""Committees, their meetings and resolutions (docs/participation.md)."""

from rest_framework import serializers

from api.fields import (
    BoundedDateTimeField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictSerializer,
    id_keyed,
)
from core.models import CommitteePosition, VoteChoice


class MemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    position = serializers.CharField()
    group = serializers.CharField(source="group.code", allow_null=True, default=None)
    username = serializers.CharField(source="user.username", allow_null=True, default=None)
    term_start = serializers.DateField()
    term_end = serializers.DateField(allow_null=True)


class CommitteeOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    order_number = serializers.CharField()
    order_date = serializers.DateField()
    quorum_rule = serializers.CharField()
    majority_rule = serializers.CharField()
    serving = MemberOutput(many=True, help_text="The members serving today.")


class MeetingInput(StrictSerializer):
    number = StrictCharField(max_length=32, help_text='As the minutes number it, e.g. "1/2569".')
    held_at = BoundedDateTimeField()
    place = StrictCharField(max_length=300, required=False, default="")
    link = serializers.URLField(max_length=300, required=False, default="")
    present = serializers.ListField(child=StrictIntegerField(min_value=1), max_length=500,
                                    help_text="The ids of the serving members present.")
    agenda = serializers.ListField(child=StrictCharField(max_length=64), max_length=100, required=False, default=list,
                                   help_text="Tracking numbers of the co-decision items and suggestions considered.")
    minutes = StrictCharField(max_length=50_000, required=False, default="", allow_blank=True)


class AttendanceOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    name = serializers.CharField(source="member.name")
    present = serializers.BooleanField()


class MeetingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    committee = serializers.CharField(source="committee.code")
    number = serializers.CharField()
    held_at = serializers.DateTimeField()
    place = serializers.CharField()
    link = serializers.CharField()
    attendance = AttendanceOutput(many=True, source="attendance.all")
    agenda = serializers.SerializerMethodField(help_text="Tracking numbers of the items considered.")
    minutes = serializers.CharField()

    def get_agenda(self, meeting) -> list[str]:
        return sorted(meeting.agenda.values_list("tracking_number", flat=True))


class ResolutionInput(StrictSerializer):
    case = StrictCharField(max_length=64, help_text="The tracking number of the agenda item.")
    motion = StrictCharField(max_length=5_000)
    votes = serializers.DictField(child=StrictChoiceField(choices=VoteChoice.choices), allow_empty=False,
                                  help_text='Each present member\'s vote by member id: {"12": "for", "13": "recused"}.')
    conflicts = serializers.DictField(child=StrictCharField(max_length=500), required=False, default=dict,
                                      help_text="The conflict of interest each recused member declared, by member id.")
    chair_casts = StrictChoiceField(choices=[("for", "for"), ("against", "against")], required=False, allow_null=True,
                                    default=None, help_text="The chair's casting vote on a tie.")

    def validate(self, attrs):
        for field in ("votes", "conflicts"):
            attrs[field] = id_keyed(attrs[field], field)
        return attrs


class ResolutionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    case = serializers.CharField(source="case.tracking_number")
    motion = serializers.CharField()
    adopted = serializers.BooleanField()
    casting_vote = serializers.BooleanField()
    in_favour = serializers.IntegerField()
    against = serializers.IntegerField()
    abstain = serializers.IntegerField()
    recused = serializers.IntegerField()


class MemberInput(StrictSerializer):
    name = StrictCharField(max_length=200)
    position = StrictChoiceField(choices=CommitteePosition.choices)
    group = StrictCharField(max_length=32, required=False, default="", allow_blank=True,
                            help_text="The stakeholder group the member represents (its code).")
    username = StrictCharField(max_length=150, required=False, default="", allow_blank=True,
                               help_text="The member's account, if they sign in to the workspace.")
    term_start = serializers.DateField()


class MemberEndInput(StrictSerializer):
    term_end = serializers.DateField(help_text="The last day served.")
    reason = StrictCharField(max_length=300)
