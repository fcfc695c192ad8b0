"""Each met clock keeps the clock time it used (``SlaClock.used_seconds``), for the statistics. Clocks met before
this migration get theirs computed from their pauses, as the supervisor summary did on every request."""

from django.db import migrations, models

BATCH = 2_000


def used_seconds_backfill(apps, schema_editor):
    from core.calendar import BusinessCalendar, TwentyFourSeven
    from core.sla import Calendars, clock_elapsed

    SlaClock = apps.get_model("core", "SlaClock")
    SlaPause = apps.get_model("core", "SlaPause")
    # The calendars from the historical closures, not the configuration cache: that reads today's models (a
    # routing rule's later columns, say), which this migration's database does not have yet.
    closures = frozenset(apps.get_model("core", "OfficeClosure").objects.values_list("day", flat=True))
    cals = Calendars(business=BusinessCalendar(closures=closures), always=TwentyFourSeven())
    last = 0
    while True:
        clocks = list(SlaClock.objects.filter(pk__gt=last, met_at__isnull=False, used_seconds__isnull=True)
                      .order_by("pk")[:BATCH])
        if not clocks:
            return
        pauses: dict[int, list] = {clock.pk: [] for clock in clocks}
        for pause in SlaPause.objects.filter(clock_id__in=list(pauses)).order_by("started_at"):
            pauses[pause.clock_id].append(pause)
        for clock in clocks:
            clock.used_seconds = clock_elapsed(clock, pauses[clock.pk], cals.of(clock), clock.met_at)
        SlaClock.objects.bulk_update(clocks, ["used_seconds"])
        last = clocks[-1].pk


class Migration(migrations.Migration):
    dependencies = [("core", "0020_dashboard_snapshot")]

    operations = [
        migrations.AddField(model_name="slaclock", name="used_seconds", field=models.FloatField(blank=True, null=True)),
        migrations.RunPython(used_seconds_backfill, migrations.RunPython.noop),
    ]
