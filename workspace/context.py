"""What every workspace page shows in its header."""

import functools

from django.templatetags.static import static
from django.urls import reverse

from core.notifications.inbox import inbox_unread_count

PAGES = ("queue", "dashboard", "reports", "committees", "surveys", "intake", "notifications", "2fa-setup", "logout", "live", "login")
ASSETS = {"font": "portal/fonts/sarabun-thai-400-normal.woff2", "icon": "portal/icon.svg",
          "portal_css": "portal/portal.css", "workspace_css": "workspace/workspace.css", "charts_css": "reports/charts.css",
          "portal_js": "portal/portal.js", "htmx": "workspace/vendor/htmx-2.0.11.min.js",
          "workspace_js": "workspace/workspace.js"}


@functools.cache
def header_links() -> dict[str, dict[str, str]]:
    """The header's addresses and files: the same on every page a process serves, so resolved once rather than
    by a dozen ``{% url %}`` and ``{% static %}`` tags on each page."""
    pages = {name.replace("-", "_"): reverse(f"workspace:{name}") for name in PAGES}
    pages["set_language"] = reverse("portal:set-language")
    return {"pages": pages, "assets": {name: static(path) for name, path in ASSETS.items()}}


def header(request) -> dict:
    """The header's addresses and files on every page; the bell's count on the workspace's, for staff."""
    links = header_links()
    context = {"staff_links": links["pages"], "staff_assets": links["assets"]}
    if request.path_info.startswith("/staff/") and request.user.is_authenticated:
        context["unread"] = inbox_unread_count(request.user)
    return context
