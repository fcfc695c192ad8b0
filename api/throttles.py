"""The public API's and the token login's throttles: DRF's interface over the one per-address counter
of ``core.throttle``, which the portal's pages and the Django admin's login share."""

from rest_framework.throttling import BaseThrottle

from core import throttle


class AddressThrottle(BaseThrottle):
    scope = ""

    def allow_request(self, request, view):
        self._wait = throttle.throttle_wait(request, self.scope)
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


class PublicIntakeThrottle(AddressThrottle):
    scope = throttle.INTAKE


class PublicLookupThrottle(AddressThrottle):
    scope = throttle.LOOKUP


class PublicAccessKeyThrottle(AddressThrottle):
    scope = throttle.ACCESS_KEY


class LoginThrottle(AddressThrottle):
    scope = throttle.LOGIN


class PublicSurveyThrottle(AddressThrottle):
    scope = throttle.SURVEY
