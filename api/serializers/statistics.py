"""The public statistics (core/statistics.py, docs/reports.md): counts and times, nothing about any one case."""

from rest_framework import serializers

from api.fields import StrictCharField, StrictChoiceField, StrictSerializer
from core.statistics import SCOPES


class StatisticsQuery(StrictSerializer):
    fiscal_year = StrictCharField(required=False, max_length=4, help_text="A fiscal year in the Buddhist Era, "
                                  "e.g. 2569 (1 October 2025 – 30 September 2026). Default: the current one.")
    period = StrictCharField(required=False, max_length=16, help_text="Any reporting period instead: 2569, "
                             "2569-H1 or 2569-H2 (halves), 2569-Q1 … 2569-Q4 (quarters), 2568-10 (a month).")
    scope = StrictChoiceField(choices=[(scope, scope) for scope in SCOPES], required=False, default="all",
                              help_text="Every kind of case, or one kind.")

    def validate(self, attrs):
        if "fiscal_year" in attrs and "period" in attrs:
            raise serializers.ValidationError({"period": ["Give either fiscal_year or period, not both."]})
        if "fiscal_year" in attrs and not (attrs["fiscal_year"].isascii() and attrs["fiscal_year"].isdigit()):
            raise serializers.ValidationError({"fiscal_year": ["A year in the Buddhist Era, such as 2569."]})
        return attrs


class StatsCountsOutput(serializers.Serializer):
    received = serializers.IntegerField()
    completed = serializers.IntegerField(help_text="Answered, or needing no more work (closed, merged, withdrawn).")
    in_progress = serializers.IntegerField()


class StatsTotalsOutput(StatsCountsOutput):
    reopened = serializers.IntegerField(help_text="Cases reopened at least once (sealed reports not counted).")
    escalated = serializers.IntegerField(help_text="Cases escalated at least once (sealed reports not counted).")


class StatsClockOutput(serializers.Serializer):
    on_time = serializers.IntegerField(help_text="Met within the target, paused time left out.")
    late = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Not met, and the deadline has passed.")
    running = serializers.IntegerField(help_text="Not met yet.")
    on_time_rate = serializers.FloatField(allow_null=True)
    median_days = serializers.FloatField(allow_null=True, help_text="Business days (8 office hours each).")
    p90_days = serializers.FloatField(allow_null=True)


class StatsKindCountsOutput(StatsCountsOutput):
    kind = serializers.CharField()
    label = serializers.CharField()


class StatsStatusCountOutput(serializers.Serializer):
    kind = serializers.CharField()
    status = serializers.CharField()
    label = serializers.CharField()
    received = serializers.IntegerField()


class StatsChannelCountsOutput(StatsCountsOutput):
    channel = serializers.CharField()
    label = serializers.CharField()


class StatsCategoryCountsOutput(StatsCountsOutput):
    category = serializers.CharField(allow_null=True)
    kind = serializers.CharField(allow_null=True)
    label = serializers.CharField()


class StatsUnitCountsOutput(StatsCountsOutput):
    unit = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    resolve = StatsClockOutput()


class StatsSchoolCountsOutput(StatsCountsOutput):
    school = serializers.CharField(help_text="The school's OBEC code.")
    label = serializers.CharField()


class StatsDistrictCountsOutput(StatsCountsOutput):
    district = serializers.CharField()
    label = serializers.CharField()


class StatsMonthOutput(StatsCountsOutput):
    period = serializers.CharField(help_text="The month's code, e.g. 2568-10.")
    label = serializers.CharField()
    begun = serializers.BooleanField(help_text="False for a month still to come (its zeros mean nothing yet).")
    sealed = serializers.IntegerField(help_text="Corruption reports received in the month (counted only).")


class StatsKindTimesOutput(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    acknowledge = StatsClockOutput()
    resolve = StatsClockOutput()


class StatsClocksOutput(serializers.Serializer):
    acknowledge = StatsClockOutput()
    resolve = StatsClockOutput()


class StatsRatingOutput(serializers.Serializer):
    score = serializers.IntegerField()
    count = serializers.IntegerField()


class StatsSatisfactionOutput(serializers.Serializer):
    answered = serializers.IntegerField()
    rated = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    average = serializers.FloatField(allow_null=True)
    distribution = StatsRatingOutput(many=True)


class StatsSealedStatusOutput(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    received = serializers.IntegerField()


class StatsSealedOutput(StatsCountsOutput):
    by_status = StatsSealedStatusOutput(many=True)


class StatsPeriodOutput(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField(help_text="year, half, quarter or month")
    fiscal_year = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(help_text="Excluded.")
    label = serializers.CharField()


class StatsPublishedReportOutput(serializers.Serializer):
    period = serializers.CharField()
    scope = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    published_at = serializers.DateTimeField()
    corrected_by_version = serializers.IntegerField(allow_null=True, help_text="A later published version of it.")
    correction_note = serializers.CharField(help_text="What this version corrects (empty for a first version).")
    files = serializers.DictField(child=serializers.DictField(), help_text='{"pdf": {"url", "sha256", "size"}, '
                                                                          '"xlsx": …, "csv": …}')


class StatisticsOutput(serializers.Serializer):
    period = StatsPeriodOutput()
    scope = serializers.CharField()
    as_of = serializers.DateTimeField(help_text="When the figures were computed.")
    empty = serializers.BooleanField(help_text="No case was received in the period.")
    empty_message = serializers.CharField(allow_null=True)
    totals = StatsTotalsOutput()
    by_kind = StatsKindCountsOutput(many=True)
    by_status = StatsStatusCountOutput(many=True)
    by_channel = StatsChannelCountsOutput(many=True)
    by_category = StatsCategoryCountsOutput(many=True)
    by_unit = StatsUnitCountsOutput(many=True)
    by_school = StatsSchoolCountsOutput(many=True, help_text="Cases about each school (corruption reports never).")
    by_district = StatsDistrictCountsOutput(many=True, help_text="Cases about each district's schools.")
    months = StatsMonthOutput(many=True)
    clocks = StatsClocksOutput()
    times_by_kind = StatsKindTimesOutput(many=True)
    satisfaction = StatsSatisfactionOutput()
    sealed = StatsSealedOutput()
    reports = StatsPublishedReportOutput(many=True, help_text="The fiscal year's published reports, with their files.")

