from django.db import models


class Heartbeat(models.Model):
    """When a periodic job last finished: /healthz reports its age."""

    name = models.CharField(max_length=48, primary_key=True)
    last_run_at = models.DateTimeField()


class CalendarMark(models.Model):
    """When the business calendar last changed and when the recompute of open cases' deadlines last
    started: if the change is later, the recompute's message was lost and the SLA sweep starts one."""

    name = models.CharField(max_length=48, primary_key=True)
    at = models.DateTimeField()


class DashboardSnapshot(models.Model):
    """The supervisors' dashboard figures, per unit, as the beat task last computed them (core.dashboard): the
    page reads this one row instead of aggregating every case on each request."""

    name = models.CharField(max_length=32, primary_key=True)
    computed_at = models.DateTimeField()
    figures = models.JSONField()
