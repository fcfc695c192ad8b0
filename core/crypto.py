"""Encryption at rest for personal data (requester contact details), and keyed hashes of secrets we must recognise
but not keep."""

import hashlib
import hmac
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    # Keys newest first: encrypt with the first, decrypt with any (key rotation).
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt_json(value: dict[str, Any] | None) -> str:
    if not value:
        return ""
    return _fernet().encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()


def decrypt_json(token: str) -> dict[str, Any]:
    if not token:
        return {}
    return json.loads(_fernet().decrypt(token.encode()))


def keyed_hash(text: str) -> str:
    """HMAC-SHA256 of ``text`` under the installation's secret: what is kept of a one-time token or of a follower's
    address, so that a copy of the database cannot match it against guesses. (Changing ``SECRET_KEY`` voids the
    unused survey invitations and lets an address follow an item a second time.)"""
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()
