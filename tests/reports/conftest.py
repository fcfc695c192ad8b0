"""The public report pages' browser tests: a citizen's phone, photographed into test-artifacts/reports/."""

import pytest

from tests.portal.conftest import Visit


@pytest.fixture
def visit(chromium, live_server, demo):
    tabs = []

    def open_tab(**kwargs) -> Visit:
        tab = Visit(chromium, live_server.url, folder="reports", **kwargs)
        tabs.append(tab)
        return tab

    yield open_tab
    for tab in tabs:
        blocked = [error for error in tab.console_errors if "Content Security Policy" in error]
        tab.close()
        assert blocked == [], blocked
