"""A database or broker that is briefly unreachable (a restart, a failover) is a 503 with Retry-After,
not a 500: clients, gateways and people try again, and nothing half-done was committed (every write is
one transaction)."""

import logging

from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerUnavailable

from api import errors as api_errors
from portal import errors as page_errors

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
UNAVAILABLE = (OperationalError, InterfaceError, BrokerUnavailable)


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNAVAILABLE):
            return None
        logger.warning("answering 503 to %s %s: %s", request.method, request.path, exception)
        return service_unavailable(request)


def service_unavailable(request):
    """The 503 in the reader's format: the API's JSON error, or a page (also used by ``handler500``)."""
    if request.path_info.startswith(("/api/", "/healthz")):
        return api_errors.json_service_unavailable(request, RETRY_AFTER_SECONDS)
    return page_errors.service_unavailable(request, RETRY_AFTER_SECONDS)
