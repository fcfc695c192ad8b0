from django.db import models


class Heartbeat(models.Model):
    """When a periodic job last finished: /healthz reports its age."""

    name = models.CharField(max_length=48, primary_key=True)
    last_run_at = models.DateTimeField()
