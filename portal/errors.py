"""Error pages for people (the API has its own JSON errors). Kept free of database reads, so that they
still render when the database is the problem."""

from django.shortcuts import render


def _page(request, status: int, template: str = "portal/error.html"):
    return render(request, template, {"status": status}, status=status)


def bad_request(request, exception=None):
    return _page(request, 400)


def permission_denied(request, exception=None):
    return _page(request, 403)


def not_found(request, exception=None):
    return _page(request, 404)


def server_error(request):
    return _page(request, 500)


def service_unavailable(request, retry_after: int):
    response = _page(request, 503)
    response["Retry-After"] = str(retry_after)
    return response


def csrf_failure(request, reason=""):
    # Usually an old tab or blocked cookies: say what to do, not what a token is.
    return _page(request, 403, "portal/csrf_failure.html")
