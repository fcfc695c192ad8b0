"""Celery tasks: thin interfaces that take ids, re-read the database and call services.

Every task is idempotent, which is what makes ``acks_late`` redelivery safe (docs/operations.md).
"""

import logging
from datetime import timedelta

from celery import current_app, shared_task
from django.conf import settings
from django.utils import timezone

from channels.line import line_event_process
from channels.mailbox import mailbox_poll
from core import task_names
from core.audit import chains_verify
from core.audit_checkpoints import checkpoint_create
from core.audit_export import audit_export_make
from core.dashboard import dashboard_figures_refresh
from core.models import Case
from core.notifications.delivery import notification_deliver, notifications_due
from core.statistics import statistics_snapshots_refresh
from reports.documents import report_files_make
from workflows.answer_window import answered_cases_close
from workflows.closures import calendar_recompute_pending
from workflows.privacy import contacts_remove_expired
from workflows.reports import report_files_sweep, reports_scheduled_draft
from workflows.routing import case_route, route_unrouted
from workflows.sla_sweep import sla_apply_due_steps, sla_recompute_open

logger = logging.getLogger(__name__)


@shared_task(name=task_names.DISPATCH_BATCH, acks_late=True)
def run_batch(*calls: list) -> None:
    """Several tasks asked for by one transaction (core.dispatch), run here in order. Each is
    idempotent, so a redelivered batch is safe; one that fails does not keep the others from running
    (the sweeps pick its work up again, as after a lost message)."""
    for name, args in calls:
        try:
            current_app.tasks[name](*args)
        except Exception:  # noqa: BLE001 - the others still run
            logger.exception("task %s%s of a batch failed", name, tuple(args))


@shared_task(name=task_names.ROUTE_CASE, acks_late=True)
def route_case(case_id: int) -> bool:
    return case_route(case_id=case_id)


@shared_task(name=task_names.ROUTE_UNROUTED, acks_late=True)
def sweep_unrouted() -> int:
    taken = route_unrouted(now=timezone.now(), limit=settings.SWEEP_BATCH)
    if taken == settings.SWEEP_BATCH:
        sweep_unrouted.delay()  # more are waiting
    return taken


@shared_task(name=task_names.SLA_SWEEP, acks_late=True)
def sla_sweep(continued: bool = False) -> int:
    """One batch. While batches come back full, each run asks for the next; the beat's run that
    finds a backlog starts ``SWEEP_CHAINS`` such chains, which split the backlog between worker
    processes (SKIP LOCKED) and end by themselves when it is gone."""
    if calendar_recompute_pending():
        sla_recompute.delay(0)  # the recompute asked for when the calendar changed never started
    taken = sla_apply_due_steps(now=timezone.now(), limit=settings.SWEEP_BATCH)
    if taken == settings.SWEEP_BATCH:
        chains = 1 if continued else max(1, settings.SWEEP_CHAINS)
        for _ in range(chains):
            sla_sweep.delay(continued=True)  # more are due
    return taken


@shared_task(name=task_names.SLA_RECOMPUTE_OPEN, acks_late=True)
def sla_recompute(after_id: int = 0) -> None:
    last = sla_recompute_open(after_id=after_id, limit=settings.SWEEP_BATCH)
    if last is not None:
        sla_recompute.delay(last)


@shared_task(name=task_names.ANSWERED_CLOSE, acks_late=True)
def close_answered() -> int:
    """Close the cases whose window after the answer ended; repeats itself while more are due."""
    taken = answered_cases_close(now=timezone.now(), limit=settings.SWEEP_BATCH)
    if taken == settings.SWEEP_BATCH:
        close_answered.delay()
    return taken


@shared_task(name=task_names.NOTIFICATIONS_DELIVER, acks_late=True)
def deliver_notifications(*notification_ids: int) -> list[str]:
    return [notification_deliver(notification_id=pk) for pk in notification_ids]


@shared_task(name=task_names.NOTIFICATIONS_SWEEP, acks_late=True)
def sweep_notifications() -> int:
    ids = notifications_due(now=timezone.now(), limit=settings.SWEEP_BATCH)
    for notification_id in ids:
        notification_deliver(notification_id=notification_id)
    return len(ids)


@shared_task(name=task_names.DASHBOARD_REFRESH, acks_late=True)
def dashboard_refresh() -> None:
    """Recompute the dashboard's figures; a later run simply replaces an earlier one."""
    dashboard_figures_refresh(now=timezone.now())


@shared_task(name=task_names.STATISTICS_REFRESH, acks_late=True)
def statistics_refresh() -> int:
    """Recompute the current periods' statistics (core.statistics); a later run replaces an earlier one. Also asks
    again for report files whose message was lost."""
    now = timezone.now()
    report_files_sweep(now=now)
    return len(statistics_snapshots_refresh(now=now))


@shared_task(name=task_names.REPORTS_SCHEDULED_DRAFT, acks_late=True)
def scheduled_drafts() -> int:
    """Draft the month's (and the half year's) reports that do not exist yet; running twice drafts nothing more."""
    return len(reports_scheduled_draft(now=timezone.now()))


@shared_task(name=task_names.AUDIT_EXPORT, acks_late=True)
def audit_export(export_id: int) -> bool:
    """Make an auditor's export of a period's audit events (core/audit_export.py); safe to repeat."""
    return audit_export_make(export_id=export_id)


@shared_task(name=task_names.REPORTS_GENERATE, acks_late=True)
def reports_generate(report_id: int) -> bool:
    """Make a report's PDF, XLSX and CSV for its current revision (reports/documents.py); safe to repeat."""
    return report_files_make(report_id=report_id)


@shared_task(name=task_names.AUDIT_VERIFY_RECENT, acks_late=True)
def verify_recent_chains(hours: float = 2.0) -> int:
    """Re-verify the chains of recently changed cases; log every broken one. Read-only, so safe to repeat."""
    since = timezone.now() - timedelta(hours=hours)
    broken = chains_verify(Case.objects.filter(updated_at__gte=since).order_by("pk"))
    for report in broken:
        logger.error("audit chain broken: %s at event %s: %s", report.tracking_number, report.broken_seq, report.reason)
    return len(broken)


@shared_task(name=task_names.AUDIT_CHECKPOINT, acks_late=True)
def audit_checkpoint() -> int:
    """Sign the heads of the chains that moved since the last checkpoint; safe to repeat."""
    checkpoint = checkpoint_create(now=timezone.now())
    return checkpoint.cases if checkpoint else 0


@shared_task(name=task_names.PRIVACY_REMOVE_EXPIRED, acks_late=True)
def remove_expired_contacts() -> int:
    """Contact details past their retention period; repeats itself while more are due."""
    removed = contacts_remove_expired(limit=settings.SWEEP_BATCH)
    if removed == settings.SWEEP_BATCH:
        remove_expired_contacts.delay()
    return removed


@shared_task(name=task_names.MAILBOX_POLL, acks_late=True)
def poll_mailbox() -> dict:
    """New messages in the office's mailbox: cases and citizens' messages (channels/mailbox.py)."""
    return mailbox_poll(limit=settings.SWEEP_BATCH)


@shared_task(name=task_names.LINE_PROCESS_EVENT, acks_late=True)
def process_line_events(*event_ids: int) -> list[str]:
    """Events the LINE webhook kept, in the order they came: steps of conversations, follows, blocks
    (channels/line.py)."""
    return [line_event_process(event_id=pk) for pk in sorted(event_ids)]
