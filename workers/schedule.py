"""The beat schedule. Exactly one beat process runs per installation."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Overlapping windows: each case changed in the last two hours is checked at least twice.
    "audit-verify-recent-chains": {
        "task": "audit.verify_recent_chains",
        "schedule": crontab(minute=5),
        "kwargs": {"hours": 2.0},
    },
}
