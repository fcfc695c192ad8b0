"""The response date-time field writes what DRF's does, and follows the time zone of each response."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from rest_framework import serializers

from api.fields import ResponseDateTimeField


def test_it_writes_what_drfs_date_time_field_writes():
    for moment in (datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC), None):
        assert ResponseDateTimeField().to_representation(moment) == serializers.DateTimeField().to_representation(moment)


def test_each_response_looks_the_time_zone_up_again():
    moment = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert ResponseDateTimeField().to_representation(moment) == "2026-12-01T16:30:00+07:00"
    with timezone.override(ZoneInfo("UTC")):
        assert ResponseDateTimeField().to_representation(moment) == "2026-12-01T09:30:00Z"
