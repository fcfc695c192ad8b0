import time

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import Tab
from tests.conftest import user_named
from workspace.access import SEEN_AT, SIGNED_IN_AT


@pytest.fixture
def desk(demo):
    """desk("officer1") -> a browser-like client signed in to the workspace as that demo user (CSRF enforced)."""

    def make(username: str) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user_named(username))
        session = client.session
        session[SIGNED_IN_AT] = session[SEEN_AT] = time.time()
        session.save()
        return client

    return make


def csrf(client: Client, path: str = "/staff/") -> str:
    """The CSRF token a page gives the browser."""
    client.get(path)
    return client.cookies["csrftoken"].value


def post(client: Client, path: str, data: dict | None = None, **extra):
    return client.post(path, {"csrfmiddlewaretoken": csrf(client), **(data or {})}, **extra)


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


class Desk(Tab):
    """A staff member's tab: an office desktop first; photographed at 1366 and 390 px into
    test-artifacts/workspace/, each page checked with axe-core."""

    def __init__(self, browser, base_url: str, *, folder: str = "workspace"):
        super().__init__(browser, base_url, folder=folder, widths={"desktop": DESKTOP, "phone": PHONE},
                         first=DESKTOP)

    def sign_in(self, username: str) -> None:
        self.go("/staff/login/")
        self.page.get_by_label("ชื่อผู้ใช้").fill(username)
        self.page.get_by_label("รหัสผ่าน").fill(settings.DEMO_PASSWORD)
        self.page.get_by_role("button", name="เข้าสู่ระบบ").click()
        self.page.wait_for_url("**/staff/**")


@pytest.fixture
def desk_tab(request, chromium, live_server, demo):
    """Opens staff tabs; their screenshots go to test-artifacts/<the test module's ARTIFACTS, else workspace>/."""
    tabs = []
    folder = getattr(request.module, "ARTIFACTS", "workspace")

    def open_tab() -> Desk:
        tab = Desk(chromium, live_server.url, folder=folder)
        tabs.append(tab)
        return tab

    yield open_tab
    for tab in tabs:
        blocked = [error for error in tab.console_errors if "Content Security Policy" in error]
        tab.close()
        assert blocked == [], blocked
