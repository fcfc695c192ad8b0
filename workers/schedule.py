"""The beat schedule. Exactly one beat process runs per installation."""

import os

from celery.schedules import crontab

from core import task_names

# Read here rather than from Django settings: beat's schedule is built before Django is set up.
SWEEP_INTERVAL = float(os.environ.get("SWEEP_INTERVAL_SECONDS", "60"))

BEAT_SCHEDULE = {
    "sla-sweep": {"task": task_names.SLA_SWEEP, "schedule": SWEEP_INTERVAL},
    "routing-sweep": {"task": task_names.ROUTE_UNROUTED, "schedule": SWEEP_INTERVAL},
    "close-answered-cases": {"task": task_names.ANSWERED_CLOSE, "schedule": SWEEP_INTERVAL},
    "notifications-sweep": {"task": task_names.NOTIFICATIONS_SWEEP, "schedule": SWEEP_INTERVAL},
    # The office's mailbox (channels/mailbox.py; nothing without MAILBOX_IMAP_HOST).
    "mailbox-poll": {"task": task_names.MAILBOX_POLL, "schedule": SWEEP_INTERVAL},
    # The supervisors' dashboard reads figures this computes, at most a minute old.
    "dashboard-refresh": {"task": task_names.DASHBOARD_REFRESH, "schedule": 60.0},
    # The public statistics of the current fiscal year, half, quarter and months, at most ten minutes old.
    "statistics-refresh": {"task": task_names.STATISTICS_REFRESH, "schedule": crontab(minute="*/10")},
    # Drafts of the month that ended (and of the half year, in April and October) for the heads to analyse.
    "reports-scheduled-draft": {"task": task_names.REPORTS_SCHEDULED_DRAFT,
                                "schedule": crontab(day_of_month=1, hour=6, minute=0)},
    # Overlapping windows: each case changed in the last two hours is checked at least twice.
    "audit-verify-recent-chains": {
        "task": task_names.AUDIT_VERIFY_RECENT,
        "schedule": crontab(minute=5),
        "kwargs": {"hours": 2.0},
    },
    # Signed checkpoints of the chain heads: what is rewritten with SQL after a checkpoint no longer verifies.
    "audit-checkpoint": {"task": task_names.AUDIT_CHECKPOINT, "schedule": crontab(minute="*/10")},
    # PDPA retention: contact details of cases closed longer ago than PERSONAL_DATA_RETENTION_YEARS.
    "privacy-remove-expired-contacts": {"task": task_names.PRIVACY_REMOVE_EXPIRED, "schedule": crontab(hour=2, minute=30)},
}
