"""A real Celery worker process on the test database and the real Redis broker."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import current_app
from celery.backends.redis import RedisBackend
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def task_results():
    """A result backend on the real Redis, for tests that wait on what a worker returned."""
    return RedisBackend(app=current_app, url=settings.REDIS_URL)


@pytest.fixture
def worker_process(transactional_db, task_results):
    """Start ``celery worker`` as its own process; stop it after the test."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("worker tests need the Redis broker: run them through `make test`")
    current_app.connection_for_write().default_channel.client.flushdb()  # no stale tasks from an earlier run
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_RESULT_BACKEND": settings.REDIS_URL,
           "DATABASE_CONN_MAX_AGE": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"worker exited early:\n{process.stdout.read()}")
        if current_app.control.inspect(timeout=0.5).ping():
            break
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
