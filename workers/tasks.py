"""Celery tasks: thin interfaces that take ids (or nothing), re-read the database and call services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from core.audit import chains_verify
from core.models import Case

logger = logging.getLogger(__name__)


@shared_task(name="audit.verify_recent_chains", acks_late=True)
def verify_recent_chains(hours: float = 2.0) -> int:
    """Re-verify the chains of recently changed cases; log every broken one. Read-only, so safe to repeat."""
    since = timezone.now() - timedelta(hours=hours)
    broken = chains_verify(Case.objects.filter(updated_at__gte=since).order_by("pk"))
    for report in broken:
        logger.error("audit chain broken: %s at event %s: %s", report.tracking_number, report.broken_seq, report.reason)
    return len(broken)
