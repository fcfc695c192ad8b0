"""Signing in to the workspace: Django sessions, throttled like every sign-in, idle and absolute expiry,
sign-out, CSRF on every form."""

import time

import pytest
from django.conf import settings
from django.test import Client

from tests.workspace.conftest import csrf, post
from workspace.access import SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username="officer1", password=None, next_url=""):
    token = csrf(client, "/staff/login/")
    return client.post("/staff/login/", {"csrfmiddlewaretoken": token, "username": username,
                                         "password": password or settings.DEMO_PASSWORD, "next": next_url})


def test_a_page_sends_a_stranger_to_sign_in_and_back(demo):
    client = Client(enforce_csrf_checks=True)
    answer = client.get("/staff/cases/CM-AAAA-BBBB-CCCC/")
    assert answer.status_code == 302 and answer["Location"].startswith("/staff/login/?next=")
    page = client.get(answer["Location"]).content.decode()
    assert "เข้าสู่ระบบ" in page and 'lang="th"' in page
    signed = sign_in(client, next_url="/staff/?queue=all")
    assert signed.status_code == 302 and signed["Location"] == "/staff/?queue=all"
    assert client.get("/staff/").status_code == 200


def test_a_wrong_password_is_refused_in_thai_and_the_next_address_stays_on_the_workspace(demo):
    client = Client(enforce_csrf_checks=True)
    refused = sign_in(client, password="wrong")
    assert refused.status_code == 400 and "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in refused.content.decode()
    assert sign_in(client, next_url="https://evil.example/")["Location"] == "/staff/"
    client.post("/staff/logout/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert sign_in(client, next_url="/admin/")["Location"] == "/staff/"


def test_sign_ins_are_throttled_per_address(demo, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "3/min"}}
    client = Client(enforce_csrf_checks=True)
    answers = [sign_in(client, password="guess").status_code for _ in range(4)]
    assert answers == [400, 400, 400, 429]
    blocked = sign_in(client)  # even the right password waits
    assert blocked.status_code == 429 and "Retry-After" in blocked and "ลองใหม่" in blocked.content.decode()


def test_an_idle_sign_in_expires_and_so_does_a_long_one(desk):
    client = desk("officer1")
    session = client.session
    session[SEEN_AT] = time.time() - settings.STAFF_SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    answer = client.get("/staff/")
    assert answer.status_code == 302 and answer["Location"].startswith("/staff/login/")
    assert "หมดเวลา" in client.get(answer["Location"]).content.decode()

    client = desk("officer1")
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.STAFF_SESSION_MAX_HOURS * 3600 - 5
    session.save()
    assert client.get("/staff/").status_code == 302


def test_sign_out_ends_the_session_and_forms_need_their_csrf_token(desk):
    client = desk("officer1")
    assert client.post("/staff/logout/").status_code == 403  # no token: refused
    assert client.get("/staff/").status_code == 200
    assert post(client, "/staff/logout/").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_an_action_sent_in_place_after_the_sign_in_ended_is_refused_without_a_redirect(desk, settings):
    from core.models import CaseEvent
    from tests.conftest import put_in_status, submit, user_named
    from tests.workspace.conftest import csrf

    case = put_in_status(submit().case, "in_progress", unit="personnel", assignee=user_named("officer1"))
    client = desk("officer1")
    token = csrf(client, f"/staff/cases/{case.tracking_number}/")
    session = client.session
    session[SEEN_AT] -= (settings.STAFF_SESSION_IDLE_MINUTES + 1) * 60  # idle too long
    session.save()
    before = CaseEvent.objects.filter(case=case).count()
    answer = client.post(f"/staff/cases/{case.tracking_number}/note/", {"csrfmiddlewaretoken": token, "text": "x"},
                         HTTP_HX_REQUEST="true")
    # No redirect to swap the sign-in page into the case page: the page keeps the text and says why.
    assert answer.status_code == 401 and CaseEvent.objects.filter(case=case).count() == before
    plain = client.post(f"/staff/cases/{case.tracking_number}/note/", {"csrfmiddlewaretoken": token, "text": "x"})
    assert plain.status_code == 302 and "/staff/login/" in plain["Location"]  # without htmx: as before
