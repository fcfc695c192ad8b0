"""Per-client-address throttles for the public API and the login.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` and are read on every request
(DRF's own classes read them once at import), so that an operator's change and a test's
override both take effect.

Each client address has a counter that lives for the rate's duration from its first request: one
cache round trip per request. DRF's own throttle keeps a list of every request time in the window
and reads, unpickles, pickles and writes it back whole on each request, so its cost grows with
the allowed rate (tens of kilobytes per request at a few thousand requests a minute).
"""

import logging

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class AddressThrottle(SimpleRateThrottle):
    scope = ""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        # Throttle counters live in Redis. If Redis is down, let the request through: refusing
        # citizens' complaints because a counter is unreachable would be worse than a burst.
        try:
            return _count(self.key, self.duration) <= self.num_requests
        except Exception as error:  # noqa: BLE001 - any cache failure
            logger.warning("throttle %s not applied, cache unavailable: %s", self.scope, error)
            return True

    def wait(self) -> float:
        """Seconds until this client's counter expires."""
        try:
            return max(1.0, _expires_in(self.key, self.duration))
        except Exception:  # noqa: BLE001 - any cache failure: a whole duration is the safe answer
            return float(self.duration)

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


def _count(key: str, duration: int) -> int:
    """Count one request on ``key``; the counter starts at the first and expires ``duration`` later."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        redis_key = cache.make_and_validate_key(key)
        pipe = _redis(cache).pipeline(transaction=False)
        pipe.set(redis_key, 0, ex=duration, nx=True)
        pipe.incr(redis_key)
        return pipe.execute()[1]
    cache.add(key, 0, timeout=duration)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls: a new window
        cache.add(key, 1, timeout=duration)
        return 1


def _expires_in(key: str, duration: int) -> float:
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        redis_key = cache.make_and_validate_key(key)
        milliseconds = _redis(cache).pttl(redis_key)
        return milliseconds / 1000 if milliseconds > 0 else float(duration)
    return float(duration)


_clients: dict[int, object] = {}


def _redis(cache: RedisCache):
    """A Redis client on the cache's own connection pool, made once (Django makes one per call)."""
    pool = cache._cache._get_connection_pool(True)
    client = _clients.get(id(pool))
    if client is None or client.connection_pool is not pool:
        client = _clients[id(pool)] = cache._cache._client(connection_pool=pool)
    return client
