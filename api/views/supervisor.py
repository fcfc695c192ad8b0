"""Supervisor dashboard data."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import StrictSerializer
from core.supervision import supervisor_summary


class SummaryQuery(StrictSerializer):
    days = serializers.IntegerField(min_value=1, max_value=3660, required=False, default=90,
                                    help_text="Timings cover clocks met in this many past days (default 90).")


class SummaryRowFields(serializers.Serializer):
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    escalated = serializers.IntegerField()
    workload = serializers.IntegerField(help_text="Open, unanswered cases weighted by priority (low 1 .. urgent 5).")
    resolved = serializers.IntegerField(help_text="Resolve clocks met in the period.")
    met_on_time_rate = serializers.FloatField(allow_null=True)
    median_acknowledge_seconds = serializers.IntegerField(allow_null=True, help_text="Clock time, pauses excluded.")
    median_resolve_seconds = serializers.IntegerField(allow_null=True, help_text="Clock time, pauses excluded.")


class UnitSummaryOutput(SummaryRowFields):
    unit = serializers.CharField()
    name = serializers.CharField()


class OfficerSummaryOutput(SummaryRowFields):
    username = serializers.CharField()


class SummaryOutput(serializers.Serializer):
    since = serializers.DateTimeField()
    units = UnitSummaryOutput(many=True)
    officers = OfficerSummaryOutput(many=True)


class SupervisorSummaryApi(APIView):
    @extend_schema(parameters=[SummaryQuery], responses=SummaryOutput,
                   summary="Per unit and officer: open, overdue, at risk, escalated, on-time rate, median times")
    def get(self, request):
        query = SummaryQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        now = timezone.now()
        summary = supervisor_summary(user=request.user, since=now - timedelta(days=query.validated_data["days"]),
                                     now=now)
        return Response(SummaryOutput(summary).data)
