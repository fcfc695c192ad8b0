"""Shared fixtures: the demo office, staff API clients, and cases put in a given state."""

import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.management import call_command
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import Case, Unit
from tests.browser import chromium_launch
from tests.servers import SmtpSink, WebhookSink
from workflows.intake import case_submit

DEFAULT_CATEGORY = {"complaint": "teacher-conduct", "corruption": "procurement", "suggestion": "office-service",
                    "codecision": None}


def pytest_configure(config):
    """The suite empties the Redis databases it uses (throttle counters, stale tasks). It runs only on
    databases it was given as test databases (``TEST_REDIS_URLS``, which `make test` sets from
    TEST_REDIS_URL and TEST_BROKER_URL), never on whatever REDIS_URL a shell happens to hold."""
    given = set(os.environ.get("TEST_REDIS_URLS", "").split())
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("redis://", "rediss://", "unix://")) and url not in given:
            pytest.exit(f"Refusing to run the suite: {name}={url} was not given as a test database, and the suite "
                        f"empties the Redis databases it uses. Run `make test` (TEST_REDIS_URL, TEST_BROKER_URL), "
                        f"or list the URL in TEST_REDIS_URLS if that database may be emptied.", returncode=4)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the real Redis cache; each test starts with none. Nor does a test see page fragments
    # another one rendered (the statistics page's body is kept per period, whatever the data behind it).
    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()


# PBKDF2's deliberate slowness protects real passwords; the suite's demo users need none of it.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Seed the demo office once; each test's transaction rolls back to it.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def demo(db):
    # Transactional tests (live server, concurrency) flush the database; seed it again after them.
    if not Unit.objects.exists():
        call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def staff(demo):
    """staff("officer1") -> an APIClient logged in with that demo user's token."""

    def make(username: str) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user_named(username))
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def user_named(username: str):
    return get_user_model().objects.get(username=username)


def submit(kind: str = "complaint", **overrides):
    """A case received from a citizen, as the public API would create it; returns the Receipt."""
    fields = {
        "kind": kind,
        "title": "ครูไม่เข้าสอน",
        "description": "ปัญหาของโรงเรียนบ้านหนองปลิง",
        "channel": "web",
        "category_code": DEFAULT_CATEGORY[kind],
        "contact": {"name": "ผู้ปกครอง", "phone": "081 234 5678"},
    }
    fields.update(overrides)
    return case_submit(**fields)


def put_in_status(case: Case, status: str, *, unit: str | None = None, assignee=None) -> Case:
    """Place a case directly in ``status`` (test set-up only: the state field is protected in code)."""
    updates = {"status": status}
    if unit:
        updates["unit"] = Unit.objects.get(code=unit)
    if assignee is not None:
        updates["assignee"] = assignee
    Case.objects.filter(pk=case.pk).update(**updates)
    return Case.objects.get(pk=case.pk)


@pytest.fixture(scope="session")
def chromium():
    yield from chromium_launch()


@pytest.fixture
def smtp(settings):
    """A real SMTP server; Django sends mail to it."""
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    yield sink
    sink.stop()


@pytest.fixture
def webhook(settings):
    """A real HTTP receiver for the signed gateway webhook."""
    sink = WebhookSink().start()
    settings.NOTIFY_WEBHOOK_URL, settings.NOTIFY_WEBHOOK_SECRET = sink.url, "test-secret"
    yield sink
    sink.stop()
