"""Throttles for the pages. They share the public API's counters (same scopes, same cache keys), so
alternating between the pages and the API does not double anyone's allowance."""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

INTAKE, LOOKUP, ACCESS_KEY = "public_intake", "public_lookup", "public_access_key"


class PageThrottle(SimpleRateThrottle):
    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttle_wait(request, scope: str) -> float | None:
    """None if the request may go on; else the seconds to wait. Fails open if the cache is down."""
    throttle = PageThrottle(scope)
    try:
        return None if throttle.allow_request(request, None) else (throttle.wait() or 60)
    except Exception as error:  # noqa: BLE001 - any cache failure: a burst is better than refusing citizens
        logger.warning("page throttle %s not applied, cache unavailable: %s", scope, error)
        return None
