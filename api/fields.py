"""Fields that take JSON types as they are: no "123" for a number, no 1 for true, no 5 for a string."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers

from core.validators import storable_moment


def _encodable(text: str) -> bool:
    """False for text with lone surrogates, which JSON allows but UTF-8 (and PostgreSQL) do not."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": "Must be a string.", "encoding": "Contains characters that are not valid text."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if not _encodable(data):
            self.fail("encoding")
        return super().to_internal_value(data)


class StrictSlugField(serializers.SlugField):
    default_error_messages = {"invalid_type": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_type")
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField):
    default_error_messages = {"invalid": "Enter a valid email address."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": "Must be a whole number."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    default_error_messages = {"invalid_choice": '"{input}" is not one of the allowed values.'}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so that a typo is an error rather than silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in known)
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    """A ModelSerializer whose generated fields take JSON types as they are and that refuses unknown fields."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.BooleanField: StrictBooleanField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.EmailField: StrictEmailField,
    }

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if "choices" in kwargs and issubclass(field_class, serializers.ChoiceField):
            field_class = StrictChoiceField
        return field_class, kwargs


class BoundedDateTimeField(serializers.DateTimeField):
    """A date-time the database can store and compare: years 1900 to 9000."""

    default_error_messages = {"range": "Use a date between the years 1900 and 9000."}

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except OverflowError:
            self.fail("range")
        try:
            storable_moment(moment)
        except DjangoValidationError:
            self.fail("range")
        return moment


class BoundedDateField(serializers.DateField):
    """A calendar date (ISO 8601, Gregorian) the database can store: years 1900 to 9000."""

    default_error_messages = {"range": "Use a date between the years 1900 and 9000."}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not 1900 <= day.year <= 9000:
            self.fail("range")
        return day


class ResponseDateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, with the current time zone looked up once per field instance, that is once per
    response (a serializer deep-copies its declared fields for each instance), instead of once per value:
    the lookup goes through asgiref's context-local storage, which was a tenth of a 50-row queue page."""

    def default_timezone(self):
        try:
            return self._response_timezone
        except AttributeError:
            self._response_timezone = super().default_timezone()
            return self._response_timezone


def id_keyed(mapping: dict, field: str) -> dict[int, object]:
    """A JSON object keyed by ids (``{"12": ...}``) with int keys; a key that is not an id of at most 12 ASCII digits
    is the field's 400, not an error deeper down."""
    if not all(isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 12 for key in mapping):
        raise serializers.ValidationError({field: ["Key each entry by an id (digits)."]})
    return {int(key): value for key, value in mapping.items()}
