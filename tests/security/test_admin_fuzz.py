"""Finding 4's lesson: the admin API is fuzzed from its own OpenAPI schema, as a superuser, so that the next
500 is found by CI. Schemathesis generates valid and invalid bodies, parameters and ids for every admin
operation; every answer must be below 500 (a 4xx in the documented error format for what is refused)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from tests.conftest import user_named

# The schema endpoint reads no database: loading it while tests are collected is safe.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application()).include(
    path_regex="^/api/v1/admin/")


@pytest.fixture
def in_test_transaction():
    """Requests run in process, inside the test's transaction: Django must not close the connection when a
    request ends (its own test client stops that the same way)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_the_admin_api_never_answers_a_server_error(case, demo, in_test_transaction):
    token, _ = Token.objects.get_or_create(user=user_named("admin"))
    response = case.call(headers={"Authorization": f"Token {token.key}"})
    assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:500])
    if response.status_code >= 400 and response.headers.get("content-type", [""])[0].startswith("application/json"):
        assert set(response.json()) == {"error"}, response.text[:500]
