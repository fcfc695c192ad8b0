"""The portal's browser tests: a citizen's phone (tests/browser.py)."""

import pytest

from tests.browser import Tab

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SMALL_PHONE = {"width": 320, "height": 640}


class Visit(Tab):
    """A citizen's tab: phone first; photographed at phone and desktop widths (and checked at a small phone's)."""

    def __init__(self, browser, base_url: str, *, javascript: bool = True, folder: str = "portal"):
        super().__init__(browser, base_url, folder=folder, widths={"phone": PHONE, "desktop": DESKTOP},
                         first=PHONE, javascript=javascript, check_widths=(SMALL_PHONE,))


@pytest.fixture
def visit(request, chromium, live_server, demo):
    """Opens citizens' tabs; their screenshots go to test-artifacts/<the test module's ARTIFACTS, else portal>/."""
    tabs = []
    folder = getattr(request.module, "ARTIFACTS", "portal")

    def open_tab(**kwargs) -> Visit:
        tab = Visit(chromium, live_server.url, folder=folder, **kwargs)
        tabs.append(tab)
        return tab

    yield open_tab
    for tab in tabs:
        blocked = [error for error in tab.console_errors if "Content Security Policy" in error]
        tab.close()
        assert blocked == [], blocked
