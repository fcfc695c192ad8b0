"""/healthz: is this process able to serve? Checks the database and the broker."""

from celery import current_app as celery_app
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from core.models import Heartbeat
from workflows.sla_sweep import HEARTBEAT as SLA_SWEEP_HEARTBEAT


def _database_ok() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy; say which
        return f"error: {error.__class__.__name__}"


def _broker_ok() -> str:
    try:
        with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.HEALTHZ_BROKER_TIMEOUT)
        return "ok"
    except Exception as error:  # noqa: BLE001
        return f"error: {error.__class__.__name__}"


def _sweep_age() -> float | None:
    try:
        beat = Heartbeat.objects.filter(name=SLA_SWEEP_HEARTBEAT).values_list("last_run_at", flat=True).first()
    except Exception:  # noqa: BLE001 - the database check reports the failure
        return None
    return round((timezone.now() - beat).total_seconds(), 1) if beat else None


class HealthApi(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(exclude=True)
    def get(self, request):
        checks = {"database": _database_ok(), "broker": _broker_ok()}
        healthy = all(value == "ok" for value in checks.values())
        # Reported, not judged: a stale sweep means beat is down, which web replicas cannot fix.
        body = {"status": "ok" if healthy else "unavailable", **checks, "sla_sweep_age_seconds": _sweep_age()}
        return JsonResponse(body, status=200 if healthy else 503)
