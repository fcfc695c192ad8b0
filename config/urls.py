import sys

from django.contrib import admin
from django.urls import include, path

from api import errors as api_errors
from config.middleware import UNAVAILABLE, service_unavailable
from portal import errors as page_errors

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("", include("channels.urls")),
    path("staff/", include("workspace.urls")),
    path("", include("reports.urls")),
    path("", include("portal.urls")),
]


def _by_audience(api_handler, page_handler):
    """The API answers in its one JSON error format; the citizen's pages answer with a page."""

    def handler(request, *args, **kwargs):
        if request.path_info.startswith(("/api/", "/healthz")):
            return api_handler(request, *args, **kwargs)
        return page_handler(request, *args, **kwargs)

    return handler


handler400 = _by_audience(api_errors.json_bad_request, page_errors.bad_request)
handler403 = _by_audience(api_errors.json_permission_denied, page_errors.permission_denied)
handler404 = _by_audience(api_errors.json_not_found, page_errors.not_found)
_server_error = _by_audience(api_errors.json_server_error, page_errors.server_error)


def handler500(request, *args, **kwargs):
    """A database or broker outage met outside a view (a middleware saving the session) is a 503 too."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return service_unavailable(request)
    return _server_error(request, *args, **kwargs)
