"""Finding 2: the portal and the API count against one per-address allowance, whichever is used first, and
a broken cache fails closed for access-key guessing."""

import pytest
from django.test import override_settings

from tests.api.test_public import submit_via_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        "public_intake": "5/min", "public_lookup": "8/min", "public_access_key": "6/min", "login": "10/min"}}


def test_after_a_portal_page_the_api_still_counts_wrong_access_keys(api, client, demo, rates):
    tracking = submit_via_api(api)["tracking_number"]
    assert client.get(f"/track/{tracking}/").status_code == 200  # a portal page from the same address
    for _ in range(3):
        assert client.post(f"/track/{tracking}/", {"access_key": "WRONG-KEYS-AAAA-BBBB"}).status_code == 400
    answers = [api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY="WRONG").status_code
               for _ in range(6)]
    assert answers == [403, 403, 403, 429, 429, 429]  # 3 on the pages + 3 here = the 6 allowed


def test_lookups_on_the_pages_and_the_api_share_one_allowance(api, client, demo, rates):
    tracking = submit_via_api(api)["tracking_number"]
    pages = [client.get(f"/track/{tracking}/").status_code for _ in range(4)]
    calls = [api.get(f"/api/v1/public/cases/{tracking}/").status_code for _ in range(6)]
    assert pages == [200] * 4 and calls == [200] * 4 + [429] * 2


def test_a_broken_cache_refuses_access_key_guesses_and_lets_lookups_through(api, demo, rates):
    tracking = submit_via_api(api)["tracking_number"]
    broken = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": "redis://127.0.0.1:9/0"}}  # nothing listens on port 9
    with override_settings(CACHES=broken):
        assert api.get(f"/api/v1/public/cases/{tracking}/").status_code == 200
        refused = api.get(f"/api/v1/public/cases/{tracking}/replies/", HTTP_X_ACCESS_KEY="WRONG")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "throttled"


def test_an_ipv6_client_cannot_rotate_through_its_network(api, demo, rates):
    tracking = submit_via_api(api)["tracking_number"]
    answers = [api.get(f"/api/v1/public/cases/{tracking}/", REMOTE_ADDR=f"2001:db8:1:2::{n:x}").status_code
               for n in range(1, 11)]
    assert answers == [200] * 8 + [429] * 2  # ten addresses of one /64 share its 8 lookups a minute
