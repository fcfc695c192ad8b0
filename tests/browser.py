"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright, a tab with
screenshots at set widths and a record of what the Content Security Policy blocked, and axe-core.

`make test` installs chromium if it is missing (Makefile: browser). A missing browser fails these
tests with a message; it never skips them.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# closed network refuses; root needs --no-sandbox.
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


def chromium_launch():
    """Yields a browser (a generator for a session fixture)."""
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


class Tab:
    """One person's browser tab: screenshots at ``widths`` into ``test-artifacts/<folder>/`` (at each, nothing
    may stick out sideways), and anything the Content Security Policy blocked."""

    def __init__(self, browser, base_url: str, *, folder: str, widths: dict[str, dict], first: dict,
                 javascript: bool = True, check_widths: tuple[dict, ...] = ()):
        # An English-speaking browser: the pages must still come in Thai until the reader switches.
        self.context = browser.new_context(locale="en-US", viewport=first, java_script_enabled=javascript)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.base_url, self.folder, self.widths, self.first = base_url, ARTIFACTS / folder, widths, first
        self.check_widths, self.javascript = check_widths, javascript
        self.console_errors: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))

    def go(self, path: str):
        return self.page.goto(self.base_url + path)

    def shoot(self, name: str) -> None:
        """Screenshots, and an axe-core check of the page as it stands (where it runs scripts)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.javascript:
            violations = axe_serious(self.page)
            assert violations == [], f"{name}: {violations}"
        for size in self.check_widths:
            self._no_sideways_scroll(name, size)
        for label, size in self.widths.items():
            self._no_sideways_scroll(name, size)
            self.page.screenshot(path=str(self.folder / f"{name}-{label}.png"), full_page=True)
        self.page.set_viewport_size(self.first)

    def _no_sideways_scroll(self, name: str, size: dict) -> None:
        self.page.set_viewport_size(size)
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {size['width']}px"

    def close(self) -> None:
        self.context.close()


def axe_serious(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands (injected through the browser's
    debugging protocol, which the page's CSP does not govern)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes: "
            f"{violation['nodes'][0]['target']})"
            for violation in results.response["violations"] if violation["impact"] in ("serious", "critical")]
