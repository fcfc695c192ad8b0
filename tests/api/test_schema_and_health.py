import io

import pytest
from django.core.management import call_command

from workflows.sla_sweep import sla_apply_due_steps

pytestmark = pytest.mark.django_db

DOCUMENTED = [
    "/api/v1/public/categories/",
    "/api/v1/public/stats/",
    "/api/v1/public/cases/",
    "/api/v1/public/cases/{tracking}/",
    "/api/v1/public/cases/{tracking}/replies/",
    "/api/v1/public/cases/{tracking}/messages/",
    "/api/v1/public/cases/{tracking}/feedback/",
    "/api/v1/auth/token/",
    "/api/v1/auth/logout/",
    "/api/v1/cases/",
    "/api/v1/cases/{tracking}/",
    "/api/v1/cases/{tracking}/transitions/{name}/",
    "/api/v1/cases/{tracking}/events/",
    "/api/v1/cases/{tracking}/events/verify/",
    "/api/v1/cases/{tracking}/notes/",
    "/api/v1/cases/{tracking}/replies/",
    "/api/v1/cases/{tracking}/claim/",
    "/api/v1/cases/{tracking}/identity/",
    "/api/v1/cases/{tracking}/attachments/",
    "/api/v1/cases/{tracking}/attachments/{attachment_id}/",
    "/api/v1/cases/{tracking}/reassign/",
    "/api/v1/cases/{tracking}/correct/",
    "/api/v1/cases/{tracking}/redact/",
    "/api/v1/cases/{tracking}/access-key/",
    "/api/v1/public/cases/{tracking}/access-key/",
    "/api/v1/public/cases/{tracking}/reopen/",
    "/api/v1/cases/reassign/",
    "/api/v1/cases/counts/",
    "/api/v1/supervisor/summary/",
    "/api/v1/committees/",
    "/api/v1/committees/{code}/meetings/",
    "/api/v1/committees/{code}/members/",
    "/api/v1/committee-members/{member_id}/end/",
    "/api/v1/meetings/{meeting_id}/resolutions/",
    "/api/v1/public/consultations/",
    "/api/v1/public/consultations/{tracking}/",
    "/api/v1/public/consultations/{tracking}/opinions/",
    "/api/v1/public/consultations/{tracking}/followers/",
    "/api/v1/public/opinions/{number}/",
    "/api/v1/public/board/",
    "/api/v1/public/surveys/",
    "/api/v1/public/surveys/{code}/",
    "/api/v1/public/surveys/{code}/responses/",
    "/api/v1/public/surveys/{code}/results/",
    "/api/v1/surveys/",
    "/api/v1/surveys/{code}/questions/",
    "/api/v1/surveys/{code}/invitations/",
    "/api/v1/surveys/{code}/results/",
    "/api/v1/survey-answers/{answer_id}/review/",
    "/api/v1/cases/{tracking}/consultation/questions/",
    "/api/v1/cases/{tracking}/attachments/{attachment_id}/publish/",
    "/api/v1/cases/{tracking}/opinions/",
    "/api/v1/opinions/{number}/hide/",
    "/api/v1/cases/{tracking}/themes/",
    "/api/v1/cases/{tracking}/themes/{theme_id}/",
    "/api/v1/cases/{tracking}/milestones/",
    "/api/v1/cases/{tracking}/milestones/{milestone_id}/",
    *[f"/api/v1/admin/{name}/{suffix}" for name in ("units", "memberships", "users", "categories",
                                                    "routing-rules", "sla-policies", "reply-templates", "agencies",
                                                    "waiting-reasons",
                                                    "config-log") for suffix in ("", "{id}/")],
    "/api/v1/admin/closures/",
    "/api/v1/admin/closures/{day}/",
]


def test_openapi_schema_is_valid_and_documents_every_endpoint(api):
    # --validate checks against the OpenAPI 3 spec; --fail-on-warn refuses any guessed component.
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out)
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert sorted(DOCUMENTED) == sorted(paths)


def test_api_docs_page_is_served_without_a_cdn(api, settings):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html and "cdn.jsdelivr" not in html


def test_healthz_checks_database_and_broker(api):
    response = api.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "sla_sweep_age_seconds": None}
    sla_apply_due_steps(limit=10)
    age = api.get("/healthz").json()["sla_sweep_age_seconds"]
    assert 0 <= age < 5


def test_healthz_reports_an_unreachable_broker(api, settings):
    # Port 9 (discard) has no Redis: a real refused connection, not a mock.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    response = api.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["database"] == "ok" and body["broker"].startswith("error")
