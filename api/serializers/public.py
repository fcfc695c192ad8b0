"""The citizen-facing API: nothing personal, nothing internal goes out."""

from datetime import datetime

from rest_framework import serializers

from api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictSerializer,
)
from api.serializers.common import CaseIntakeFields, channel_field, kind_field
from core.choices import PUBLIC_KINDS, Channel, Kind, Status
from core.selectors import PublicCaseStatus, case_public_timeline, public_status, public_updated_at


class CategoryQuery(StrictSerializer):
    kind = StrictChoiceField(choices=Kind.choices, required=False)


class PublicIntakeInput(CaseIntakeFields):
    kind = kind_field(choices=[(k.value, k.label) for k in PUBLIC_KINDS])
    channel = channel_field(required=False, default=Channel.WEB)
    consent = StrictBooleanField(help_text="The citizen has read the personal data notice; must be true.")
    follows = StrictCharField(max_length=64, required=False,
                              help_text="The tracking number of the citizen's earlier case, closed, that this one "
                                        "continues (the problem came back or was not solved).")

    def validate_consent(self, value: bool) -> bool:
        if value is not True:
            raise serializers.ValidationError("Please read and accept the personal data notice to submit.")
        return value


class TimelineEntryOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    status = serializers.CharField()
    status_label = serializers.SerializerMethodField()

    def get_status_label(self, entry) -> str:
        return str(Status(entry["status"]).label)


class ReferralOutput(serializers.Serializer):
    agency = serializers.CharField(help_text="The agency's name, in the reader's language.")
    at = serializers.DateTimeField(allow_null=True, help_text="When the case was referred.")


class WaitingOutput(serializers.Serializer):
    reason = serializers.CharField(help_text="The waiting reason's code.")
    label = serializers.CharField()
    explanation = serializers.CharField(help_text="Why the case waits, in plain words.")
    clock_stopped = serializers.BooleanField(help_text="Whether the time the office has to answer is paused.")
    until = serializers.DateTimeField(allow_null=True, help_text="Work resumes by this time at the latest.")


class PublicCaseOutput(serializers.Serializer):
    tracking_number = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.SerializerMethodField()
    expected_response_by = serializers.DateTimeField(source="resolve_due_at", allow_null=True)
    unit = serializers.CharField(source="unit.name", allow_null=True, default=None)
    timeline = serializers.SerializerMethodField()
    referral = serializers.SerializerMethodField(help_text="While the case is referred to another agency; else null.")
    waiting = serializers.SerializerMethodField(help_text="While the case waits for a stated reason; else null.")

    def get_status(self, case) -> str:
        return public_status(case, case.status)

    def get_status_label(self, case) -> str:
        return str(Status(public_status(case, case.status)).label)

    def get_updated_at(self, case) -> datetime:
        return _DATETIME.to_representation(public_updated_at(case.sealed, case.updated_at, case_public_timeline(case)))

    def get_timeline(self, case) -> TimelineEntryOutput(many=True):  # type: ignore[valid-type]
        return TimelineEntryOutput(case_public_timeline(case), many=True).data

    def get_referral(self, case) -> ReferralOutput(allow_null=True):  # type: ignore[valid-type]
        referral = PublicCaseStatus.of(case).referral
        return ReferralOutput(referral).data if referral else None

    def get_waiting(self, case) -> WaitingOutput(allow_null=True):  # type: ignore[valid-type]
        waiting = PublicCaseStatus.of(case).waiting
        return WaitingOutput(waiting).data if waiting else None


_DATETIME = serializers.DateTimeField()


def _datetime(value) -> str | None:
    return None if value is None else _DATETIME.to_representation(value)


def public_case_output(found: PublicCaseStatus) -> dict:
    """What ``PublicCaseOutput`` gives, built directly: the status lookup is the hottest public read,
    and DRF's serializer machinery cost more than the database did. ``PublicCaseOutput`` stays the
    documented shape (OpenAPI) and tests/api/test_public.py holds the two to the same output."""
    return {
        "tracking_number": found.tracking_number,
        "kind": found.kind,
        "status": found.status,
        "status_label": str(Status(found.status).label),
        "submitted_at": _datetime(found.submitted_at),
        "updated_at": _datetime(found.updated_at),
        "expected_response_by": _datetime(found.resolve_due_at),
        "unit": str(found.unit.name) if found.unit else None,
        "timeline": [{"at": _datetime(entry["at"]), "status": entry["status"],
                      "status_label": str(Status(entry["status"]).label)} for entry in found.timeline],
        "referral": {**found.referral, "at": _datetime(found.referral["at"])} if found.referral else None,
        "waiting": {**found.waiting, "until": _datetime(found.waiting["until"])} if found.waiting else None,
    }


def receipt_output(receipt) -> dict:
    """What ``ReceiptOutput`` gives for an intake's receipt, built directly (as ``public_case_output``)."""
    case = receipt.case
    return {
        "tracking_number": case.tracking_number,
        "access_key": receipt.access_key,
        "kind": case.kind,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "submitted_at": _datetime(case.submitted_at),
        "expected_response_by": _datetime(case.resolve_due_at),
    }


class CitizenMessageOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    author = serializers.SerializerMethodField(help_text="`office` or `citizen`.")
    type = serializers.CharField()
    message = serializers.CharField(source="data.message")

    def get_author(self, event) -> str:
        return "citizen" if event.actor_kind == "citizen" else "office"


class CitizenMessageInput(StrictSerializer):
    message = StrictCharField(max_length=5_000)


class FeedbackInput(StrictSerializer):
    score = StrictIntegerField(min_value=1, max_value=5)
    comment = StrictCharField(max_length=2_000, required=False, allow_blank=True, default="")


class FeedbackOutput(serializers.Serializer):
    score = serializers.IntegerField(source="satisfaction_score")
    comment = serializers.CharField(source="satisfaction_comment")
    at = serializers.DateTimeField(source="feedback_at")
