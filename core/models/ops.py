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


class StatisticsSnapshot(models.Model):
    """A period's figures as core.statistics last computed them, for one scope of case kinds: the public
    statistics page and API read this row instead of aggregating a year of cases on each request. Beat keeps the
    current periods fresh; any other period is recomputed when it is read and its row is older than it may be."""

    key = models.CharField(max_length=64, primary_key=True)  # "<period code>:<scope>", e.g. "2569:all"
    computed_at = models.DateTimeField()
    figures = models.JSONField()
