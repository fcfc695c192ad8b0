"""Per-client-address throttles for the public API and the login.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` and are read on every request
(DRF's own classes read them once at import), so that an operator's change and a test's
override both take effect.
"""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class AddressThrottle(SimpleRateThrottle):
    scope = ""

    def allow_request(self, request, view):
        # Throttle counters live in Redis. If Redis is down, let the request through: refusing
        # citizens' complaints because a counter is unreachable would be worse than a burst.
        try:
            return super().allow_request(request, view)
        except Exception as error:  # noqa: BLE001 - any cache failure
            logger.warning("throttle %s not applied, cache unavailable: %s", self.scope, error)
            return True

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicIntakeThrottle(AddressThrottle):
    scope = "public_intake"


class PublicLookupThrottle(AddressThrottle):
    scope = "public_lookup"


class PublicAccessKeyThrottle(AddressThrottle):
    scope = "public_access_key"


class LoginThrottle(AddressThrottle):
    scope = "login"
