"""TOTP two-factor sign-in (django-otp): mandatory for the integrity unit, the director and administrators when
STAFF_2FA_REQUIRED is on; asked of anyone who enrolled."""

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import user_named
from tests.workspace.conftest import csrf

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str):
    token = csrf(client, "/staff/login/")
    return client.post("/staff/login/", {"csrfmiddlewaretoken": token, "username": username,
                                         "password": settings.DEMO_PASSWORD})


def send_code(client: Client, path: str, code: str):
    return client.post(path, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "code": code})


def code_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_required_role_enrols_before_any_page_and_then_signs_in_with_a_code(demo, settings):
    settings.STAFF_2FA_REQUIRED = True
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "integrity1").status_code == 302
    blocked = client.get("/staff/")
    assert blocked.status_code == 302 and blocked["Location"] == "/staff/security/"
    page = client.get("/staff/security/").content.decode()
    assert "<svg" in page and "แอป" in page
    device = TOTPDevice.objects.get(user=user_named("integrity1"), confirmed=False)
    wrong = send_code(client, "/staff/security/", "000000" if code_now(device) != "000000" else "111111")
    assert wrong.status_code == 400 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    # django-otp now makes the device wait before the next try (throttling after a failure): as if it had.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert send_code(client, "/staff/security/", code_now(device)).status_code == 302
    assert client.get("/staff/").status_code == 200  # verified in this session

    fresh = Client(enforce_csrf_checks=True)
    asked = sign_in(fresh, "integrity1")
    assert asked["Location"] == "/staff/login/code/"
    assert fresh.get("/staff/").status_code == 302  # the password alone opens nothing
    device.refresh_from_db()
    refused = send_code(fresh, "/staff/login/code/", "12345x")
    assert refused.status_code == 400
    # The code was spent by the enrolment a moment ago (a new period would bring a new one), and the failure
    # above makes the device wait: as if both had passed.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)
    device.refresh_from_db()
    assert send_code(fresh, "/staff/login/code/", code_now(device)).status_code == 302
    assert fresh.get("/staff/").status_code == 200


def test_an_officer_is_not_asked_and_the_director_is_only_when_required(demo, settings):
    settings.STAFF_2FA_REQUIRED = True
    officer = Client(enforce_csrf_checks=True)
    sign_in(officer, "officer1")
    assert officer.get("/staff/").status_code == 200
    settings.STAFF_2FA_REQUIRED = False
    director = Client(enforce_csrf_checks=True)
    sign_in(director, "director")
    assert director.get("/staff/").status_code == 200


def test_wrong_codes_are_throttled(demo, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "4/min"}}
    TOTPDevice.objects.create(user=user_named("director"), name="phone", confirmed=True)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, "director")  # one attempt of the allowance
    answers = [send_code(client, "/staff/login/code/", "000000").status_code for _ in range(4)]
    assert answers[:3] == [400, 400, 400] and answers[3] == 429
