"""Per-client-address throttles for the public API and the login.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` and are read on every request
(DRF's own classes read them once at import), so that an operator's change and a test's
override both take effect.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class AddressThrottle(SimpleRateThrottle):
    scope = ""

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
