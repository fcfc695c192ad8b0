"""Carrying a receipt from the submission to the page that shows it, once.

The tracking number and access key wait in the cache under a random one-time token for a few minutes;
the browser holds only the token. Showing the receipt takes (deletes) the entry, so a replayed cookie
shows nothing. The page itself carries a fresh token, so that switching its language re-shows it
without making it reachable again from anywhere else.
"""

import logging
import secrets

from django.core.cache import cache

logger = logging.getLogger(__name__)

RECEIPT_SECONDS = 600
_PREFIX = "portal:receipt:"


def receipt_hold(*, tracking: str, access_key: str) -> str | None:
    """A one-time token for this receipt, or None if the cache cannot be reached."""
    token = secrets.token_urlsafe(24)
    try:
        cache.set(_PREFIX + token, {"tracking": tracking, "key": access_key}, RECEIPT_SECONDS)
    except Exception as error:  # noqa: BLE001 - any cache failure: the caller shows the receipt at once
        logger.warning("receipt not held, cache unavailable: %s", error)
        return None
    return token


def receipt_take(token: str | None) -> dict | None:
    if not token or len(token) > 64:
        return None
    try:
        held = cache.get(_PREFIX + token)
        cache.delete(_PREFIX + token)
    except Exception as error:  # noqa: BLE001
        logger.warning("receipt not read, cache unavailable: %s", error)
        return None
    return held if isinstance(held, dict) else None
