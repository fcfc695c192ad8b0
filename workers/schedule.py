"""The beat schedule. Exactly one beat process runs per installation."""

import os

from celery.schedules import crontab

# Read here rather than from Django settings: beat's schedule is built before Django is set up.
SWEEP_INTERVAL = float(os.environ.get("SWEEP_INTERVAL_SECONDS", "60"))

BEAT_SCHEDULE = {
    "sla-sweep": {"task": "sla.sweep", "schedule": SWEEP_INTERVAL},
    "routing-sweep": {"task": "routing.sweep_unrouted", "schedule": SWEEP_INTERVAL},
    "notifications-sweep": {"task": "notifications.sweep", "schedule": SWEEP_INTERVAL},
    # Overlapping windows: each case changed in the last two hours is checked at least twice.
    "audit-verify-recent-chains": {
        "task": "audit.verify_recent_chains",
        "schedule": crontab(minute=5),
        "kwargs": {"hours": 2.0},
    },
    # PDPA retention: contact details of cases closed longer ago than PERSONAL_DATA_RETENTION_YEARS.
    "privacy-remove-expired-contacts": {"task": "privacy.remove_expired_contacts", "schedule": crontab(hour=2, minute=30)},
}
