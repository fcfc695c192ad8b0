"""Every entry of the beat schedule names a task that a worker actually has."""

from config.celery import app
from workers.schedule import BEAT_SCHEDULE


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    missing = [entry["task"] for entry in BEAT_SCHEDULE.values() if entry["task"] not in app.tasks]
    assert missing == []
    assert "privacy.remove_expired_contacts" in {entry["task"] for entry in BEAT_SCHEDULE.values()}
