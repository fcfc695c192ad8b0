"""Per-address rate limits: the one implementation behind the public API, the portal's pages and the
sign-ins (the API's token login and the Django admin's login).

Each (scope, client address) has one counter in the shared cache that lives for the rate's duration from
its first request: one cache round trip per request, whichever interface the client uses, so that
alternating between the pages and the API neither doubles an allowance nor breaks the counter.

Rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, read on every request so that an operator's
change and a test's override take effect. When the cache cannot be reached, citizens' intake and
lookups go on (refusing a complaint because a counter is unreachable would be worse than a burst), but
guessing scopes fail closed: access keys and passwords are not tried without a counter.
"""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

INTAKE, LOOKUP, ACCESS_KEY, LOGIN = "public_intake", "public_lookup", "public_access_key", "login"
SURVEY = "public_survey"
# Scopes that guard secrets: without a working counter, refuse rather than allow unlimited guesses.
FAIL_CLOSED = frozenset({ACCESS_KEY, LOGIN})
DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def throttle_wait(request, scope: str) -> float | None:
    """Count this request against the client's allowance in ``scope``: None if it may go on, else the
    seconds until it may try again."""
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)
    if rate is None:
        return None
    allowed, duration = rate_parse(rate)
    key = f"throttle_{scope}_{client_address(request)}"
    try:
        if _count(key, duration) <= allowed:
            return None
    except Exception as error:  # noqa: BLE001 - any cache failure
        if scope in FAIL_CLOSED:
            logger.error("throttle %s unavailable (%s): refusing the request", scope, error)
            return float(duration)
        logger.warning("throttle %s not applied, cache unavailable: %s", scope, error)
        return None
    try:
        return max(1.0, _expires_in(key, duration))
    except Exception:  # noqa: BLE001 - any cache failure: a whole duration is the safe answer
        return float(duration)


def rate_parse(rate: str) -> tuple[int, int]:
    """``"20/min"`` -> (20, 60): requests allowed and the window in seconds."""
    count, period = rate.split("/")
    return int(count), DURATIONS[period[0]]


def client_address(request) -> str:
    """The client's address: the TCP peer, or with ``NUM_PROXIES`` proxies we run in front, the address
    the outermost of them saw (the same rule as Django REST framework's throttles)."""
    forwarded, remote = request.META.get("HTTP_X_FORWARDED_FOR"), request.META.get("REMOTE_ADDR", "")
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    if proxies == 0 or not forwarded:
        return _network(remote)
    addresses = forwarded.split(",")
    return _network(addresses[-min(proxies, len(addresses))].strip())


def _network(address: str) -> str:
    """An IPv6 client holds a whole /64 and can rotate through it: count the /64, not the address."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def _count(key: str, duration: int) -> int:
    """Count one request on ``key``; the counter starts at the first and expires ``duration`` later."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        redis_key = cache.make_and_validate_key(key)
        pipe = _redis(cache).pipeline(transaction=False)
        pipe.incr(redis_key)
        # The window starts at the first request; a counter that somehow lost its expiry gets one back, so
        # that no address is refused for good.
        pipe.expire(redis_key, duration, nx=True)
        return pipe.execute()[0]
    cache.add(key, 0, timeout=duration)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls: a new window
        cache.add(key, 1, timeout=duration)
        return 1


def _expires_in(key: str, duration: int) -> float:
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        milliseconds = _redis(cache).pttl(cache.make_and_validate_key(key))
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
