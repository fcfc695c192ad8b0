"""Headless Chromium for the portal's browser tests: Debian's /usr/bin/chromium driven by Playwright.

`make test` installs chromium if it is missing (Makefile: browser). A missing browser fails these
tests with a message; it never skips them.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "portal"
# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# closed network refuses; root needs --no-sandbox.
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
SMALL_PHONE = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or set CHROMIUM_PATH.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
    # ordinary synchronous code, so tell Django not to refuse them for that.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Visit:
    """One citizen's browser tab, with screenshots at phone and desktop widths and a record of
    anything the Content Security Policy blocked."""

    def __init__(self, browser, base_url: str, *, javascript: bool = True):
        # An English-speaking phone: the pages must still come in Thai until the reader switches.
        self.context = browser.new_context(locale="en-US", viewport=PHONE, java_script_enabled=javascript)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))

    def go(self, path: str):
        response = self.page.goto(self.base_url + path)
        return response

    def shoot(self, name: str) -> None:
        """Screenshots at phone and desktop widths; at each, nothing may stick out sideways."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for label, size in (("small-phone", SMALL_PHONE), ("phone", PHONE), ("desktop", DESKTOP)):
            self.page.set_viewport_size(size)
            overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {size['width']}px"
            if label != "small-phone":
                self.page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
        self.page.set_viewport_size(PHONE)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(chromium, live_server, demo):
    tabs = []

    def open_tab(**kwargs) -> Visit:
        tab = Visit(chromium, live_server.url, **kwargs)
        tabs.append(tab)
        return tab

    yield open_tab
    for tab in tabs:
        blocked = [error for error in tab.console_errors if "Content Security Policy" in error]
        tab.close()
        assert blocked == [], blocked
