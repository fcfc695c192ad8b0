"""Serializers shared by the public and the staff API."""

from rest_framework import serializers

from api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictEmailField,
    StrictSerializer,
)
from core.choices import Channel, Kind, Priority, Status
from core.validators import phone_validator


class ContactInput(StrictSerializer):
    name = StrictCharField(max_length=200, required=False, allow_blank=True)
    phone = StrictCharField(max_length=32, required=False, allow_blank=True, validators=[phone_validator])
    email = StrictEmailField(max_length=254, required=False, allow_blank=True)
    line_id = StrictCharField(max_length=64, required=False, allow_blank=True)


class CaseIntakeFields(StrictSerializer):
    """What every intake carries, from a citizen or from staff."""

    category = StrictCharField(max_length=48, required=False)
    school = StrictCharField(max_length=16, required=False, help_text="The OBEC code of the school the case is about.")
    title = StrictCharField(max_length=200)
    description = StrictCharField(max_length=10_000)
    anonymous = StrictBooleanField(required=False, default=False)
    contact = ContactInput(required=False)


class CategoryOutput(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()


class ReceiptOutput(serializers.Serializer):
    tracking_number = serializers.CharField(source="case.tracking_number")
    access_key = serializers.CharField(help_text="Shown once: only its hash is kept.")
    kind = serializers.CharField(source="case.kind")
    status = serializers.CharField(source="case.status")
    status_label = serializers.CharField(source="case.get_status_display")
    submitted_at = serializers.DateTimeField(source="case.submitted_at")
    expected_response_by = serializers.DateTimeField(source="case.resolve_due_at", allow_null=True)


class AccessKeyOutput(serializers.Serializer):
    access_key = serializers.CharField(help_text="Shown once: only its hash is kept. Any earlier key no longer works.")


def kind_field(choices=Kind.choices) -> StrictChoiceField:
    return StrictChoiceField(choices=choices)


def channel_field(**kwargs) -> StrictChoiceField:
    return StrictChoiceField(choices=Channel.choices, **kwargs)


def priority_field(**kwargs) -> StrictChoiceField:
    return StrictChoiceField(choices=Priority.choices, **kwargs)


def status_field(**kwargs) -> StrictChoiceField:
    return StrictChoiceField(choices=Status.choices, **kwargs)
