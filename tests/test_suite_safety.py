"""The suite never empties a Redis database it was not given as a test database."""

import os
import subprocess
import sys
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]
# A database of the machine's Redis that no test configuration names: it plays an installation's.
PRECIOUS = "redis://127.0.0.1:6379/11"


def test_a_redis_url_not_given_as_a_test_database_is_refused_and_left_alone():
    precious = redis.Redis.from_url(PRECIOUS)
    precious.set("rabfang:precious", "kept")
    try:
        env = {**os.environ, "REDIS_URL": PRECIOUS}  # a shell set up for a real installation
        env.pop("TEST_REDIS_URLS", None)
        # Any test would do: the autouse throttle fixture empties the cache database around each one.
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                              "tests/workers/test_schedule.py::test_every_scheduled_task_is_a_known_name"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 4, run.stdout + run.stderr
        assert "was not given as a test database" in run.stdout + run.stderr
        assert precious.get("rabfang:precious") == b"kept"
    finally:
        precious.delete("rabfang:precious")
