"""Real processes for fault tests: a private Redis, gunicorn, Celery worker and beat.

The private ``redis-server`` runs on a free port so that stopping it never touches the machine's
shared Redis. Web, worker and beat are started as their own processes, configured through the
environment exactly as in production, against the test database.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.servers import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def wait_for(predicate, *, timeout: float, interval: float = 0.25, message="condition"):
    """Wait until ``predicate()``; ``message`` (text, or a callable giving it: logs read at failure time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message() if callable(message) else message}")


def wait_while_progressing(progress, *, done, stall: float, interval: float = 0.25, message="condition"):
    """Wait until ``done()``, for as long as ``progress()`` (a count) keeps moving: fail only after ``stall``
    seconds without any, so that a slow, busy machine is waited for and a stuck one is not."""
    last, last_change = progress(), time.monotonic()
    while not done():
        now = progress()
        if now != last:
            last, last_change = now, time.monotonic()
        elif time.monotonic() - last_change > stall:
            text = message() if callable(message) else message
            raise AssertionError(f"no progress for {stall}s (at {last}) waiting for {text}")
        time.sleep(interval)


class PrivateRedis:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, message="private redis to start")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False


class Stack:
    """Starts and stops the project's own processes with one environment."""

    def __init__(self, redis: PrivateRedis, smtp: SmtpSink, workdir: Path):
        db = connection.settings_dict
        self.workdir = workdir
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": f"{redis.url}/1",
            "CELERY_BROKER_URL": f"{redis.url}/0",
            "CELERY_VISIBILITY_TIMEOUT": "5",
            "CELERY_UNACKED_RESTORE_INTERVAL": "2",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
            "SECRET_KEY": settings.SECRET_KEY,
            "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "SWEEP_INTERVAL_SECONDS": "1",
            "ROUTING_GRACE_SECONDS": "2",
            "RABFANG_VAR_DIR": str(workdir),
            "THROTTLE_PUBLIC_INTAKE": "100000/min",
            "LOG_LEVEL": "WARNING",
        }
        self.processes: list[subprocess.Popen] = []
        self.web_url = ""

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes.append(process)
        return process

    def start_web(self, workers: int = 4) -> str:
        port = free_port()
        self._spawn("web", [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
                            "--workers", str(workers), "--timeout", "60"])
        self.web_url = f"http://127.0.0.1:{port}"
        wait_for(self._web_answers, timeout=30, message="gunicorn to serve")
        return self.web_url

    def start_worker(self, name: str = "worker", concurrency: int = 2, *, ready: bool = False) -> subprocess.Popen:
        """A worker process (INFO log: what it received and ran shows when a test fails). ``ready``: return
        once it says it is ready to take tasks, however long a busy machine takes to start it."""
        process = self._spawn(name, [str(BIN / "celery"), "-A", "config", "worker", "--concurrency", str(concurrency),
                                     "--loglevel", "INFO", "--without-gossip", "--without-mingle", "-n", f"{name}@%h"])
        if ready:
            wait_for(lambda: " ready." in self.log(name) or process.poll() is not None, timeout=300,
                     message=lambda: f"{name} to start\n{self.log(name)}")
            assert process.poll() is None, f"{name} exited:\n{self.log(name)}"
        return process

    def start_beat(self) -> subprocess.Popen:
        return self._spawn("beat", [str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "WARNING",
                                    "--schedule", str(self.workdir / "beat-schedule")])

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the process and its children (a prefork worker's pool), as the kernel's OOM killer would."""
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def _web_answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.web_url}/api/v1/public/categories/", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-5000:] if path.exists() else ""


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path).start()
    yield redis
    redis.stop()


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def stack(transactional_db, demo, private_redis, smtp_sink, tmp_path):
    stack = Stack(private_redis, smtp_sink, tmp_path)
    yield stack
    stack.stop_all()
